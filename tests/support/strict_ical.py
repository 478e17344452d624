"""Strict RFC 5545 parsing with allenporter's `ical` package, plus the checks it leaves out.

The `ical` package validates property values strictly (dates, RRULE parts, STATUS, SEQUENCE...)
but, on its own, accepts a document without END:VCALENDAR, a VEVENT without UID or DTSTAMP,
a TZID with no VTIMEZONE, LF line endings, over-long lines and DTEND before DTSTART. `check_rfc5545`
adds those checks, so `load_strict` / `parse_strict` reject what a strict client could reject.

Quirk to know: for a TZID that is a known IANA name, the `ical` package converts times with the
IANA database (zoneinfo), NOT with the document's VTIMEZONE. Whether our VTIMEZONE rules are
right is checked by ical.js (tests/support/icaljs.py), which uses only the document's own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TypedDict

from ical.calendar import Calendar
from ical.calendar_stream import IcsCalendarStream
from ical.exceptions import CalendarParseError

UTC = dt.UTC
MAX_LINE_OCTETS = 75
MAX_OCCURRENCES = 1000


class StrictIcalError(ValueError):
    """The document is not valid RFC 5545; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid iCalendar:\n  " + "\n  ".join(problems))
        self.problems = problems


class StrictEvent(TypedDict):
    """One VEVENT as read by the strict parser.

    `start`/`end` are dates for all-day events (`end` exclusive, as in the file) and tz-aware
    UTC datetimes for timed ones (naive only for floating times, which calfeed never writes).
    """

    uid: str
    summary: str | None
    description: str | None
    location: str | None
    url: str | None
    status: str | None
    sequence: int | None
    transp: str | None
    categories: list[str]
    all_day: bool
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    rrule: str | None
    recurrence_id: str | None
    dtstamp: dt.datetime
    last_modified: dt.datetime | None


class StrictOccurrence(TypedDict):
    """One instance of an event on the timeline (recurring events expanded)."""

    uid: str
    summary: str | None
    status: str | None
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    recurrence_id: str | None


@dataclass
class ContentLine:
    """One unfolded content line: NAME;PARAM=v1,v2:value."""

    lineno: int
    name: str
    params: dict[str, list[str]]
    value: str


@dataclass
class _Component:
    name: str
    lineno: int
    lines: list[ContentLine] = field(default_factory=list)
    children: list[_Component] = field(default_factory=list)

    def props(self, name: str) -> list[ContentLine]:
        return [line for line in self.lines if line.name == name]


_NAME_RE = re.compile(r"^[A-Za-z0-9-]+$")


def _split_unquoted(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def parse_content_line(text: str, lineno: int) -> ContentLine:
    """Split an unfolded content line; ValueError when it has no name or no ':'."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = text[:index], text[index + 1 :]
            break
    else:
        raise ValueError(f"line {lineno}: not a content line (no ':'): {text[:60]!r}")
    name, *raw_params = _split_unquoted(head, ";")
    if not _NAME_RE.match(name):
        raise ValueError(f"line {lineno}: bad property name {name!r}")
    params: dict[str, list[str]] = {}
    for raw in raw_params:
        key, eq, values = raw.partition("=")
        if not eq or not _NAME_RE.match(key):
            raise ValueError(f"line {lineno}: bad parameter {raw!r} on {name}")
        params[key.upper()] = [v.strip('"') for v in _split_unquoted(values, ",")]
    return ContentLine(lineno, name.upper(), params, value)


def unfold(text: str) -> list[tuple[int, str]]:
    """Content lines with the physical line number each starts on (CRLF or LF accepted)."""
    result: list[tuple[int, str]] = []
    for number, physical in enumerate(re.split(r"\r?\n", text), start=1):
        if physical[:1] in (" ", "\t") and result:
            first, previous = result[-1]
            result[-1] = (first, previous + physical[1:])
        else:
            result.append((number, physical))
    if result and result[-1][1] == "":
        result.pop()  # the text ends with a line break
    return result


def _check_lines(text: str, problems: list[str]) -> None:
    if text.startswith("\ufeff"):
        problems.append("starts with a byte order mark")
    if re.search(r"(?<!\r)\n", text):
        problems.append("line break without CR: content lines must end with CRLF")
    if re.search(r"\r(?!\n)", text):
        problems.append("CR without LF")
    if text and not text.endswith("\r\n"):
        problems.append("the last line does not end with CRLF")
    for number, physical in enumerate(re.split(r"\r?\n", text), start=1):
        octets = len(physical.encode("utf-8"))
        if octets > MAX_LINE_OCTETS:
            problems.append(
                f"line {number}: {octets} octets; fold lines longer than {MAX_LINE_OCTETS}"
            )
        if any(ord(c) < 0x20 and c != "\t" for c in physical):
            problems.append(f"line {number}: control character")


def _build_tree(text: str, problems: list[str]) -> list[_Component]:
    roots: list[_Component] = []
    stack: list[_Component] = []
    for lineno, content in unfold(text):
        if content == "":
            problems.append(f"line {lineno}: empty line")
            continue
        try:
            line = parse_content_line(content, lineno)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if line.name == "BEGIN":
            component = _Component(line.value.upper(), lineno)
            (stack[-1].children if stack else roots).append(component)
            stack.append(component)
        elif line.name == "END":
            if not stack:
                problems.append(f"line {lineno}: END:{line.value} without BEGIN")
            elif stack[-1].name != line.value.upper():
                problems.append(
                    f"line {lineno}: END:{line.value} closes BEGIN:{stack[-1].name} "
                    f"of line {stack[-1].lineno}"
                )
                stack.pop()
            else:
                stack.pop()
        elif not stack:
            problems.append(f"line {lineno}: {line.name} outside any component")
        else:
            stack[-1].lines.append(line)
    for component in stack:
        problems.append(f"line {component.lineno}: BEGIN:{component.name} has no END")
    return roots


def _exactly_one(component: _Component, name: str, problems: list[str], where: str) -> None:
    count = len(component.props(name))
    if count != 1:
        problems.append(f"{where}: {count} {name} properties, expected exactly one")


def _walk(component: _Component) -> list[_Component]:
    result = [component]
    for child in component.children:
        result.extend(_walk(child))
    return result


def check_rfc5545(text: str) -> list[str]:
    """Problems the `ical` package does not catch on its own; [] when none."""
    problems: list[str] = []
    _check_lines(text, problems)
    roots = _build_tree(text, problems)
    if len(roots) != 1 or roots[0].name != "VCALENDAR":
        names = ", ".join(root.name for root in roots) or "nothing"
        problems.append(f"expected exactly one VCALENDAR, found {names}")
        return problems
    calendar = roots[0]
    _exactly_one(calendar, "PRODID", problems, "VCALENDAR")
    _exactly_one(calendar, "VERSION", problems, "VCALENDAR")
    if [line.value for line in calendar.props("VERSION")] not in ([], ["2.0"]):
        problems.append("VCALENDAR: VERSION must be 2.0")

    tzids: set[str] = set()
    for vtimezone in (c for c in calendar.children if c.name == "VTIMEZONE"):
        where = f"VTIMEZONE at line {vtimezone.lineno}"
        _exactly_one(vtimezone, "TZID", problems, where)
        tzids.update(line.value for line in vtimezone.props("TZID"))
        if not any(child.name in ("STANDARD", "DAYLIGHT") for child in vtimezone.children):
            problems.append(f"{where}: no STANDARD or DAYLIGHT")

    seen: dict[tuple[str, str], int] = {}
    for vevent in (c for c in calendar.children if c.name == "VEVENT"):
        where = f"VEVENT at line {vevent.lineno}"
        for name in ("UID", "DTSTAMP", "DTSTART"):
            _exactly_one(vevent, name, problems, where)
        if vevent.props("DTEND") and vevent.props("DURATION"):
            problems.append(f"{where}: both DTEND and DURATION")
        uids = vevent.props("UID")
        rids = vevent.props("RECURRENCE-ID")
        if uids:
            key = (uids[0].value, rids[0].value if rids else "")
            if key in seen:
                problems.append(
                    f"{where}: UID {key[0]!r} (RECURRENCE-ID {key[1] or 'none'}) "
                    f"already used by the VEVENT at line {seen[key]}"
                )
            seen[key] = vevent.lineno

    for component in _walk(calendar):
        if component.name == "VTIMEZONE":
            continue
        for line in component.lines:
            for tzid in line.params.get("TZID", []):
                if tzid not in tzids:
                    problems.append(f"line {line.lineno}: {line.name};TZID={tzid} has no VTIMEZONE")
    return problems


def _decode(ics: bytes | str) -> str:
    if isinstance(ics, str):
        return ics
    try:
        return ics.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StrictIcalError([f"not UTF-8: {exc}"]) from exc


def load_strict(ics: bytes | str) -> Calendar:
    """The `ical` Calendar for `ics`; StrictIcalError listing every problem when invalid."""
    text = _decode(ics)
    problems = check_rfc5545(text)
    if problems:
        raise StrictIcalError(problems)
    try:
        calendar = IcsCalendarStream.calendar_from_ics(text)
    except CalendarParseError as exc:
        detail = f" ({exc.detailed_error})" if exc.detailed_error else ""
        raise StrictIcalError([f"{exc.message}{detail}"]) from exc
    except ValueError as exc:  # ical's ParameterValueError and pydantic errors
        raise StrictIcalError([str(exc)]) from exc
    for event in calendar.events:
        if (event.dtend is not None or event.duration is not None) and not (
            _instant(event.end) > _instant(event.start)
        ):
            problems.append(f"VEVENT {event.uid}: end {event.end} is not after {event.start}")
    if problems:
        raise StrictIcalError(problems)
    return calendar


def _utc(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def _instant(value: dt.date | dt.datetime) -> dt.datetime:
    """A point on the UTC line: dates as their midnight UTC, floating times as if UTC."""
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def parse_strict(ics: bytes | str) -> list[StrictEvent]:
    """Every VEVENT of a valid document, in file order; StrictIcalError when invalid."""
    calendar = load_strict(ics)
    events: list[StrictEvent] = []
    for event in calendar.events:
        events.append(
            StrictEvent(
                uid=event.uid or "",
                summary=event.summary,
                description=event.description,
                location=event.location,
                url=str(event.url) if event.url is not None else None,
                status=event.status.value if event.status is not None else None,
                sequence=event.sequence,
                transp=event.transparency,
                categories=list(event.categories),
                all_day=not isinstance(event.start, dt.datetime),
                start=_utc(event.start),
                end=_utc(event.end),
                rrule=event.rrule.as_rrule_str() if event.rrule is not None else None,
                recurrence_id=str(event.recurrence_id) if event.recurrence_id else None,
                dtstamp=_instant(event.dtstamp),
                last_modified=(
                    event.last_modified.astimezone(UTC) if event.last_modified else None
                ),
            )
        )
    return events


def _window_bound(value: str | dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, str):
        value = (
            dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
        )
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        raise ValueError(f"window bound {value} needs a time zone")
    return _instant(value)


def occurrences_strict(
    ics: bytes | str | Calendar,
    window_from: str | dt.date | dt.datetime,
    window_to: str | dt.date | dt.datetime,
) -> list[StrictOccurrence]:
    """Instances (recurrences expanded) whose start lies in [window_from, window_to).

    Uses the `ical` timeline seen from UTC, so an all-day date counts as its midnight UTC (the
    same rule as icaljs_parse.mjs). Bounds: ISO strings ("2024-01-01" or with an offset),
    dates, or aware datetimes. At most 1000 instances, in start order.
    """
    calendar = ics if isinstance(ics, Calendar) else load_strict(ics)
    start, end = _window_bound(window_from), _window_bound(window_to)
    result: list[StrictOccurrence] = []
    # The timeline is ordered by start, so stop at the first instance past the window: an
    # unbounded RRULE would go on for ever.
    for event in calendar.timeline_tz(UTC):
        instant = _instant(event.start)
        if instant >= end:
            break
        if instant < start:
            continue
        result.append(
            StrictOccurrence(
                uid=event.uid or "",
                summary=event.summary,
                status=event.status.value if event.status is not None else None,
                start=_utc(event.start),
                end=_utc(event.end),
                recurrence_id=str(event.recurrence_id) if event.recurrence_id else None,
            )
        )
        if len(result) >= MAX_OCCURRENCES:
            break
    return result
