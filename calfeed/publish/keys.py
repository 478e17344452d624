"""What a piece is kept under, and how one is made: ``PieceMaker``.

A piece (see ``formats.pieces``) is kept under its ``key``: a digest of everything its bytes
depend on (the entry's revision, the calendar, the site URL, for JSON the language) and, for
the few that depend on the day (Atom and RSS of a recurring entry: the title names the next
date), the day. So a kept piece is used only where it is exactly what a fresh render would
give. ``renderer()`` is part of every digest, so code or a library that renders differently
never serves pieces rendered by the old one.
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

from .. import __version__, formats
from ..formats import atom, ics, jsonapi
from ..formats.context import RenderContext
from ..formats.pieces import KINDS, Kind
from ..model import CalendarInfo, Published

PieceKey = tuple[str, date | None]  # (digest, day)
_LIBRARIES = ("icalendar", "feedgen", "lxml", "orjson", "tzdata")
_MODEL = ("model.py", "localtime.py", "recurrence.py")  # what the builders compute with


@cache
def renderer() -> str:
    """What renders pieces: a digest of the rendering code (every module and template of
    ``formats``, the model, local times and recurrence) and the versions of the libraries it
    uses. A deploy that changes any of it, even without a version bump, renders pieces anew."""
    root = Path(formats.__file__).resolve().parent
    code = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *(root / "templates").rglob("*"),
                        *(root.parent / name for name in _MODEL)]):
        if path.is_file():
            code.update(path.relative_to(root.parent).as_posix().encode())
            code.update(path.read_bytes())
    return "/".join((__version__, code.hexdigest()[:16], *(version(p) for p in _LIBRARIES)))


@dataclass(frozen=True, slots=True)
class PieceMaker:
    """Makes and names the pieces of one kind for one calendar, context and language.

    ``lang`` matters to JSON items only (the API's ``?lang=``); the other kinds use the
    calendar's language.
    """

    kind: Kind
    calendar: CalendarInfo
    ctx: RenderContext
    lang: str
    _prefix: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown piece kind {self.kind!r}")
        # JSON items use neither the calendar nor the day (deadline fields are filled per
        # request); the others depend on the whole calendar (language, zone, uid_domain).
        # A view in another language (languages.snapshot_in) is another calendar: its pieces
        # are kept apart from the calendar's own, JSON's too (they say what fell back).
        # JSON items also show the tag vocabulary's labels.
        shared = f"{self.lang}/{self.calendar.written_in}{self.calendar.tag_labels!r}" \
            if self.kind == "json" \
            else repr(self.calendar)
        object.__setattr__(self, "_prefix", "\x1f".join(
            (renderer(), self.kind, self.ctx.site_url, shared)))

    def digest(self, published: Published) -> str:
        """Names everything the piece depends on but the day (see ``day``)."""
        return self.digest_of(published.entry.id, published.sequence, published.last_modified,
                              published.first_seen)

    def digest_of(self, entry_id: str, sequence: int, last_modified: datetime,
                  first_seen: datetime) -> str:
        """``digest`` from an entry's id and revision alone (what the store's rows hold)."""
        # Remembered: assembling a feed looks up every entry's piece, and hashing is most
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
        """The day the piece is for, when it depends on the day: a recurring entry's Atom
        or RSS title names its next date from today. None for all others."""
        if self.kind in ("atom", "rss") and published.entry.repeat is not None:
            return self.ctx.today
        return None

    def key(self, published: Published) -> PieceKey:
        return (self.digest(published), self.day(published))

    def render(self, published: Published) -> bytes:
        """The piece's bytes (what the database keeps)."""
        if self.kind == "vevent":
            return ics.render_vevent(published, self.calendar, self.ctx)
        if self.kind == "json":
            # Other occurrences of a recurring entry are derived from it per request
            # (jsonapi.at_occurrence): only their dates and calendar-app links differ.
            return jsonapi.dumps(jsonapi.entry_base(published, self.ctx, self.lang,
                                                    self.calendar.written_in, self.calendar))
        return atom.render_entry(published, self.calendar, self.ctx, self.kind)

    def load(self, body: bytes) -> Any:
        """A piece as the builders use it: bytes, or for JSON the item's dict."""
        return orjson.loads(body) if self.kind == "json" else body


_DIGESTS: dict[tuple[object, ...], str] = {}
_DIGESTS_MAX = 200_000


def canonical_makers(calendar: CalendarInfo, ctx: RenderContext) -> list[PieceMaker]:
    """The pieces a writer keeps for every live entry: each kind in the calendar's language,
    at the canonical site URL."""
    return [PieceMaker(kind, calendar, ctx, calendar.language) for kind in KINDS]
