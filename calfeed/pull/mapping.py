"""Turn a source's upstream items into entries: the source's settings (type, tags, organizer,
include/exclude words), a stable id, provenance, and the editor's own validation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ..errors import SourceError
from ..model import Entry
from ..partners import PartnerSource, Provenance
from ..source import check_entry
from .items import Item, Parsed, Skipped

ID_HEX = 10  # 40 bits: a collision within one source's thousands of items is ~1e-5 likely


def pulled_id(source: str, key: str) -> str:
    """``<source>-<hex>``: stable across pulls for the same upstream UID (or URL)."""
    return f"{source}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:ID_HEX]}"


@dataclass(frozen=True, slots=True)
class Pulled:
    entry: Entry
    provenance: Provenance


@dataclass(slots=True)
class Mapped:
    entries: list[Pulled] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Ids left out by include/exclude: the editor's choice, not a problem (nor a cancellation)
    unwanted: set[str] = field(default_factory=set)

    @property
    def filtered(self) -> int:
        return len(self.unwanted)


def default_type(source: PartnerSource) -> str:
    return source.type or ("deadline" if source.format in ("atom", "rss") else "event")


def map_items(source: PartnerSource, parsed: Parsed, *, fetched: datetime,
              default_tz: str) -> Mapped:
    mapped = Mapped(skipped=list(parsed.skipped))
    kind = default_type(source)
    seen: dict[str, str] = {}
    for item in parsed.items:
        entry_id = pulled_id(source.name, item.key)
        if not _wanted(source, item):
            mapped.unwanted.add(entry_id)
            continue
        if entry_id in seen:
            mapped.skipped.append(Skipped(item.label, f"same id as {seen[entry_id]}; kept once"))
            continue
        seen[entry_id] = item.label
        try:
            entry = check_entry(_raw(item, entry_id, kind, source), default_tz, item.label)
        except SourceError as exc:
            reasons = "; ".join(problem.message for problem in exc.problems)
            mapped.skipped.append(Skipped(item.label, reasons or "invalid"))
            continue
        entry = replace(entry, source=source.name)
        mapped.entries.append(Pulled(entry, Provenance(source.name, item.key, item.link,
                                                       fetched)))
    return mapped


def _raw(item: Item, entry_id: str, kind: str, source: PartnerSource) -> dict[str, Any]:
    raw = dict(item.fields)
    raw["id"] = entry_id
    raw["type"] = kind
    if kind == "deadline":
        raw["due"] = raw.pop("start", None)
        raw.pop("end", None)
        if raw["due"] is None:
            raw.pop("due")
    if source.tags:
        raw["tags"] = list(source.tags)
    if source.organizer and not raw.get("organizer"):
        raw["organizer"] = source.organizer
    return raw


def _wanted(source: PartnerSource, item: Item) -> bool:
    text = " ".join(str(item.fields.get(k) or "") for k in ("title", "description", "location"))
    text = text.casefold()
    if source.include and not any(word.casefold() in text for word in source.include):
        return False
    return not any(word.casefold() in text for word in source.exclude)
