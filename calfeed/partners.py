"""What the editor says about a partner source (`sources:` in events.yaml), and what a pull
remembers of each entry it brought. Pure data: no I/O, no parsing of any format."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .model import Entry, Source

FORMATS = ("ics", "atom", "rss", "jsonld")


@dataclass(frozen=True, slots=True)
class PartnerSource:
    """One ``sources:`` item. ``type`` None means the format's default (a deadline for atom and
    rss, an event for ics and jsonld); ``include``/``exclude`` are words matched in an item's
    title, description and location, case-insensitively and inside longer words (Norwegian
    compounds: "menneskehandel" matches "menneskehandelsfeltet")."""

    name: str
    url: str
    format: str
    type: str | None = None
    tags: tuple[str, ...] = ()
    organizer: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    every: timedelta = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a pulled entry came from: its source, the upstream UID (or the URL that stands in
    for one) and page, and when it was fetched."""

    source: str
    upstream_uid: str
    upstream_url: str | None
    fetched: datetime


@dataclass(frozen=True, slots=True)
class PulledEntry:
    """A pulled entry as kept between pulls. ``vanished`` is when upstream stopped listing it
    (its entry is then cancelled and kept until it has ended)."""

    entry: Entry
    provenance: Provenance
    vanished: datetime | None = None


def with_pulled(source: Source, pulled: Iterable[Entry]) -> Source:
    """The source as published: the editor's entries, then the pulled ones that are not
    hidden (`hide:`) and not replaced by an editor's entry with the same id."""
    own = {entry.id for entry in source.entries}
    hidden = set(source.hide)
    extra = tuple(e for e in pulled if e.id not in own and e.id not in hidden)
    if not extra:
        return source
    return replace(source, entries=source.entries + extra)
