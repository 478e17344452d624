"""Opt-in reminders: ``?alarm=1d`` (``2h``, ``1w``; up to three, comma-separated) on any
``.ics`` URL adds one ``VALARM`` (``ACTION:DISPLAY``) per trigger to every VEVENT. Pure.

Feeds carry no alarms by default (subscribers did not ask to be paged); a subscriber who asks
gets exactly what they asked for. The alarms are spliced into VEVENTs that are already
rendered (``ics.render_vevent``, kept per entry revision), so a feed with alarms reuses the
same cached pieces as the one without and renders each entry once.

Triggers are relative to DTSTART, which for a deadline is its ``due`` (calfeed writes a
deadline as an event that starts when it is due), so "1d" is a day before the deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from icalendar import Alarm, Parameters, vDuration, vText
from icalendar.parser import Contentline

from ..model import CalendarInfo, Published
from ..recurrence import Occurrence
from .context import RenderContext
from .ics import render_vevent
from .labels import summary
from .pieces import Kind, Pieces

MAX_ALARMS = 3
# Longer than four weeks ahead is not a reminder but a second calendar entry.
LONGEST = timedelta(weeks=4)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_TRIGGER = re.compile(r"^([1-9][0-9]{0,3})([mhdw])$")
_END_VEVENT = b"END:VEVENT\r\n"


class AlarmError(ValueError):
    """A value of ``?alarm=`` that is not a reminder calfeed can write; says what to write."""


@dataclass(frozen=True, slots=True)
class Alarms:
    """The reminders asked for: distinct offsets before the start, longest first."""

    before: tuple[timedelta, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.before)

    @property
    def query(self) -> str:
        """The canonical ``alarm=`` value ("1w,1d"): every spelling of one request maps here."""
        return ",".join(_text(offset) for offset in self.before)


NO_ALARMS = Alarms()


def parse_alarms(values: Iterable[str]) -> Alarms:
    """``["1d,2h"]`` (the parameter's values; repeating it works like a comma) → Alarms.

    Raises AlarmError naming the bad value and the accepted form."""
    offsets: set[timedelta] = set()
    for raw in values:
        for part in raw.split(","):
            text = part.strip().lower()
            if not text:
                continue
            match = _TRIGGER.match(text)
            if match is None:
                raise AlarmError(f"'{part.strip()}' is not a reminder; write a number and a "
                                 "unit: m (minutes), h (hours), d (days) or w (weeks), "
                                 "e.g. alarm=1d or alarm=1d,2h")
            offset = timedelta(**{_UNITS[match[2]]: int(match[1])})
            if offset > LONGEST:
                raise AlarmError(f"'{text}' is too long before; at most 4w (four weeks)")
            offsets.add(offset)
    if len(offsets) > MAX_ALARMS:
        raise AlarmError(f"{len(offsets)} reminders asked for; at most {MAX_ALARMS}, "
                         "comma-separated (alarm=1w,1d,2h)")
    return Alarms(tuple(sorted(offsets, reverse=True)))


def _text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    for unit, size in (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def valarms(alarms: Alarms, summary: str) -> bytes:
    """The VALARM components for one entry, folded, CRLF line ends: the bytes icalendar
    writes for them (a test holds it to that), built from one DESCRIPTION line per entry and
    the triggers, since a feed of thousands of entries would spend seconds in icalendar's
    component machinery. DISPLAY needs a DESCRIPTION (RFC 5545 §3.6.6): the entry's summary,
    which is what a reminder should say."""
    description = bytes(Contentline.from_parts("DESCRIPTION", Parameters(),
                                               vText(summary)).to_ical())
    return b"".join(b"BEGIN:VALARM\r\nACTION:DISPLAY\r\n" + description + b"\r\nTRIGGER:"
                    + trigger + b"\r\nEND:VALARM\r\n" for trigger in _triggers(alarms))


@lru_cache(maxsize=64)  # bounded: the values come from anyone's query
def _triggers(alarms: Alarms) -> tuple[bytes, ...]:
    # A negative DURATION, relative to DTSTART.
    return tuple(bytes(vDuration(-offset).to_ical())  # type: ignore[no-untyped-call]
                 for offset in alarms.before)


def valarms_by_icalendar(alarms: Alarms, summary: str) -> bytes:
    """``valarms`` the slow way, through icalendar's ``Alarm`` (what the tests compare with)."""
    parts = []
    for offset in alarms.before:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", summary)
        alarm.add("TRIGGER", -offset)
        parts.append(bytes(alarm.to_ical()))
    return b"".join(parts)


def with_alarms(vevent: bytes, alarms: Alarms, summary: str) -> bytes:
    """A rendered VEVENT (``ics.render_vevent``) with the alarms before its END line."""
    if not alarms:
        return vevent
    if not vevent.endswith(_END_VEVENT):
        raise ValueError("not a rendered VEVENT: it must end with END:VEVENT and CRLF")
    return vevent[: -len(_END_VEVENT)] + valarms(alarms, summary) + _END_VEVENT


def add_to_all(vevents: Sequence[bytes], entries: Sequence[Published], language: str,
               alarms: Alarms) -> list[bytes]:
    """``with_alarms`` for each of a feed's VEVENTs (``entries`` in the same order). A
    cancelled entry gets none: a reminder of what will not happen is noise."""
    if not alarms:
        return list(vevents)
    return [v if p.entry.cancelled else with_alarms(v, alarms, summary(p.entry, language))
            for v, p in zip(vevents, entries, strict=True)]


class WithAlarms:
    """The ``Pieces`` of a feed asked for with ``?alarm=``: the VEVENTs of ``pieces`` (None:
    rendered here) with the alarms added; other kinds as ``pieces`` gives them. Pass it to
    ``ics.render_calendar`` in place of the plain pieces."""

    def __init__(self, pieces: Pieces | None, calendar: CalendarInfo, ctx: RenderContext,
                 alarms: Alarms) -> None:
        self.pieces = pieces
        self.calendar = calendar
        self.ctx = ctx
        self.alarms = alarms

    def many(self, kind: Kind, entries: Sequence[Published]) -> Sequence[bytes]:
        if self.pieces is not None:
            plain = self.pieces.many(kind, entries)
        elif kind == "vevent":
            plain = [render_vevent(p, self.calendar, self.ctx) for p in entries]
        else:
            raise ValueError(f"no {kind} pieces here")
        if kind != "vevent":
            return plain
        return add_to_all(plain, entries, self.calendar.language, self.alarms)

    def item(self, published: Published, occurrence: Occurrence, lang: str) -> dict[str, Any]:
        if self.pieces is None:
            raise ValueError("no JSON items here")
        return self.pieces.item(published, occurrence, lang)
