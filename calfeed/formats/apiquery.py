"""What the JSON API and the FullCalendar source are asked for, and which occurrences that is:
normalised queries (equal queries give equal bytes), opaque paging cursors, text folding for
search, and the rows (entry, occurrence) a query selects, in (start, id) order — with
``updated_since``, the view's tombstones among them. Pure.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

import orjson

from ..localtime import local_midnight
from ..model import Entry, FeedDef, Published, Removed, Snapshot
from ..recurrence import Occurrence, occurrences, span_instants
from .changes import utc_text
from .select import Filter

# Without `to`, recurring entries are expanded this far after `from` (one-off entries are
# listed however far ahead they are): an unbounded rule has no last occurrence to stop at.
RECURRENCE_HORIZON_DAYS = 400
_FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)
_FIRST = datetime.min.replace(tzinfo=UTC)  # a tombstone whose entry is not known sorts first
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- queries --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class CursorKey:
    """Where a page ended: items come in (start instant, id) order, the next page after it."""

    start: datetime  # UTC
    id: str


@dataclass(frozen=True, slots=True)
class EventQuery:
    """A normalised ``/api/v1/events`` request; equal queries give equal bytes."""

    view: Filter
    start: date  # first day (in the calendar's zone)
    end: date | None = None  # last day, inclusive; None = open-ended
    text: str = ""  # already folded with fold_text
    statuses: tuple[str, ...] = ()
    limit: int = 50
    after: CursorKey | None = None
    lang: str | None = None
    updated_since: datetime | None = None  # UTC: only entries changed (or removed) after it

    def params(self) -> list[tuple[str, str]]:
        """The query string that asks for this query again (without the cursor)."""
        params: list[tuple[str, str]] = []
        if self.view.feed != "all":
            params.append(("feed", self.view.feed))
        params += [("type", t) for t in self.view.types]
        params += [("tag", t) for t in self.view.tags]
        params += [("source", s) for s in self.view.sources]
        params.append(("from", self.start.isoformat()))
        if self.end is not None:
            params.append(("to", self.end.isoformat()))
        if self.text:
            params.append(("q", self.text))
        params += [("status", s) for s in self.statuses]
        if self.lang:
            params.append(("lang", self.lang))
        if self.updated_since is not None:
            params.append(("updated_since", utc_text(self.updated_since)))
        params.append(("limit", str(self.limit)))
        return params


@dataclass(frozen=True, slots=True)
class CalendarQuery:
    """A normalised ``/api/v1/fullcalendar`` request: the visible range FullCalendar asks for."""

    view: Filter
    start: datetime
    end: datetime
    zone: tzinfo | None = None  # FullCalendar's named timeZone; None = keep each entry's zone
    text: str = ""
    statuses: tuple[str, ...] = ()
    lang: str | None = None


def fold_text(text: str) -> str:
    """Case- and form-insensitive text for search: 'HØRING' and 'høring' fold alike."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def encode_cursor(key: CursorKey) -> str:
    raw = orjson.dumps({"start": key.start.isoformat(), "id": key.id})
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> CursorKey:
    """Read a cursor made by ``encode_cursor``; ValueError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = orjson.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not a cursor from this API") from exc
    if not isinstance(data, dict) or set(data) != {"start", "id"}:
        raise ValueError("not a cursor from this API")
    start, entry_id = data["start"], data["id"]
    if not isinstance(start, str) or not isinstance(entry_id, str) or not _ID.match(entry_id):
        raise ValueError("not a cursor from this API")
    when = datetime.fromisoformat(start)  # ValueError if not a date-time
    if when.tzinfo is None:
        raise ValueError("not a cursor from this API")
    try:
        return CursorKey(when.astimezone(UTC), entry_id)
    except OverflowError:  # a tampered year 1 or 9999 that UTC pushes out of range
        raise ValueError("not a cursor from this API") from None


# --- selection ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    published: Published
    occurrence: Occurrence

    @property
    def key(self) -> CursorKey:
        start = self.occurrence.instants(self.published.entry.timezone)[0]
        return CursorKey(start.astimezone(UTC), self.published.entry.id)


@dataclass(frozen=True, slots=True)
class Gone:
    """A tombstone among a page's rows: placed by the removed entry's (first) start, so one
    cursor pages items and tombstones alike and each tombstone comes on exactly one page."""

    removed: Removed
    key: CursorKey


def matches(entry: Entry, feed: FeedDef, view: Filter, text: str,
            statuses: tuple[str, ...]) -> bool:
    if not view.matches(feed, entry):
        return False
    if statuses and entry.status not in statuses:
        return False
    if text:
        fields = (entry.title, entry.description, entry.organizer, entry.location)
        return any(text in fold_text(f) for f in fields if f)
    return True


def expand(entries: Iterable[Published], window_from: datetime,
           window_to: datetime | None) -> list[Row]:
    """Occurrences overlapping the window, in (start, id) order. Without an end, one-off
    entries count however far ahead they are and rules run RECURRENCE_HORIZON_DAYS."""
    rows: list[Row] = []
    horizon = window_from + timedelta(days=RECURRENCE_HORIZON_DAYS)
    for published in entries:
        entry = published.entry
        until = window_to or (horizon if entry.repeat else _FAR_FUTURE)
        rows.extend(Row(published, occ) for occ in occurrences(entry, window_from, until))
    rows.sort(key=lambda row: row.key)
    return rows


def event_rows(snapshot: Snapshot, query: EventQuery) -> list[Row]:
    feed = snapshot.feeds[query.view.feed]
    tz = snapshot.calendar.timezone
    window_from = local_midnight(query.start, tz)
    window_to = local_midnight(query.end + timedelta(days=1), tz) if query.end else None
    since = query.updated_since
    chosen = (p for p in snapshot.entries
              if (since is None or p.last_modified > since)
              and matches(p.entry, feed, query.view, query.text, query.statuses))
    return expand(chosen, window_from, window_to)


def changed_rows(snapshot: Snapshot, query: EventQuery) -> list[Row | Gone]:
    """With ``updated_since``: the view's changed occurrences and its tombstones (entries
    removed after that instant that the same filters would have listed), in one (start, id)
    order. Tombstones are not held to the date window: a mirror may hold an entry from when it
    was ahead, and must still be told it is gone."""
    since = query.updated_since
    assert since is not None
    feed = snapshot.feeds[query.view.feed]
    gone = [Gone(r, _tombstone_key(r)) for r in snapshot.removed
            if r.at > since and (r.entry is None or matches(
                r.entry, feed, query.view, query.text, query.statuses))]
    rows: list[Row | Gone] = [*event_rows(snapshot, query), *gone]
    return sorted(rows, key=lambda row: row.key)


def _tombstone_key(removed: Removed) -> CursorKey:
    if removed.entry is None:
        return CursorKey(_FIRST, removed.id)
    entry = removed.entry
    start = span_instants(entry.start, entry.end, entry.timezone)[0]
    return CursorKey(start.astimezone(UTC), removed.id)
