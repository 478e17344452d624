"""Warnings about a valid source that probably does not say what the editor meant: nothing
here blocks a sync, but each is a mistake that would otherwise go unnoticed by everyone
except the subscriber who misses an entry.

- a named feed that selects nothing (a typo in its ``types:`` or ``tags:``);
- an entry only the "all" feed shows while a named feed takes its type (a forgotten tag);
- two entries with the same title on the same day (pasted twice, or one meant to be edited);
- an entry added to a published calendar that had already ended (``ended_before_published``,
  after a sync: a wrong year, most often; subscribers never see it as coming).

Pure: a validated source and a way to find places in the file in, Problems out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from .errors import Problem
from .model import Entry, Source

# ("feeds", name) or ("entries", index, key): a place in the file -> (line, column)
Where = Callable[[tuple[str | int, ...]], tuple[int, int]]


def source_warnings(source: Source, filename: str, where: Where) -> list[Problem]:
    found: list[Problem] = []

    def warn(path: tuple[str | int, ...], message: str) -> None:
        line, col = where(path)
        found.append(Problem(filename, line, col, message, "warning"))

    named = {name: feed for name, feed in source.feeds.items() if name != "all"}
    written = [(i, e) for i, e in enumerate(source.entries) if e.registration_for is None]
    for name, feed in named.items():
        if not any(feed.matches(entry) for _, entry in written):
            warn(("feeds", name), _empty_feed(name, feed.types, feed.tags))
    for index, entry in written:
        if any(feed.matches(entry) for feed in named.values()):
            continue
        takers = [(name, feed.tags) for name, feed in named.items()
                  if entry.type in feed.types and feed.tags]
        if takers:
            name, tags = takers[0]
            warn(("entries", index, "tags"),
                 f"'{entry.id}' is in no named feed, though feed '{name}' takes type "
                 f"'{entry.type}'; add one of its tags ({', '.join(tags)}) if it belongs there")
    seen: dict[tuple[str, date], tuple[int, Entry]] = {}
    for index, entry in written:
        key = (entry.title.casefold().strip(), _day(entry.start))
        if key in seen:
            other_index, other = seen[key]
            line, _ = where(("entries", other_index))
            warn(("entries", index, "title"),
                 f"'{entry.id}' has the same title and day as '{other.id}' (line {line}); "
                 "remove one, or tell them apart in the title")
        else:
            seen[key] = (index, entry)
    return found


def _empty_feed(name: str, types: tuple[str, ...], tags: tuple[str, ...]) -> str:
    wants = []
    if types:
        wants.append("type " + " or ".join(types))
    if tags:
        wants.append("tag " + " or ".join(tags))
    return (f"feed '{name}' selects no entry (it takes {' with '.join(wants) or 'any entry'}); "
            "check its types: and tags: for a typo")


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def ended_before_published(source: Source, added: Sequence[str], today: date, filename: str,
                           where: Where) -> list[Problem]:
    """The entries of ``added`` (new in this sync) that ended before ``today``: what a
    mistyped year looks like. Repeating entries are left out (a series may have started long
    ago), and so is a calendar's first sync (everything is new then, and old entries are
    history worth keeping)."""
    new = set(added)
    found = []
    for index, entry in enumerate(source.entries):
        if entry.id not in new or entry.repeat or entry.registration_for:
            continue
        last = _day(entry.end)
        if last < today:
            line, col = where(("entries", index))
            found.append(Problem(
                filename, line, col,
                f"'{entry.id}' ended ({last.isoformat()}) before it was first synced; "
                "subscribers never saw it coming: check its year", "warning"))
    return found
