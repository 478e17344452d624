"""Is this value acceptable, and what is it? One function per kind of value in ``events.yaml``.

Each takes the text the editor wrote (YAML scalars arrive as ``str``, never through implicit
typing) and returns the value, or raises :class:`Invalid` with the message the editor will read.
No YAML, no positions, no pydantic: the reader (``source.py``) puts the place in front.

They run once per value of a file with thousands of entries, so the happy path is kept to a
precompiled regex or a set lookup; the did-you-mean machinery runs only when a value is refused.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable
from datetime import MAXYEAR, UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from dateutil.rrule import HOURLY, MINUTELY, SECONDLY, YEARLY, rrule

from .model import parse_rule, rule_start

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TAG = re.compile(r"^[a-z0-9æøåäöü]+(?:-[a-z0-9æøåäöü]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)$")
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]+)*$")
_WHOLE = re.compile(r"\d+")
_SPACE = re.compile(r"\s")  # exactly str.isspace(): both are Py_UNICODE_ISSPACE
# Unicode categories Cc (controls) and Cs (surrogates), minus tab and newline. Both sets are
# fixed by Unicode's stability policy, so one regex replaces a unicodedata lookup per character.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# What a calendar can hold and every output can render. Each bound is refused at its value with
# what to write instead; README ("Limits") lists them. Years: every zone's offset and the
# windows the outputs compute (past_days back, decades ahead) stay far inside Python's 1..9999.
MIN_YEAR, MAX_YEAR = 1900, 2199  # as the API's from/to (web/routes/api.py)
MAX_PAST_DAYS = 36_500  # a century back
MAX_LINE_CHARS = 500  # a title, place or organizer
MAX_TEXT_CHARS = 20_000  # a description
MAX_URL_CHARS = 2_000  # what browsers and calendar apps reliably keep
MAX_ID_CHARS = 100
MAX_INTERVAL = 1_000
MAX_DATES = 5_000  # dates of a rule that ends (COUNT, or the dates until UNTIL)
MAX_PER_DAY = 24  # times a rule may give in one day: hourly


class Invalid(ValueError):
    """A value the editor must change; the message says why and what to write instead."""


def text(value: Any) -> str:
    """Text with surrounding whitespace removed; never empty, no control characters."""
    if not isinstance(value, str):
        raise Invalid("expected text here")
    stripped = value.strip()
    bad = _CONTROL.search(stripped)
    if bad:
        raise Invalid(f"contains the control character U+{ord(bad.group()):04X}; remove it")
    if not stripped:
        raise Invalid("is empty; write some text or remove the key")
    if len(stripped) > MAX_TEXT_CHARS:
        raise Invalid(f"is {len(stripped):,} characters long, more than the {MAX_TEXT_CHARS:,} "
                      "a calendar entry can carry; shorten it and link to the full text with "
                      "'url:'")
    return stripped


def single_line(value: Any) -> str:
    result = text(value)
    if "\n" in result:
        raise Invalid("must be a single line")
    if len(result) > MAX_LINE_CHARS:
        raise Invalid(f"is {len(result):,} characters long, more than the {MAX_LINE_CHARS} "
                      "allowed on one line; shorten it and put the details in 'description:'")
    return result


def is_slug(value: str) -> bool:
    return _SLUG.match(value) is not None


def slug(value: Any) -> str:
    result = text(value)
    if len(result) > MAX_ID_CHARS:
        raise Invalid(f"is {len(result)} characters long; an id may have at most "
                      f"{MAX_ID_CHARS}: shorten it")
    if not _SLUG.match(result):
        suggestion = re.sub(r"[^a-z0-9]+", "-", _ascii(result).lower()).strip("-")
        hint = f"; for example '{suggestion}'" if suggestion else ""
        raise Invalid(
            f"'{result}' is not a valid id: ids must be lowercase letters, digits and '-'{hint}"
        )
    return result


def _ascii(value: str) -> str:
    value = value.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    value = value.replace("Æ", "Ae").replace("Ø", "O").replace("Å", "A")
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def tag(value: Any) -> str:
    result = single_line(value)
    if not _TAG.match(result):
        suggestion = re.sub(r"[\s_/,]+", "-", result.lower()).strip("-")
        raise Invalid(
            f"'{result}' is not a valid tag: tags are lowercase words joined by '-', "
            f"for example '{suggestion}'"
        )
    return result


# The Norwegian words editors write for the file's English values.
_NORWEGIAN = {
    "kurs": "course", "konferanse": "conference", "møte": "meeting",
    "arrangement": "event", "frist": "deadline", "høringsfrist": "deadline",
    "bekreftet": "confirmed", "foreløpig": "tentative", "avlyst": "cancelled", "no": "nb",
}


def one_of(options: Iterable[str], what: str) -> Callable[[Any], str]:
    """A validator for one of ``options``; a miss suggests the closest (or the English word)."""
    options = tuple(options)
    allowed = frozenset(options)

    def check(value: Any) -> str:
        result = text(value)
        if result in allowed:
            return result
        meant = _NORWEGIAN.get(result.lower())
        close = [meant] if meant in allowed else difflib.get_close_matches(
            result.lower(), options, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else "."
        raise Invalid(f"unknown {what} '{result}'{hint} Use one of: {', '.join(options)}")

    return check


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    # Only Area/Location names (and UTC): tzdata also has legacy names like CET, EST (a fixed
    # UTC-5, not New York), 'localtime' and 'Factory' that calendar apps misread or reject.
    return frozenset(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


# Windows zone names editors copy from Outlook, with the IANA zone of a typical place in each
# (a spelling hint would suggest nonsense: "W. Europe Standard Time" looks like San Marino).
_WINDOWS_ZONES = {
    "W. Europe Standard Time": "Europe/Oslo",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw",
    "FLE Standard Time": "Europe/Helsinki",
    "GMT Standard Time": "Europe/London",
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
}


def time_zone(value: Any) -> str:
    """An IANA zone name such as Europe/Oslo."""
    result = text(value)
    if result in _zones():
        return result
    if result in _WINDOWS_ZONES or result.endswith(("Standard Time", "Daylight Time")):
        example = _WINDOWS_ZONES.get(result, "Europe/Oslo")
        raise Invalid(
            f"'{result}' is a Windows time zone name; write the IANA name of the place, "
            f"e.g. '{example}'"
        )
    close = difflib.get_close_matches(result, sorted(_zones()), n=1, cutoff=0.6)
    hint = f" — did you mean '{close[0]}'?" if close else "."
    raise Invalid(
        f"unknown time zone '{result}'{hint} Use an IANA name such as Europe/Oslo or "
        "America/New_York (not a Windows name or an abbreviation like CET)"
    )


def _web_address(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"'{parts.scheme}:'" if parts.scheme else "no scheme"
        raise Invalid(
            f"only http and https links are allowed (this one has {scheme}); "
            "write the full address, starting with https://"
        )
    if not parts.netloc or _SPACE.search(value):
        raise Invalid(f"'{value}' is not a complete web address; write e.g. https://example.no/page")
    if len(value) > MAX_URL_CHARS:
        raise Invalid(f"is {len(value):,} characters long, more than the {MAX_URL_CHARS:,} "
                      "calendar apps keep; link to a shorter address")
    return value


def web_url(value: Any) -> str:
    """A complete http(s) address on one line."""
    result = text(value)
    if "\n" in result:
        raise Invalid("must be a single line")
    return _web_address(result)


def base_url(value: Any) -> str:
    """The site's address, without a trailing '/'."""
    return _web_address(text(value)).rstrip("/")


def domain(value: Any) -> str:
    result = text(value)
    if not _DOMAIN.match(result):
        raise Invalid(f"'{result}' is not a domain name; write e.g. kalender.example.no")
    return result


def when(value: Any) -> date | datetime:
    """A date (all-day) or a naive local date-time; the reader applies the zone."""
    if not isinstance(value, str):
        raise Invalid("expected a date like 2024-08-21 or a time like 2024-08-21 10:00")
    value = value.strip()
    parsed: date | datetime | None = None
    try:
        if _DATE.match(value):
            parsed = date.fromisoformat(value)
        elif match := _DATETIME.match(value):
            day, clock = match.groups()
            if len(clock.split(":")[0]) == 1:
                clock = "0" + clock
            parsed = datetime.fromisoformat(f"{day}T{clock}")
    except ValueError as exc:
        raise Invalid(f"'{value}' is not a real date or time ({exc})") from None
    if parsed is not None:
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise Invalid(f"'{value}' is outside the years a calendar can publish "
                          f"({MIN_YEAR}–{MAX_YEAR}); check the year")
        return parsed
    if _OFFSET.search(value):
        raise Invalid(
            f"'{value}' has a UTC offset; write the local time (2024-08-21 10:00) and set "
            "'timezone:' on the entry if it is not the calendar's"
        )
    raise Invalid(f"'{value}' is not a date; write 2024-08-21, or 2024-08-21 10:00 for a time")


def date_only(value: Any) -> date:
    parsed = when(value)
    if isinstance(parsed, datetime):
        raise Invalid("expected a date without a time, like 2024-06-28")
    return parsed


def days(value: Any) -> int:
    """A whole number of days, 0 to MAX_PAST_DAYS."""
    if not isinstance(value, str) or not _WHOLE.fullmatch(value.strip()):
        raise Invalid(f"'{value}' is not a whole number of days; write e.g. 400, or null")
    digits = value.strip().lstrip("0") or "0"
    if len(digits) > len(str(MAX_PAST_DAYS)) or int(digits) > MAX_PAST_DAYS:
        raise Invalid(f"'{value.strip()}' is more days than a calendar keeps; write at most "
                      f"{MAX_PAST_DAYS} (a century), or null to keep every entry")
    return int(digits)


_EVERY = re.compile(r"^(\d+)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def every(value: Any) -> timedelta:
    """How often a partner source is pulled: 30m, 6h, 1d; at least 5 minutes."""
    result = text(value)
    match = _EVERY.match(result.lower())
    if not match:
        raise Invalid(f"'{result}' is not an interval; write minutes, hours or days like "
                      "30m, 6h or 1d")
    interval = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if interval < timedelta(minutes=5):
        raise Invalid(f"'{result}' is too often; pull a partner at most every 5m")
    return interval


def rule_text(value: Any) -> str:
    """The text of a ``repeat:`` rule; whether it works for its entry is :func:`repeat_rule`'s
    question, which needs the start."""
    return text(value).removeprefix("RRULE:").strip()


# --- repeat rules --------------------------------------------------------------------------------

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
                      f"{_and(used or ['parts'])} can be met together")
    if until is not None and first > until:
        raise Invalid(f"{never}: UNTIL ({_until_text(until)}) is before its first date "
                      f"({local_text(first if isinstance(start, datetime) else first.date())}); "
                      "move UNTIL later or check the rule")
    if until is not None or getattr(rule, "_count", None) is not None:
        _check_dates(rule)
    return rule


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
    return (f"{_and([_MONTHS[m - 1] for m in months])} {verb} no day {day_list}{source}; "
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


def local_text(value: date | datetime) -> str:
    """A date or wall-clock time as the editor writes it in the file."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return value.isoformat()


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def per_language(inner: Callable[[Any], str]) -> Callable[[Any], str | dict[str, str]]:
    """Text as ``inner`` accepts it, or that text per language: ``{nb: …, en: …}``. Which
    languages the calendar has is the reader's question (it knows the calendar)."""

    def check(value: Any) -> str | dict[str, str]:
        if not isinstance(value, dict):
            return inner(value)
        if not value:
            raise Invalid("is empty; write the text, or '{nb: …, en: …}' for one per language")
        result: dict[str, str] = {}
        for language, text_ in value.items():
            if not isinstance(language, str) or not _LANGUAGE_CODE.match(language):
                raise Invalid(f"'{language}' is not a language code; write e.g. "
                              "'{nb: …, en: …}'")
            try:
                result[language] = inner(text_)
            except Invalid as exc:
                raise Invalid(f"the '{language}' text {exc}") from None
        return result

    return check
