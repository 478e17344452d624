"""Which published entries a view shows: the window, named feeds and filters. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..localtime import local_midnight
from ..model import Entry, FeedDef, Published, Snapshot
from ..recurrence import last_end


@dataclass(frozen=True, slots=True)
class Filter:
    """A view of the entries: a named feed, narrowed by types, tags and partner sources (any
    of each)."""

    feed: str = "all"
    types: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def matches(self, feed: FeedDef, entry: Entry) -> bool:
        if not feed.matches(entry):
            return False
        if self.types and entry.type not in self.types:
            return False
        if self.sources and entry.source not in self.sources:
            return False
        return not self.tags or any(tag in entry.tags for tag in self.tags)


def window_start(snapshot: Snapshot, today: date) -> datetime | None:
    """Entries that ended before this drop out of feeds; None keeps everything."""
    days = snapshot.calendar.past_days
    if days is None:
        return None
    return local_midnight(today - timedelta(days=days), snapshot.calendar.timezone)


def shown(published: Published, window: datetime | None, today_start: datetime) -> bool:
    """In the window, and not a cancelled entry that is over.

    A cancelled entry stays until it has ended, so subscribers see the cancellation in place
    of the event; after that it is noise, even inside ``past_days``.
    """
    end = last_end(published.entry)
    if end is None:
        return True
    if published.entry.cancelled and end <= today_start:
        return False
    return window is None or end > window


def select(snapshot: Snapshot, view: Filter, today: date) -> list[Published]:
    """The entries of a view inside the feed window, in start order (as the snapshot is)."""
    feed = snapshot.feeds[view.feed]
    window = window_start(snapshot, today)
    today_start = local_midnight(today, snapshot.calendar.timezone)
    return [p for p in snapshot.entries
            if view.matches(feed, p.entry) and shown(p, window, today_start)]


def all_tags(entries: Iterable[Published]) -> list[str]:
    return sorted({tag for p in entries for tag in p.entry.tags})


def newest_first(entries: Sequence[Published]) -> list[Published]:
    return sorted(entries, key=lambda p: (p.last_modified, p.entry.id), reverse=True)
