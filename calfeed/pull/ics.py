"""Read iCalendar as real generators write it into upstream items.

icalendar parses (VTIMEZONEs included: Outlook's Windows-named and "Customized Time Zone"
ones become real time zones), x-wr-timezone moves Google's UTC times into the calendar's
X-WR-TIMEZONE, and each entry is then placed in an IANA zone (the TZID when it is one, the
IANA zone of a Windows name, else the calendar's zone) so the published feed can write a proper
VTIMEZONE. A series (RRULE/RDATE, EXDATE, RECURRENCE-ID overrides) is expanded into its
occurrences within a window around the pull, each an entry of its own: a moved or cancelled
occurrence is then an edit of that entry, and an EXDATE a vanished one.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import x_wr_timezone
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar, Component, vRecur
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from ..localtime import zone
from .items import Item, MalformedError, Parsed, Skipped, label, one_line, plain_text, when_text

# Which occurrences of a series are pulled: recent ones (so "just happened" still shows) and a
# year ahead, at most MAX_OCCURRENCES of one series.
PAST = timedelta(days=31)
FUTURE = timedelta(days=366)
MAX_OCCURRENCES = 400

_ONLINE_PROPS = ("X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
                 "X-MICROSOFT-ONLINEMEETINGCONFLINK", "X-GOOGLE-CONFERENCE", "CONFERENCE")
_MEETING_LINK = re.compile(
    r"https://(?:teams\.microsoft\.com/l/meetup-join|teams\.live\.com/meet|[\w.-]*zoom\.us/j|"
    r"meet\.google\.com|whereby\.com)/[^\s<>\"']+")
_CANCELLED_PREFIX = re.compile(r"^\s*(?:cancell?ed|avlyst|canceled)\s*:\s*", re.IGNORECASE)
_LOOKS_HTML = re.compile(r"<(?:br|p|a|div|span|b|i|ul|li|strong|em)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Span:
    start: date | datetime  # a date, or an aware datetime in ``tz``
    end: date | datetime  # all-day: the last day, inclusive
    tz: str


def read_ics(body: bytes, *, default_tz: str, now: datetime) -> Parsed:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper()
    if not head.startswith(b"BEGIN:VCALENDAR"):
        raise MalformedError(f"not an iCalendar file (it starts with {body[:20]!r})")
    try:
        calendars = Calendar.from_ical(body, multiple=True)
    except (ValueError, KeyError, IndexError) as exc:
        raise MalformedError(f"not valid iCalendar: {exc}") from None
    parsed = Parsed()
    window = (now - PAST, now + FUTURE)
    for calendar in calendars:
        _read_calendar(calendar, default_tz, window, parsed)
    return parsed


def _read_calendar(calendar: Calendar, default_tz: str, window: tuple[datetime, datetime],
                   parsed: Parsed) -> None:
    wr_zone = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    home = wr_zone if _is_zone(wr_zone) else default_tz
    if wr_zone:
        calendar = x_wr_timezone.to_standard(calendar, timezone=home)
    cancel_all = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    masters: dict[str, Component] = {}
    overrides: dict[str, dict[Any, Component]] = {}
    for index, event in enumerate(calendar.walk("VEVENT")):
        uid = str(event.get("UID", "")).strip() or f"item {index + 1} of the calendar"
        if "RECURRENCE-ID" in event:
            overrides.setdefault(uid, {})[_instant(_get(event, "RECURRENCE-ID").dt, home)] = event
        elif uid in masters:
            parsed.skipped.append(Skipped(label(event.get("SUMMARY"), f"UID {uid}"),
                                          "a second event with the same UID; the first is kept"))
        else:
            masters[uid] = event
    for uid, master in masters.items():
        mine = overrides.pop(uid, {})
        try:
            if "RRULE" in master or "RDATE" in master:
                for ident, event, span in _series(master, mine, home, window, uid, parsed):
                    _add(parsed, event, span, f"{uid}#{_key_text(ident)}", home, cancel_all)
            else:
                _add(parsed, master, None, uid, home, cancel_all)
        except (ValueError, TypeError, OverflowError) as exc:
            parsed.skipped.append(Skipped(label(master.get("SUMMARY"), f"UID {uid}"),
                                          f"cannot be read: {exc}"))
        for recurrence, event in mine.items():  # overrides the series did not claim
            _add(parsed, event, None, f"{uid}#{_key_text(recurrence)}", home, cancel_all)
    for uid, orphans in overrides.items():  # one occurrence shared without its series
        for recurrence, event in orphans.items():
            _add(parsed, event, None, f"{uid}#{_key_text(recurrence)}", home, cancel_all)


def _add(parsed: Parsed, event: Component, occurrence: _Span | None, key: str, home: str,
         cancel_all: bool) -> None:
    """Add ``event`` (at ``occurrence``, for one of a series) as an item, or say why not."""
    title = event.get("SUMMARY")
    name = label(title, f"UID {key}")
    if str(event.get("CLASS", "PUBLIC")).upper() in ("PRIVATE", "CONFIDENTIAL"):
        parsed.skipped.append(Skipped(name, f"marked {str(event['CLASS']).lower()} (CLASS)"))
        return
    try:
        span = occurrence or _span(event, home)
    except (ValueError, TypeError, KeyError) as exc:
        parsed.skipped.append(Skipped(name, f"has no usable DTSTART/DTEND: {exc}"))
        return
    text = one_line(title) or ""
    status = str(event.get("STATUS", "")).upper()
    cancelled = cancel_all or status == "CANCELLED" or bool(_CANCELLED_PREFIX.match(text))
    if cancelled:
        text = _CANCELLED_PREFIX.sub("", text)
    description = _description(event)
    link = _web(event.get("URL"))
    location = one_line(event.get("LOCATION"))
    online = _online(event, description)
    if location and location.lower().startswith(("http://", "https://")):
        online, location = online or _web(location), None
    fields: dict[str, Any] = {
        "title": text or None,
        "start": when_text(_wall(span.start)),
        "end": when_text(_wall(span.end)),
        "timezone": span.tz,
        "location": location,
        "online_url": online,
        "url": link,
        "organizer": _organizer(event),
        "description": description,
        "status": "cancelled" if cancelled else "tentative" if status == "TENTATIVE"
        else "confirmed",
    }
    parsed.items.append(Item(key, name, {k: v for k, v in fields.items() if v is not None},
                             link))


# --- times -------------------------------------------------------------------------------------


def _span(event: Component, home: str) -> _Span:
    start_prop = _get(event, "DTSTART")
    start, tz = _place(start_prop.dt, start_prop.params.get("TZID"), home)
    if "DTEND" in event:
        end_prop = _get(event, "DTEND")
        end, _ = _place(end_prop.dt, end_prop.params.get("TZID"), home, tz)
    elif "DURATION" in event:
        end = _plus(start, _get(event, "DURATION").dt)
    else:
        end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    if _outlook_all_day(event, start, end):
        assert isinstance(start, datetime) and isinstance(end, datetime)
        start, end = start.date(), end.date()
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise ValueError("DTSTART and DTEND are not both dates or both times")
    if not isinstance(start, datetime):
        # iCalendar's DTEND of an all-day event is the day after; events.yaml's is the last day.
        end = max(start, end - timedelta(days=1))
    return _Span(start, end, tz)


def _place(value: date | datetime, tzid: str | None, home: str,
           into: str | None = None) -> tuple[date | datetime, str]:
    """A DTSTART/DTEND value as a date or an aware time in an IANA zone, and that zone."""
    if not isinstance(value, datetime):
        return value, into or home
    if value.tzinfo is None:  # floating: the calendar's own zone
        value = value.replace(tzinfo=zone(into or home))
    name = into or _iana(tzid, value, home) or home
    return value.astimezone(zone(name)), name


def _iana(tzid: str | None, value: datetime, home: str) -> str | None:
    if not tzid:
        return None
    tzid = tzid.strip().strip('"')
    if _is_zone(tzid):
        return tzid
    tail = "/".join(tzid.split("/")[-2:])  # "/mozilla.org/20050126_1/Europe/Oslo"
    if _is_zone(tail):
        return tail
    windows = WINDOWS_TO_OLSON.get(tzid)
    if windows and _is_zone(windows):
        # "W. Europe Standard Time" maps to Berlin; a calendar at home in Oslo keeps Oslo when
        # the two agree, so its entries are not labelled with a foreign city.
        return home if _same_rules(windows, home, value) else windows
    return None


def _same_rules(one: str, other: str, value: datetime) -> bool:
    year = value.year
    probes = [datetime(year, month, 15, 12, tzinfo=UTC) for month in (1, 4, 7, 10)]
    return all(p.astimezone(zone(one)).utcoffset() == p.astimezone(zone(other)).utcoffset()
               for p in probes)


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


def _is_zone(name: str) -> bool:
    return name in _zones()


def _outlook_all_day(event: Component, start: date | datetime, end: date | datetime) -> bool:
    flag = str(event.get("X-MICROSOFT-CDO-ALLDAYEVENT", "")).upper() == "TRUE"
    return flag and isinstance(start, datetime) and isinstance(end, datetime) \
        and start.time() == time() and end.time() == time()


def _plus(start: date | datetime, length: timedelta) -> date | datetime:
    if isinstance(start, datetime):
        return (start.astimezone(UTC) + length).astimezone(start.tzinfo)
    return start + length


def _wall(value: date | datetime) -> date | datetime:
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value


def _instant(value: date | datetime, home: str) -> date | datetime:
    """What identifies an occurrence: its date, or its start as a UTC instant."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(home))
    return value.astimezone(UTC)


def _key_text(value: date | datetime) -> str:
    return f"{value:%Y%m%dT%H%M%SZ}" if isinstance(value, datetime) else f"{value:%Y%m%d}"


# --- series ------------------------------------------------------------------------------------


def _series(master: Component, overrides: dict[Any, Component], home: str,
            window: tuple[datetime, datetime], uid: str,
            parsed: Parsed) -> Iterator[tuple[date | datetime, Component, _Span | None]]:
    """Each occurrence in the window as (its identity, the event that describes it, its span):
    an override (with its own span) where the series has one, else the master at that
    occurrence. Overrides used here are removed from ``overrides``."""
    span = _span(master, home)
    timed = isinstance(span.start, datetime)
    start_dt = span.start if isinstance(span.start, datetime) else datetime.combine(span.start,
                                                                                    time())
    rules = rruleset()
    for recur in _list(master.get("RRULE")):
        text = _rule_text(recur, start_dt)
        if re.search(r"FREQ=(SECONDLY|MINUTELY)", text):
            raise ValueError("repeats more often than hourly")
        rules.rrule(rrulestr(text, dtstart=start_dt, forceset=False))  # type: ignore[arg-type]
    rules.rdate(start_dt)  # RFC 5545: DTSTART is the first instance even if the rule skips it
    for prop in _list(master.get("RDATE")):
        for value in prop.dts:
            if not isinstance(value.dt, tuple):  # PERIOD values: start only is not enough
                rules.rdate(_like(value.dt, start_dt, span.tz))
    for prop in _list(master.get("EXDATE")):
        for value in prop.dts:
            rules.exdate(_like(value.dt, start_dt, span.tz))
    low, high = window
    if not timed:
        low = low.astimezone(zone(span.tz)).replace(tzinfo=None)
        high = high.astimezone(zone(span.tz)).replace(tzinfo=None)
    if timed:
        length = span.end.astimezone(UTC) - span.start.astimezone(UTC)  # type: ignore[union-attr]
    else:
        length = span.end - span.start  # type: ignore[operator]
    count = 0
    for occurrence in rules.xafter(low - length, inc=True):
        if occurrence > high:
            break
        count += 1
        if count > MAX_OCCURRENCES:
            parsed.skipped.append(Skipped(label(master.get("SUMMARY"), f"UID {uid}"),
                                          f"more than {MAX_OCCURRENCES} occurrences in a year; "
                                          "the later ones are left out"))
            return
        ident = _instant(occurrence if timed else occurrence.date(), home)
        override = overrides.pop(ident, None)
        if override is not None:
            yield ident, override, None
            continue
        if timed:
            start: date | datetime = occurrence
            end: date | datetime = _plus(occurrence, length)
        else:
            start = occurrence.date()
            end = start + length
        yield ident, master, _Span(start, end, span.tz)


def _get(event: Component, name: str) -> Any:
    """A property of ``event`` (icalendar's types name a union of every value class)."""
    return event[name]


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _like(value: date | datetime, start: datetime, tz: str) -> datetime:
    """An RDATE/EXDATE in the form the rule's occurrences have, so they compare equal."""
    if start.tzinfo is None:  # all-day series
        return datetime.combine(value.date() if isinstance(value, datetime) else value, time())
    if not isinstance(value, datetime):
        return datetime.combine(value, start.timetz().replace(tzinfo=None), zone(tz))
    if value.tzinfo is None:
        return value.replace(tzinfo=zone(tz))
    return value.astimezone(zone(tz))


def _rule_text(recur: vRecur, start: datetime) -> str:
    """The RRULE for dateutil, its UNTIL in the form dateutil wants for this DTSTART (RFC 5545
    says UTC for a zoned start and a date for an all-day one; generators write all kinds)."""
    parts = dict(recur)
    untils = parts.get("UNTIL")
    if untils:
        until = untils[0]
        if start.tzinfo is None:
            until = until.date() if isinstance(until, datetime) else until
        else:
            if not isinstance(until, datetime):
                until = datetime.combine(until, time(23, 59, 59))
            if until.tzinfo is None:
                until = until.replace(tzinfo=start.tzinfo)
            until = until.astimezone(UTC)
        parts["UNTIL"] = [until]
    text: str = vRecur(parts).to_ical().decode()  # type: ignore[no-untyped-call]
    return text


# --- text --------------------------------------------------------------------------------------


def _description(event: Component) -> str | None:
    raw = event.get("DESCRIPTION")
    if raw is None:
        return None
    text = str(raw)
    if _LOOKS_HTML.search(text):
        return plain_text(text)
    return plain_text(text.replace("&", "&amp;").replace("<", "&lt;"))


def _online(event: Component, description: str | None) -> str | None:
    for name in _ONLINE_PROPS:
        for value in _list(event.get(name)):
            link = _web(value)
            if link:
                return link
    found = _MEETING_LINK.search(description or "")
    return found.group().rstrip(".,;)") if found else None


def _organizer(event: Component) -> str | None:
    organizer = event.get("ORGANIZER")
    if organizer is None:
        return None
    name = organizer.params.get("CN") if hasattr(organizer, "params") else None
    return one_line(str(name).strip('"')) if name else None


def _web(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text if text.lower().startswith(("http://", "https://")) and " " not in text \
        else None
