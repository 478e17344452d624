"""An entry as a list shows it (``Item``), grouped by month: the rows of the front page, the
archive, the month page and the embedded list. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import groupby

from ...languages import fell_back
from ...localtime import local_midnight, zone
from ...model import CalendarInfo, Published, When
from ...recurrence import Occurrence, last_end, next_occurrences
from .. import labels
from ..context import RenderContext
from ..pagelinks import page_lang, with_lang


@dataclass(frozen=True, slots=True)
class Item:
    """One entry as a list shows it."""

    id: str
    href: str
    title: str
    type: str
    type_label: str
    when: str
    when_here: str | None  # a foreign-zone entry's time in the calendar's zone
    datetime: str  # for <time datetime>
    location: str | None
    organizer: str | None
    cancelled: bool
    tentative: bool
    deadline: bool
    deadline_open: bool
    days_left: str | None
    recurring: bool
    source: str | None = None  # the partner source it was pulled from
    ended: bool = False  # its last day is before today (a deadline: past its due day)
    title_lang: str | None = None  # the language of text that had no translation
    location_lang: str | None = None


@dataclass(frozen=True, slots=True)
class Month:
    id: str  # "2024-08"
    heading: str  # "August 2024"
    items: tuple[Item, ...]
    continued: bool = False  # the month began on the page before




def local_day(value: When, tz_name: str) -> date:
    if isinstance(value, datetime):
        return value.astimezone(zone(tz_name)).date()
    return value


def item(published: Published, occurrence: Occurrence, ctx: RenderContext,
         calendar: CalendarInfo) -> Item:
    entry = published.entry
    lang = calendar.language
    days_left = None
    deadline_open = False
    ended = local_day(occurrence.end, calendar.timezone) < ctx.today
    if entry.is_deadline:
        days = (local_day(occurrence.start, entry.timezone) - ctx.today).days
        deadline_open = days >= 0
        if deadline_open and not entry.cancelled:
            days_left = labels.days_left_text(lang, days)
    return Item(
        id=entry.id,
        href=with_lang(f"/events/{entry.id}", page_lang(calendar)),
        title=entry.title,
        title_lang=fell_back(entry, "title", calendar),
        location_lang=fell_back(entry, "location", calendar),
        type=entry.type,
        type_label=labels.type_label(lang, entry.type),
        when=labels.entry_span(lang, entry, occurrence.start, occurrence.end),
        when_here=_when_here(occurrence, entry.timezone, calendar),
        datetime=occurrence.start.isoformat(),
        location=entry.location,
        organizer=entry.organizer,
        cancelled=entry.cancelled,
        tentative=entry.status == "tentative",
        deadline=entry.is_deadline,
        deadline_open=deadline_open,
        days_left=days_left,
        recurring=entry.repeat is not None,
        source=entry.source,
        ended=ended,
    )


def _when_here(occurrence: Occurrence, tz_name: str, calendar: CalendarInfo) -> str | None:
    # A New York webinar says "10:00–11:30 EST"; readers here also want "16:00–17:30 CET".
    start, end = occurrence.start, occurrence.end
    if not isinstance(start, datetime) or not isinstance(end, datetime) \
            or tz_name == calendar.timezone:
        return None
    here = zone(calendar.timezone)
    local_start, local_end = start.astimezone(here), end.astimezone(here)
    if local_start.date() == start.date() == local_end.date():  # the same day: times suffice
        return f"{local_start:%H:%M}–{local_end:%H:%M} {local_end.tzname()}"
    return labels.format_span(calendar.language, local_start, local_end)


def month_of(pair: tuple[Published, Occurrence]) -> tuple[int, int]:
    """(year, month) of the day an entry (or its next occurrence) starts, in its own zone."""
    day = local_day(pair[1].start, pair[0].entry.timezone)
    return day.year, day.month


def by_month(pairs: Sequence[tuple[Published, Occurrence]], ctx: RenderContext,
             calendar: CalendarInfo) -> list[Month]:
    lang = calendar.language
    months = []
    for (year, month), group in groupby(pairs, key=month_of):
        name = labels.month_name(lang, month)
        months.append(Month(
            id=f"{year:04d}-{month:02d}",
            heading=f"{name[:1].upper()}{name[1:]} {year}",
            items=tuple(item(p, o, ctx, calendar) for p, o in group),
        ))
    return months


def split_upcoming(
    entries: Iterable[Published], today: date, tz_name: str
) -> tuple[list[tuple[Published, Occurrence]], list[tuple[Published, Occurrence]]]:
    """(upcoming, past): upcoming entries have not ended by the start of ``today`` and carry
    their next occurrence; past ones carry themselves (a finished series its first date)."""
    today_start = local_midnight(today, tz_name)
    upcoming: list[tuple[Published, Occurrence]] = []
    past: list[tuple[Published, Occurrence]] = []
    for published in entries:
        entry = published.entry
        end = last_end(entry)
        if end is None or end > today_start:
            if entry.repeat is None:
                upcoming.append((published, Occurrence(entry.start, entry.end)))
                continue
            following = next_occurrences(entry, today_start, 1)
            if following:
                upcoming.append((published, following[0]))
                continue
        past.append((published, Occurrence(entry.start, entry.end)))
    # Thousands of entries share a few hundred days: find each day's midnight once (a zone
    # lookup per entry was most of the time a 10,000-entry page took to build).
    midnight = cache(local_midnight)

    def sort_key(pair: tuple[Published, Occurrence]) -> tuple[datetime, str, str]:
        entry, start = pair[0].entry, pair[1].start
        instant = start if isinstance(start, datetime) else midnight(start, entry.timezone)
        return instant, entry.title, entry.id

    upcoming.sort(key=sort_key)
    past.sort(key=sort_key, reverse=True)
    return upcoming, past
