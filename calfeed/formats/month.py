"""``/month/{YYYY-MM}``: one month as a grid of weeks, with the list's filters. Pure.

The grid is a real ``<table>`` (weekday column headers, a week-number row header, one cell per
day), so a screen reader announces "onsdag, uke 34" for a cell; nothing needs JavaScript.
Entries are placed by the calendar's zone, as the list pages date them. A multi-day entry is
drawn on each of its days (first, middle, last: the stylesheet joins them into a bar) and says
which day of how many it is; a deadline is drawn on its due day as a deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..localtime import local_midnight, zone
from ..model import Published, Snapshot
from ..recurrence import Occurrence, occurrences
from . import labels
from .context import RenderContext
from .select import Filter, select

DAYS_PER_WEEK = 7
FIRST_YEAR, LAST_YEAR = 1900, 2999  # what /month/ answers; outside is a 404


class NoSuchMonth(LookupError):
    """A ``YYYY-MM`` that is not a month calfeed shows."""


def parse_month(text: str) -> tuple[int, int]:
    """``"2024-08"`` → (2024, 8); NoSuchMonth for anything else."""
    year, dash, month = text.partition("-")
    if not (dash and len(year) == 4 and len(month) == 2 and year.isdigit()
            and month.isdigit()):
        raise NoSuchMonth(text)
    y, m = int(year), int(month)
    if not (FIRST_YEAR <= y <= LAST_YEAR and 1 <= m <= 12):
        raise NoSuchMonth(text)
    return y, m


def month_id(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


@dataclass(frozen=True, slots=True)
class Placed:
    """One entry on one day of the grid."""

    published: Published
    occurrence: Occurrence
    part: str  # "single", "first", "middle" or "last" of a multi-day span
    day_number: int  # which day of the span (1-based)
    day_count: int
    time: str | None  # "10:00" on a timed entry's first day


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    in_month: bool
    today: bool
    entries: tuple[Placed, ...]


@dataclass(frozen=True, slots=True)
class Week:
    number: int  # ISO week
    days: tuple[Day, ...]


def grid_days(year: int, month: int) -> tuple[date, date]:
    """The first Monday on or before the 1st and the last Sunday on or after the month's end."""
    first = date(year, month, 1)
    next_year, next_month = shift(year, month, 1)
    last = date(next_year, next_month, 1) - timedelta(days=1)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def _local_days(occ: Occurrence, tz_name: str) -> tuple[date, date, str | None]:
    """First and last day an occurrence covers in the calendar's zone, and its start time."""
    start, end = occ.start, occ.end
    if not isinstance(start, datetime):
        assert not isinstance(end, datetime)
        return start, end, None
    assert isinstance(end, datetime)
    here = zone(tz_name)
    local_start = start.astimezone(here)
    # The end is exclusive: a meeting ending at midnight does not reach into the next day.
    last = (end - timedelta(microseconds=1)).astimezone(here).date() if end > start \
        else local_start.date()
    return local_start.date(), last, f"{local_start:%H:%M}"


def place(entries: Sequence[Published], year: int, month: int,
          tz_name: str) -> dict[date, list[Placed]]:
    """Every day of the month's grid with what happens on it (recurring entries expanded)."""
    first, last = grid_days(year, month)
    window_from = local_midnight(first, tz_name)
    window_to = local_midnight(last + timedelta(days=1), tz_name)
    days: dict[date, list[Placed]] = {}
    for published in entries:
        for occ in occurrences(published.entry, window_from, window_to):
            start_day, end_day, time = _local_days(occ, tz_name)
            count = (end_day - start_day).days + 1
            day = max(start_day, first)
            while day <= min(end_day, last):
                number = (day - start_day).days + 1
                part = "single" if count == 1 else "first" if number == 1 \
                    else "last" if number == count else "middle"
                days.setdefault(day, []).append(Placed(
                    published, occ, part, number, count, time if number == 1 else None))
                day += timedelta(days=1)
    for placed in days.values():
        # Spans first (longest, so bars line up), then by time, then by title.
        placed.sort(key=lambda p: (p.day_count == 1, -p.day_count, p.time or "",
                                   p.published.entry.title, p.published.entry.id))
    return days


def weeks(snapshot: Snapshot, view: Filter, ctx: RenderContext, year: int,
          month: int) -> list[Week]:
    """The month's grid for a view: whole weeks, Monday first."""
    tz_name = snapshot.calendar.timezone
    placed = place(select(snapshot, view, ctx.today), year, month, tz_name)
    first, last = grid_days(year, month)
    result: list[Week] = []
    day = first
    while day <= last:
        days = []
        for _ in range(DAYS_PER_WEEK):
            days.append(Day(day, day.month == month, day == ctx.today,
                            tuple(placed.get(day, ()))))
            day += timedelta(days=1)
        result.append(Week(days[0].day.isocalendar().week, tuple(days)))
    return result


def month_heading(language: str, year: int, month: int) -> str:
    name = labels.month_name(language, month)
    return f"{name[:1].upper()}{name[1:]} {year}"


def weekday_names(language: str) -> list[tuple[str, str]]:
    """(short, full) names, Monday first."""
    return [(labels.label(language, f"weekday_short_{i}"), labels.label(language, f"weekday_{i}"))
            for i in range(DAYS_PER_WEEK)]


def count_entries(grid: Sequence[Week]) -> int:
    """How many entries the month itself (not the neighbours' days) shows."""
    return len({(p.published.entry.id, str(p.occurrence.start))
                for week in grid for day in week.days if day.in_month for p in day.entries})
