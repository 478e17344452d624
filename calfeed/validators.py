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
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from .model import Month

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
    "arrangement": "event", "publikasjon": "publication", "rapport": "publication",
    "frist": "deadline", "høringsfrist": "deadline",
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


_MONTH_ONLY = re.compile(r"^(\d{4})-(\d{2})$")


def when_or_month(value: Any) -> date | datetime | Month:
    """Like :func:`when`, or a month whose day is not known yet: ``2024-06``."""
    if isinstance(value, str) and (match := _MONTH_ONLY.match(value.strip())):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise Invalid(f"'{value.strip()}' is not a real date or time (month must be in 1..12)")
        return Month(year, month)
    return when(value)


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
_MAX_EVERY = timedelta(days=30)


def every(value: Any) -> timedelta:
    """How often a partner source is pulled: 30m, 6h, 1d; at least 5 minutes, at most 30 days
    (a larger number of days would not even fit a timedelta)."""
    result = text(value)
    match = _EVERY.match(result.lower())
    if not match:
        raise Invalid(f"'{result}' is not an interval; write minutes, hours or days like "
                      "30m, 6h or 1d")
    number = match.group(1).lstrip("0") or "0"
    if len(number) > 6 or timedelta(**{_UNITS[match.group(2)]: int(number)}) > _MAX_EVERY:
        raise Invalid(f"'{result}' is too seldom; pull a partner at least every 30d")
    interval = timedelta(**{_UNITS[match.group(2)]: int(number)})
    if interval < timedelta(minutes=5):
        raise Invalid(f"'{result}' is too often; pull a partner at most every 5m")
    return interval


def rule_text(value: Any) -> str:
    """The text of a ``repeat:`` rule; whether it works for its entry is :func:`repeat_rule`'s
    question, which needs the start."""
    return text(value).removeprefix("RRULE:").strip()


def local_text(value: date | datetime) -> str:
    """A date or wall-clock time as the editor writes it in the file."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return value.isoformat()


def and_(words: list[str]) -> str:
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
