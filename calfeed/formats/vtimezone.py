"""VTIMEZONE components that Outlook reads correctly: yearly RRULEs, not RDATE lists.

Outlook desktop reads only the yearly ``RRULE`` of a zone's STANDARD/DAYLIGHT observances and
ignores ``RDATE`` lists, which is all icalendar's ``add_missing_timezones()`` writes. So a zone
whose transitions follow one yearly rule over the dates a feed uses (Europe/Oslo: last Sunday
of March and of October) is written as two observances with ``RRULE:FREQ=YEARLY;BYMONTH=…;
BYDAY=…``; a zone without DST as one STANDARD; only a zone with irregular rules (Morocco's
Ramadan breaks, a zone that changed its rules within the range) falls back to one observance
per transition, bounded to the dates used.

The transitions come from zoneinfo. Python exposes no transition table, so we scan the UTC line
in half-day steps and bisect each change of offset to the second.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from ..localtime import zone

_STEP = timedelta(hours=12)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Observances with a rule start in 1970, as Apple, Google and Microsoft write them, so the
# VTIMEZONE's bytes do not change when entries in a new year are added.
_EPOCH_YEAR = 1970
# How many later years to look at to tell "last Sunday" from "4th Sunday" when the years used
# fit both.
_DISAMBIGUATE_YEARS = 8


@dataclass(frozen=True, slots=True)
class Transition:
    at: datetime  # the UTC instant the new offset starts
    offset_from: timedelta
    offset_to: timedelta
    name: str  # the zone's abbreviation after the transition

    @property
    def local(self) -> datetime:
        """The onset as RFC 5545 writes it: wall time in the offset before the change."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def transitions(tzid: str, start: datetime, end: datetime) -> list[Transition]:
    """Every change of UTC offset in ``[start, end)`` (aware datetimes)."""
    tz = zone(tzid)
    result: list[Transition] = []
    here = start.astimezone(UTC)
    offset = here.astimezone(tz).utcoffset()
    while here < end:
        step = min(here + _STEP, end.astimezone(UTC))
        step_offset = step.astimezone(tz).utcoffset()
        if step_offset != offset:
            low, high = here, step  # offset(low) == offset, offset(high) != offset
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            after = high.astimezone(tz)
            assert offset is not None and step_offset is not None
            result.append(Transition(high, offset, after.utcoffset() or timedelta(),
                                     after.tzname() or ""))
            offset = step_offset
        here = step
    return result


@dataclass(frozen=True, slots=True)
class _Rule:
    """One yearly transition: the ``n``th ``weekday`` of ``month`` at ``at`` (wall time)."""

    month: int
    weekday: int
    n: int  # 1..5, or -1 for the last
    at: timedelta  # time of day in the offset before the change
    offset_from: timedelta
    offset_to: timedelta
    name: str

    def day_in(self, year: int) -> date:
        days = _calendar.monthrange(year, self.month)[1]
        if self.n < 0:
            last = date(year, self.month, days)
            return last - timedelta(days=(last.weekday() - self.weekday) % 7)
        first = date(year, self.month, 1)
        return first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.n - 1))


def _nths(day: date) -> set[int]:
    days = _calendar.monthrange(day.year, day.month)[1]
    found = {(day.day - 1) // 7 + 1}
    if day.day > days - 7:
        found.add(-1)
    return found


class _Key(NamedTuple):
    """What must be the same every year for a transition to follow one yearly rule."""

    month: int
    weekday: int
    at: timedelta
    offset_from: timedelta
    offset_to: timedelta
    name: str


def _key(t: Transition) -> _Key:
    local = t.local
    at = local - local.replace(hour=0, minute=0, second=0)
    return _Key(local.month, local.weekday(), at, t.offset_from, t.offset_to, t.name)


@lru_cache(maxsize=1024)
def _year_transitions(tzid: str, year: int) -> tuple[Transition, ...]:
    return tuple(transitions(tzid, datetime(year, 1, 1, tzinfo=UTC),
                             datetime(year + 1, 1, 1, tzinfo=UTC)))


def yearly_rules(tzid: str, first_year: int, last_year: int) -> list[_Rule] | None:
    """The zone's yearly rules if every year in the range follows the same two (or none).

    [] for a zone without transitions in the range; None when they fit no yearly rule.
    """
    per_year = [_year_transitions(tzid, year) for year in range(first_year, last_year + 1)]
    if any(len(found) != len(per_year[0]) for found in per_year) or len(per_year[0]) not in (0, 2):
        return None
    found: dict[_Key, set[int]] = {}
    for year_transitions in per_year:
        for t in year_transitions:
            key = _key(t)
            nths = _nths(t.local.date())
            found[key] = found[key] & nths if key in found else nths
    if len(found) != len(per_year[0]) or any(not nths for nths in found.values()):
        return None
    rules = []
    for key in sorted(found):
        candidates = _disambiguate(tzid, key, found[key], last_year)
        # "Last Sunday" is how such rules are written (EU, UK); "4th Sunday" almost never.
        n = -1 if -1 in candidates else min(candidates)
        rules.append(_Rule(key.month, key.weekday, n, key.at, key.offset_from, key.offset_to,
                           key.name))
    return rules


def _disambiguate(tzid: str, key: _Key, candidates: set[int], last_year: int) -> set[int]:
    for year in range(last_year + 1, last_year + 1 + _DISAMBIGUATE_YEARS):
        if len(candidates) == 1:
            break
        for t in _year_transitions(tzid, year):
            if _key(t) == key:
                candidates = (candidates & _nths(t.local.date())) or candidates
    return candidates


def build_vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """A VTIMEZONE for ``tzid`` that is right for every instant from ``first`` to ``last``."""
    rules = yearly_rules(tzid, first.year - 1, last.year)
    component = Timezone()
    component.add("TZID", tzid)
    if rules is None:
        for observance in _observances_one_by_one(tzid, first, last):
            component.add_component(observance)
        return component
    if not rules:
        noon = datetime(first.year, first.month, first.day, 12, tzinfo=UTC).astimezone(zone(tzid))
        offset = noon.utcoffset() or timedelta()
        onset = datetime(_EPOCH_YEAR, 1, 1)  # noqa: DTZ001 - a wall time, as RFC 5545 wants
        component.add_component(_observance(False, onset, offset, offset, noon.tzname() or ""))
        return component
    daylight_offset = max(rule.offset_to for rule in rules)
    for rule in sorted(rules, key=lambda r: r.offset_to != daylight_offset):
        onset = datetime.combine(rule.day_in(_EPOCH_YEAR), datetime.min.time()) + rule.at
        observance = _observance(rule.offset_to == daylight_offset, onset, rule.offset_from,
                                 rule.offset_to, rule.name)
        observance.add("RRULE", vRecur({
            "FREQ": "YEARLY",
            "BYMONTH": rule.month,
            "BYDAY": f"{rule.n}{_WEEKDAYS[rule.weekday]}",
        }))
        component.add_component(observance)
    return component


@lru_cache(maxsize=256)
def vtimezone_bytes(tzid: str, first: date, last: date) -> bytes:
    """``build_vtimezone(...).to_ical()``, cached: zoneinfo scans are not free."""
    return bytes(build_vtimezone(tzid, first, last).to_ical())


def _observance(daylight: bool, onset: datetime, offset_from: timedelta, offset_to: timedelta,
                name: str) -> TimezoneStandard | TimezoneDaylight:
    observance = TimezoneDaylight() if daylight else TimezoneStandard()
    observance.add("DTSTART", onset)
    observance.add("TZOFFSETFROM", offset_from)
    observance.add("TZOFFSETTO", offset_to)
    if name:
        observance.add("TZNAME", name)
    return observance


def _observances_one_by_one(tzid: str, first: date,
                            last: date) -> list[TimezoneStandard | TimezoneDaylight]:
    """One observance per transition between the dates used, each onset written in the offset
    before the change (RFC 5545 §3.6.5; icalendar's ``Timezone.from_tzid`` writes the wall time
    after it, an hour off around each change). No RDATE lists: ical.js (Thunderbird) reads only
    the first value of an RDATE and drops the DTSTART onset of an observance that has one."""
    tz = zone(tzid)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC) - timedelta(days=2)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=2)
    initial = start.astimezone(tz)
    offset = initial.utcoffset() or timedelta()
    result: list[TimezoneStandard | TimezoneDaylight] = [_observance(
        bool(initial.dst()), (start + offset).replace(tzinfo=None), offset, offset,
        initial.tzname() or "")]
    for t in transitions(tzid, start, end):
        daylight = bool(t.at.astimezone(tz).dst())
        result.append(_observance(daylight, t.local, t.offset_from, t.offset_to, t.name))
    return result
