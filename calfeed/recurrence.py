"""Occurrences of entries: RRULE parsing and expansion across DST, the span of an
occurrence as instants, and when a (recurring) entry is over.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from itertools import islice

from dateutil.rrule import rrule, rrulestr

from .localtime import local_midnight, resolve_local, zone
from .model import Entry, When


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: When
    end: When  # inclusive last day for all-day, like Entry.end

    def instants(self, tz_name: str) -> tuple[datetime, datetime]:
        """Start and exclusive end as aware datetimes, for overlap tests."""
        return span_instants(self.start, self.end, tz_name)


def span_instants(start: When, end: When, tz_name: str) -> tuple[datetime, datetime]:
    if isinstance(start, datetime):
        assert isinstance(end, datetime)
        return start, end
    assert not isinstance(end, datetime)
    return local_midnight(start, tz_name), local_midnight(end + timedelta(days=1), tz_name)


def parse_rule(text: str, start: When) -> rrule:
    """Parse an RRULE for an entry starting at ``start``; raises ValueError when invalid.

    A timed entry's rule runs on an aware start, so dateutil steps in wall-clock time and UNTIL
    must be UTC (as RFC 5545 requires for a DTSTART with TZID); an all-day rule runs on dates.
    """
    rule_text = text.removeprefix("RRULE:")
    if "\n" in rule_text or "RRULE" in rule_text or "EXDATE" in rule_text:
        raise ValueError("write one RRULE without the 'RRULE:' prefix")
    names = {part.split("=", 1)[0].strip().upper() for part in rule_text.split(";")}
    if {"COUNT", "UNTIL"} <= names:  # RFC 5545: MUST NOT occur together
        raise ValueError("use COUNT or UNTIL, not both")
    try:
        rule = rrulestr(rule_text, dtstart=rule_start(start), forceset=False, cache=False)
    except ValueError as exc:
        if "UNTIL" not in str(exc):
            raise
        # dateutil's wording ("DTSTART is timezone-aware") is wrong for all-day entries.
        example = "a UTC time like 20261105T225959Z" if isinstance(start, datetime) \
            else "a date like 20261105"
        kind = "a timed" if isinstance(start, datetime) else "an all-day"
        raise ValueError(f"for {kind} entry, UNTIL must be {example}") from None
    if not isinstance(rule, rrule):  # pragma: no cover - forceset=False gives rrule
        raise ValueError("not a single RRULE")
    # INTERVAL=0 makes dateutil loop forever; COUNT=0 is an entry that never happens.
    if getattr(rule, "_interval", 1) < 1:
        raise ValueError("INTERVAL must be 1 or more")
    count = getattr(rule, "_count", None)
    if count is not None and count < 1:
        raise ValueError("COUNT must be 1 or more")
    return rule


def rule_start(start: When) -> datetime:
    """The DTSTART a rule runs from: an all-day entry's rule runs on naive midnights."""
    return start if isinstance(start, datetime) else datetime.combine(start, time())


def occurrences(entry: Entry, window_from: datetime, window_to: datetime) -> list[Occurrence]:
    """The concrete occurrences of ``entry`` that overlap ``[window_from, window_to)``.

    Times are in the entry's zone and correct across DST: each occurrence starts at the
    original's wall-clock time on its own day, read as RFC 5545 §3.3.5 says (a time in the
    spring gap with the offset before it, an autumn time as its first occurrence), and lasts
    exactly as long as the original (§3.8.5.3: a rule with DTEND repeats the exact duration).
    """
    return list(_iter_occurrences(entry, window_from, window_to))


def _iter_occurrences(
    entry: Entry, window_from: datetime, window_to: datetime
) -> Iterator[Occurrence]:
    if entry.repeat is None:
        first = Occurrence(entry.start, entry.end)
        start, end = first.instants(entry.timezone)
        if _overlaps(start, end, window_from, window_to):
            yield first
        return
    rule = parse_rule(entry.repeat, entry.start)
    if isinstance(entry.start, datetime):
        length = _exact_length(entry)
        # Look back by the length so an occurrence that started before the window but is still
        # running is included; dateutil compares wall times, so allow a day for any DST shift.
        after = (window_from - length - timedelta(days=1)).astimezone(entry.start.tzinfo)
        previous = None
        for wall in rule.xafter(after, inc=True):
            occ = _timed_occurrence(wall, length, entry.timezone)
            assert isinstance(occ.start, datetime) and isinstance(occ.end, datetime)
            if occ.start >= window_to:
                break
            # An hourly rule's wall time in the spring gap is read as the hour after it, so the
            # next wall time starts at the same instant: one instance (a recurrence set holds
            # each start once, RFC 5545 §3.8.5.3), listed once.
            if occ.start != previous and _overlaps(occ.start, occ.end, window_from, window_to):
                yield occ
            previous = occ.start
        return
    assert not isinstance(entry.end, datetime)
    days = entry.end - entry.start
    after_day = window_from.astimezone(zone(entry.timezone)).date() - days - timedelta(days=1)
    for wall in rule.xafter(datetime.combine(after_day, time()), inc=True):
        day = wall.date()
        occ = Occurrence(day, day + days)
        start, end = occ.instants(entry.timezone)
        if start >= window_to:
            break
        if _overlaps(start, end, window_from, window_to):
            yield occ


def _exact_length(entry: Entry) -> timedelta:
    """How long a timed entry lasts in elapsed time (not wall-clock time: 01:00-04:00 on the
    spring-forward night is two hours)."""
    assert isinstance(entry.start, datetime) and isinstance(entry.end, datetime)
    # Through UTC: Python subtracts two datetimes with the same tzinfo as wall-clock times.
    return entry.end.astimezone(UTC) - entry.start.astimezone(UTC)


def _timed_occurrence(wall: datetime, length: timedelta, tz_name: str) -> Occurrence:
    """The occurrence the rule puts at wall-clock ``wall``: read like any local time, so one in
    the spring gap starts after it (02:30 is 03:30 CEST) rather than collapsing to nothing,
    and ends the exact length later."""
    start = resolve_local(wall.replace(tzinfo=None), tz_name).value
    return Occurrence(start, (start.astimezone(UTC) + length).astimezone(start.tzinfo))


def _overlaps(start: datetime, end: datetime, window_from: datetime, window_to: datetime) -> bool:
    # A zero-length (instant) entry overlaps a window that contains its instant.
    return start < window_to and (end > window_from or (end == start and start >= window_from))


@lru_cache(maxsize=65536)
def last_end(entry: Entry) -> datetime | None:
    """When the entry (all its occurrences) is over; None if it recurs without end.

    Cached: every view's window test asks this of every entry, and entries are immutable.
    """
    if entry.repeat is None:
        return span_instants(entry.start, entry.end, entry.timezone)[1]
    rule = parse_rule(entry.repeat, entry.start)
    # dateutil has no public API for "is this rule bounded?"
    if getattr(rule, "_count", None) is None and getattr(rule, "_until", None) is None:
        return None
    last = None
    for last in rule:  # noqa: B007 - bounded by COUNT/UNTIL
        pass
    if last is None:
        return span_instants(entry.start, entry.end, entry.timezone)[1]
    if isinstance(entry.start, datetime):
        end = _timed_occurrence(last, _exact_length(entry), entry.timezone).end
        assert isinstance(end, datetime)
        return end
    assert not isinstance(entry.end, datetime)
    days = entry.end - entry.start
    return span_instants(last.date(), last.date() + days, entry.timezone)[1]


def next_occurrences(entry: Entry, after: datetime, count: int) -> list[Occurrence]:
    """Up to ``count`` occurrences that have not ended by ``after``, within 55 years of it.

    The occurrences are generated lazily, so an unbounded rule stops at the ``count``-th.
    """
    return list(islice(_iter_occurrences(entry, after, after + _NEXT_HORIZON), count))


_NEXT_HORIZON = timedelta(days=50 * 400)
