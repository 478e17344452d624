"""Is this ``repeat:`` rule one every output can show, for an entry starting then?

A rule must be RFC 5545 (as python-dateutil reads it), produce at least one date, and stay
within what the outputs hold (see :func:`_check_size`). Like ``validators.py``: no YAML, no
positions; :class:`~calfeed.validators.Invalid` carries the message the editor reads.
"""

from __future__ import annotations

from datetime import MAXYEAR, UTC, date, datetime, timedelta
from itertools import islice

from dateutil.rrule import HOURLY, MINUTELY, SECONDLY, YEARLY, rrule

from .recurrence import parse_rule, rule_start
from .validators import MAX_YEAR, Invalid, and_, local_text

MAX_INTERVAL = 1_000
MAX_DATES = 5_000  # dates of a rule that ends (COUNT, or the dates until UNTIL)
MAX_PER_DAY = 24  # times a rule may give in one day: hourly
MAX_PER_YEAR = 1_100  # dates in the year from the first: three a day (366 x 3 = 1,098)

_RULE_EXAMPLE = "Write an RFC 5545 RRULE such as FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_LONGEST_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# RFC 5545 §3.3.10 ranges; dateutil accepts BYMONTH=13 (never happens) and drops BYMONTHDAY=0.
_RANGES = {
    "BYMONTH": (1, 12, "1 to 12"),
    "BYMONTHDAY": (1, 31, "1 to 31, or -1 (the last day) to -31"),
    "BYYEARDAY": (1, 366, "1 to 366, or -1 (the last day) to -366"),
    "BYWEEKNO": (1, 53, "1 to 53, or -1 (the last week) to -53"),
}
# The Gregorian calendar repeats every 400 years (146,097 days, a whole number of weeks), so a
# rule behaves the same from a start moved by 400 years; see _first_date.
_CYCLE = 400
_SEARCH_YEARS = 100


def repeat_rule(rule_text: str, start: date | datetime) -> rrule:
    """The rule of an entry starting at ``start``, if it is one a calendar can show.

    Refused: what dateutil cannot parse; parts outside RFC 5545 (BYMONTH=13, dateutil's own
    BYEASTER); repeating more often than hourly (or hourly all-day), also through BY-lists;
    more than the outputs can hold (see :func:`_check_size`); and rules that never produce a
    date (February 30th, UNTIL before the first date, parts that never coincide). Deciding
    "never" is bounded: see :func:`_first_date`.
    """
    try:
        rule = parse_rule(rule_text, start)
    except (ValueError, TypeError) as exc:
        raise Invalid(f"invalid repeat rule: {exc}. {_RULE_EXAMPLE}") from None
    parts = _rule_parts(rule_text)
    _check_ranges(parts)
    freq = getattr(rule, "_freq", YEARLY)
    if freq in (MINUTELY, SECONDLY):
        unit = "minute" if freq == MINUTELY else "second"
        raise Invalid(f"repeating every {unit} is not supported for calendar entries; use "
                      "FREQ=HOURLY or coarser, or write the times as separate entries")
    if freq == HOURLY and not isinstance(start, datetime):
        raise Invalid("an all-day entry cannot repeat every hour; use FREQ=DAILY or coarser, "
                      "or give the entry a start time")
    if "BYEASTER" in parts:
        raise Invalid("BYEASTER is a python-dateutil extension, not RFC 5545, so calendar apps "
                      "would not show these dates; write them as separate entries")
    _check_size(rule, isinstance(start, datetime))
    never = "this repeat rule never produces a date"
    conflict = _month_day_conflict(rule, "BYMONTHDAY" in parts)
    if conflict:
        raise Invalid(f"{never}: {conflict}")
    until: datetime | None = getattr(rule, "_until", None)
    if until is not None and until < rule_start(start):
        raise Invalid(f"{never}: UNTIL ({_until_text(until)}) is before the start "
                      f"({local_text(start)}); set UNTIL on or after the start")
    first, years = _first_date(rule, start)
    if first is None:
        used = [n for n in parts if n.startswith("BY") or (n == "INTERVAL" and parts[n] != "1")]
        raise Invalid(f"{never} (none in the {years} years from the start); check that its "
                      f"{and_(used or ['parts'])} can be met together")
    if until is not None and first > until:
        raise Invalid(f"{never}: UNTIL ({_until_text(until)}) is before its first date "
                      f"({local_text(first if isinstance(start, datetime) else first.date())}); "
                      "move UNTIL later or check the rule")
    if until is not None or getattr(rule, "_count", None) is not None:
        _check_dates(rule)
    _check_density(rule, first)
    return rule


def _check_density(rule: rrule, first: datetime) -> None:
    """At most MAX_PER_YEAR dates in the year from the first: every output's window (the
    API's 400 days by default, FullCalendar's up to 1,000, ten years of the API's ``to``)
    holds that many per year of it, per entry. An hourly rule without end would be 8,760."""
    end = first + timedelta(days=366)
    for seen, when in enumerate(rule.xafter(first, inc=True), start=1):
        if when >= end:
            return
        if seen > MAX_PER_YEAR:
            raise Invalid(f"this rule gives more than {MAX_PER_YEAR:,} dates a year; a "
                          f"calendar entry may repeat at most {MAX_PER_YEAR:,} times a year "
                          "(three a day): use a coarser FREQ, a larger INTERVAL or "
                          "fewer BYDAY or BYHOUR values, or write separate entries")


def _check_size(rule: rrule, timed: bool) -> None:
    """Refuses what would make outputs huge or the date arithmetic leave Python's years.

    Each bound is far beyond what an event calendar needs: every 1,000th period, 5,000 dates,
    UNTIL by the year 2199, and at most 24 times a day (hourly), however the times are written:
    BYHOUR, BYMINUTE and BYSECOND lists multiply (FREQ=HOURLY;BYMINUTE=0,…,59 is every minute).
    """
    interval: int = getattr(rule, "_interval", 1)
    if interval > MAX_INTERVAL:
        raise Invalid(f"INTERVAL={interval} is more than {MAX_INTERVAL:,}; a rule that repeats "
                      "that rarely never repeats in a calendar's lifetime: use a smaller "
                      "INTERVAL, or remove 'repeat:'")
    count: int | None = getattr(rule, "_count", None)
    if count is not None and count > MAX_DATES:
        raise Invalid(f"COUNT={count} is more than the {MAX_DATES:,} dates a rule may have; "
                      "use a smaller COUNT, or leave COUNT out to repeat without end")
    until: datetime | None = getattr(rule, "_until", None)
    if until is not None and until.year > MAX_YEAR:
        raise Invalid(f"UNTIL ({_until_text(until)}) is after {MAX_YEAR}; leave UNTIL out to "
                      "repeat without end")
    per_day, how = _times_a_day(rule)
    if not timed and per_day > 1:
        raise Invalid("an all-day entry happens at most once a day; remove BYHOUR, BYMINUTE "
                      "and BYSECOND, or give the entry a start time")
    if per_day > MAX_PER_DAY:
        raise Invalid(f"this rule gives up to {per_day:,} times a day ({how}); a calendar "
                      f"shows at most {MAX_PER_DAY} a day: use fewer BYHOUR, BYMINUTE or "
                      "BYSECOND values, or write the times as separate entries")


def _times_a_day(rule: rrule) -> tuple[int, str]:
    """At most how many times a day the rule gives, and the factors, as the editor wrote them.

    dateutil fills BYHOUR (for rules coarser than hourly), BYMINUTE and BYSECOND from the start
    when they are not written; an hourly rule without BYHOUR gives every INTERVAL-th hour.
    """
    by_hour = getattr(rule, "_byhour", None)
    hours = len(by_hour) if by_hour else -(-24 // getattr(rule, "_interval", 1))
    minutes = len(getattr(rule, "_byminute", None) or (0,))
    seconds = len(getattr(rule, "_bysecond", None) or (0,))
    total = hours * minutes * seconds
    setpos = getattr(rule, "_bysetpos", None)
    if setpos:  # BYSETPOS picks that many per period (an hour, or a day or longer)
        hourly = getattr(rule, "_freq", YEARLY) == HOURLY
        total = min(total, len(setpos) * (hours if hourly else 1))
    return total, " × ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in (
        (hours, "hour"), (minutes, "minute"), (seconds, "second")))


def _check_dates(rule: rrule) -> None:
    """A rule that ends: at most MAX_DATES dates, the last one by MAX_YEAR (COUNT=300 yearly
    from 2024 would run to 2323)."""
    seen = 0
    try:
        for when in islice(rule, MAX_DATES + 1):
            seen += 1
            if when.year > MAX_YEAR:
                raise Invalid(f"date number {seen:,} of this rule is in {when.year}, after "
                              f"{MAX_YEAR}; use a smaller COUNT, or leave COUNT out to repeat "
                              "without end")
    except (ValueError, OverflowError) as exc:  # dateutil stepping past the year 9999
        if isinstance(exc, Invalid):
            raise
        raise Invalid(f"its dates run past {MAX_YEAR}; use a smaller COUNT or INTERVAL") from None
    if seen > MAX_DATES:
        raise Invalid(f"this rule gives more than {MAX_DATES:,} dates before UNTIL; use an "
                      "earlier UNTIL or a coarser FREQ, or leave UNTIL out to repeat without end")


def _rule_parts(rule_text: str) -> dict[str, str]:
    # Only called on text parse_rule accepted, so every part is NAME=VALUE.
    pairs = (part.split("=", 1) for part in rule_text.split(";") if "=" in part)
    return {name.strip().upper(): value.strip() for name, value in pairs}


def _check_ranges(parts: dict[str, str]) -> None:
    for name, (low, high, allowed) in _RANGES.items():
        for item in parts.get(name, "").split(","):
            if item and item.lstrip("+-").isdigit() and not low <= abs(int(item)) <= high:
                raise Invalid(f"invalid repeat rule: {name}={item} is out of range; use "
                              f"{allowed}. {_RULE_EXAMPLE}")


def _month_day_conflict(rule: rrule, wrote_monthday: bool) -> str | None:
    """'February has no day 30' when no BYMONTH month has any BYMONTHDAY day."""
    days = (*(getattr(rule, "_bymonthday", None) or ()),
            *(getattr(rule, "_bynmonthday", None) or ()))
    months = getattr(rule, "_bymonth", None) or range(1, 13)
    if not days or any(abs(d) <= _LONGEST_MONTH[m - 1] for m in months for d in days):
        return None
    verb = "has" if len(months) == 1 else "have"
    day_list = " or ".join(str(d) for d in days)
    # Without BYMONTHDAY, dateutil (like RFC 5545) takes the day from the start.
    source = "" if wrote_monthday else " (the start's day, used when BYMONTHDAY is not given)"
    return (f"{and_([_MONTHS[m - 1] for m in months])} {verb} no day {day_list}{source}; "
            "check BYMONTH and BYMONTHDAY")


def _first_date(rule: rrule, start: date | datetime) -> tuple[datetime | None, int]:
    """The rule's first date-time (or None), and how many years were searched: at least a
    century, unless the start is within one of the year 9999.

    dateutil looks for the next date until year 9999 (UNTIL and COUNT only stop it once it has
    found one), which takes seconds for a rule that never happens. So we ask it from a start
    moved a multiple of 400 years forward, to between 100 and 500 years before 9999, where its
    search ends on its own; the calendar there is the same, and so is the answer, moved back.
    """
    naive = rule_start(start).replace(tzinfo=None)
    shift = max(0, (MAXYEAR - _SEARCH_YEARS - naive.year) // _CYCLE) * _CYCLE
    moved = naive.replace(year=naive.year + shift)
    years = min(_SEARCH_YEARS, MAXYEAR - naive.year + 1)
    probe = rule.replace(dtstart=moved, until=None, count=None)
    try:
        found = probe.after(moved, inc=True)
    except (ValueError, OverflowError):  # dateutil stepping past 9999: nothing before it
        return None, years
    if found is None:
        return None, years
    return found.replace(year=found.year - shift, tzinfo=rule_start(start).tzinfo), years


def _until_text(until: datetime) -> str:
    # dateutil holds an all-day rule's UNTIL as a naive midnight, a timed rule's in UTC.
    if until.tzinfo is None:
        return f"{until:%Y-%m-%d}"
    return f"{until.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
