"""Per-entry fragments: each entry's VEVENT, Atom ``<entry>``, RSS ``<item>`` and JSON item
(``jsonapi.entry_base``: the item of its own occurrence without the day's deadline fields),
rendered on their own so they can be kept per entry revision (in memory by the web layer, in
the database by ``sync``) and assembled into any feed.

A fragment is kept under its ``key``: a digest of everything its bytes depend on (the entry's
revision, the calendar, the site URL, for JSON the language) and, for the few that depend on
the day (Atom and RSS of a recurring entry), the day. So a kept fragment is used only where it
is exactly what a fresh render would give. ``renderer()`` is part of every digest, so code
or a library that renders differently never serves fragments rendered by the old one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..model import CalendarInfo, Published
from . import atom, ics, jsonapi
from .context import RenderContext

KINDS = ("vevent", "atom", "rss", "json")
FragmentKey = tuple[str, date | None]  # (digest, day)
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
_LIBRARIES = ("icalendar", "feedgen", "lxml", "orjson", "tzdata")


@cache
def renderer() -> str:
    """What renders fragments: a digest of this package's rendering code (every module and
    template of ``formats`` and the model) and the versions of the libraries it uses. A
    deploy that changes any of it, even without a version bump, renders fragments anew."""
    root = Path(__file__).resolve().parent
    code = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *(root / "templates").rglob("*"),
                        root.parent / "model.py"]):
        if path.is_file():
            code.update(path.relative_to(root.parent).as_posix().encode())
            code.update(path.read_bytes())
    return "/".join((__version__, code.hexdigest()[:16], *(version(p) for p in _LIBRARIES)))


def site_url(base_url: str | None, calendar: CalendarInfo) -> str:
    """The canonical address outputs link to: the operator's setting, else the source's."""
    return (base_url or calendar.base_url or DEFAULT_SITE_URL).rstrip("/")


@dataclass(frozen=True, slots=True)
class Scope:
    """What the fragments of one kind share in one render: calendar, context and language.

    ``lang`` matters to JSON items only (the API's ``?lang=``); the other kinds use the
    calendar's language.
    """

    kind: str
    calendar: CalendarInfo
    ctx: RenderContext
    lang: str
    _prefix: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fragment kind {self.kind!r}")
        # JSON items use neither the calendar nor the day (deadline fields are filled per
        # request); the others depend on the whole calendar (language, zone, uid_domain).
        shared = self.lang if self.kind == "json" else repr(self.calendar)
        object.__setattr__(self, "_prefix", "\x1f".join(
            (renderer(), self.kind, self.ctx.site_url, shared)))

    def digest(self, published: Published) -> str:
        """Names everything the fragment depends on but the day (see ``day``)."""
        return self.digest_of(published.entry.id, published.sequence, published.last_modified,
                              published.first_seen)

    def digest_of(self, entry_id: str, sequence: int, last_modified: datetime,
                  first_seen: datetime) -> str:
        """``digest`` from an entry's id and revision alone (what the store's rows hold)."""
        # Remembered: assembling a feed looks up every entry's fragment, and hashing is most
        # of that cost. Equal datetimes can differ in offset, and so in isoformat(): key on it.
        key = (self._prefix, entry_id, sequence, last_modified, last_modified.utcoffset(),
               first_seen, first_seen.utcoffset())
        found = _DIGESTS.get(key)
        if found is None:
            if len(_DIGESTS) >= _DIGESTS_MAX:
                _DIGESTS.clear()
            revision = "\x1f".join((entry_id, str(sequence), last_modified.isoformat(),
                                    first_seen.isoformat()))
            text = "\x1f".join((self._prefix, revision))
            found = _DIGESTS[key] = hashlib.sha256(
                text.encode("utf-8", "surrogatepass")).hexdigest()
        return found

    def day(self, published: Published) -> date | None:
        """The day the fragment is for, when it depends on the day: a recurring entry's Atom
        or RSS title names its next date from today. None for all others."""
        if self.kind in ("atom", "rss") and published.entry.repeat is not None:
            return self.ctx.today
        return None

    def key(self, published: Published) -> FragmentKey:
        return (self.digest(published), self.day(published))

    def render(self, published: Published) -> bytes:
        """The fragment's bytes (what the database keeps)."""
        if self.kind == "vevent":
            return ics.render_vevent(published, self.calendar, self.ctx)
        if self.kind == "json":
            # Other occurrences of a recurring entry are derived from it per request
            # (jsonapi.at_occurrence): only their dates and calendar-app links differ.
            return jsonapi.dumps(jsonapi.entry_base(published, self.ctx, self.lang))
        return atom.render_entry(published, self.calendar, self.ctx, self.kind)

    def load(self, body: bytes) -> Any:
        """A fragment as the assemblers use it: bytes, or for JSON the item's dict."""
        return orjson.loads(body) if self.kind == "json" else body


_DIGESTS: dict[tuple[object, ...], str] = {}
_DIGESTS_MAX = 200_000


def canonical_scopes(calendar: CalendarInfo, ctx: RenderContext) -> list[Scope]:
    """The fragments a writer keeps for every live entry: each kind in the calendar's
    language, at the canonical site URL."""
    return [Scope(kind, calendar, ctx, calendar.language) for kind in KINDS]
