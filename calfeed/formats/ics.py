"""iCalendar subscriptions (RFC 5545 + RFC 7986) that Outlook, Google, Apple and Thunderbird
read the same way. Pure: published entries and a context in, bytes out.

A feed is a header, the VTIMEZONEs its TZIDs need, then one VEVENT per entry. Each VEVENT is
rendered on its own (``render_vevent``) so its bytes can be cached per entry and revision;
``render_calendar`` concatenates the pieces into exactly the bytes icalendar would write for
the whole calendar (``build_calendar``), which a test holds it to.

Every value is set here, never left to icalendar's defaults ("now", a random UID), so the same
data gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vDuration, vRecur, vText
from icalendar.timezone.tzid import is_utc

from ..languages import fell_back, is_view
from ..localtime import resolve_local, zone
from ..model import CalendarInfo, Entry, Published, Snapshot
from ..recurrence import last_end
from . import labels, urls
from .context import RenderContext
from .pieces import Pieces
from .vtimezone import build_vtimezone, vtimezone_bytes

MEDIA_TYPE = "text/calendar; charset=utf-8"
_END = b"END:VCALENDAR\r\n"
# Recurring entries without an end get VTIMEZONEs that are right for this long; a zone with
# yearly rules (nearly all) is right for ever anyway.
_UNBOUNDED_YEARS = 10
_STATUS = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED"}
# RFC 5545 CONTROL (minus LF, which TEXT escapes as \n) and the C1 controls; a client that
# meets one may reject the whole feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# --- text ----------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Text that cannot break a feed: line breaks as LF (escaped as ``\\n`` on output), tabs as
    spaces, no control characters and no lone surrogates (which UTF-8 cannot encode)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    return text.encode("utf-8", "ignore").decode("utf-8")


def one_line(text: str) -> str:
    """Text for a one-line property (SUMMARY, LOCATION, a name): line breaks become spaces."""
    return clean_text(text).replace("\n", " ").strip()


# --- one entry -----------------------------------------------------------------------------------


def uid(entry: Entry, calendar: CalendarInfo) -> str:
    return f"{entry.id}@{calendar.uid_domain}"


def description(entry: Entry, language: str, ctx: RenderContext) -> str:
    """The text, then who, where a pulled entry came from, where to read more and where to
    join, each on its own line: Outlook shows neither URL nor CONFERENCE, so the links must be
    in the text. Only pulled entries get the source line, so the editor's keep their bytes."""
    facts = []
    if entry.organizer:
        who = labels.label(language, "issuer" if entry.is_deadline else "organizer")
        facts.append(f"{who}: {one_line(entry.organizer)}")
    if entry.source:  # pulled: say from which partner, and where the original is
        origin = f": {one_line(entry.url)}" if entry.url else ""
        facts.append(f"{labels.label(language, 'pulled_from')} {one_line(entry.source)}{origin}")
    facts.append(f"{labels.label(language, 'more_info')}: {info_url(entry, ctx)}")
    if entry.online_url:
        facts.append(f"{labels.label(language, 'online')}: {one_line(entry.online_url)}")
    text = clean_text(entry.description).strip() if entry.description else ""
    return "\n\n".join(part for part in (text, "\n".join(facts)) if part)


def info_url(entry: Entry, ctx: RenderContext) -> str:
    # Our own page of the entry when the source gives no page of its own.
    return one_line(entry.url) if entry.url else urls.entry_url(ctx, entry.id)


def build_vevent(published: Published, calendar: CalendarInfo, ctx: RenderContext) -> Event:
    entry = published.entry
    language = calendar.language
    event = Event()
    event.add("UID", uid(entry, calendar))
    # DTSTAMP is the last change, not "now": the same data must give the same bytes.
    event.add("DTSTAMP", published.last_modified.astimezone(UTC))
    event.add("LAST-MODIFIED", published.last_modified.astimezone(UTC))
    event.add("CREATED", published.first_seen.astimezone(UTC))
    event.add("SEQUENCE", published.sequence)
    event.add("SUMMARY", one_line(labels.summary(entry, language)),
              parameters=text_language(entry, "title", calendar))
    if isinstance(entry.start, datetime):
        assert isinstance(entry.end, datetime)
        event.add("DTSTART", _unambiguous(entry.start, entry))
        # A timed deadline (or any entry with end == start) is a point in time. RFC 5545 forbids
        # DTEND == DTSTART and defines a VEVENT without DTEND as ending when it starts (§3.6.1),
        # which is what it is; a made-up duration would show it as lasting past its deadline.
        if entry.end != entry.start:
            event.add("DTEND", _unambiguous(entry.end, entry))
    else:
        assert not isinstance(entry.end, datetime)
        event.add("DTSTART", entry.start)
        event.add("DTEND", entry.end + timedelta(days=1))  # exclusive: the day after the last
    if entry.repeat:
        event.add("RRULE", recurrence(entry))
    event.add("DESCRIPTION", description(entry, language, ctx),
              parameters=text_language(entry, "description", calendar))
    where = entry.location or entry.online_url
    if where:
        event.add("LOCATION", one_line(where), parameters=text_language(
            entry, "location" if entry.location else "online_url", calendar))
    event.add("URL", info_url(entry, ctx), parameters={"VALUE": "URI"})
    if entry.online_url:
        event.add("CONFERENCE", one_line(entry.online_url), parameters={"VALUE": "URI"})
    categories = [labels.type_label(language, entry.type), *entry.tags]
    event.add("CATEGORIES", [one_line(c) for c in categories])
    event.add("STATUS", _STATUS[entry.status])
    event.add("CLASS", "PUBLIC")
    if entry.is_deadline:
        event.add("TRANSP", "TRANSPARENT")
    return event


def text_language(entry: Entry, field: str, calendar: CalendarInfo) -> dict[str, str]:
    """``LANGUAGE=`` (RFC 5545 §3.2.10) for a text property in a view in another language than
    the calendar's (``?lang=``): the language the text is in, its own where the editor
    translated it, else the calendar's. Nothing in the calendar's own output, which stays as
    it was; nothing on a link."""
    if not is_view(calendar) or field == "online_url":
        return {}
    if field == "description" and entry.description is None:
        return {"LANGUAGE": calendar.language}  # only labels and links, in the view's language
    return {"LANGUAGE": fell_back(entry, field, calendar) or calendar.language}


def _unambiguous(value: datetime, entry: Entry) -> datetime:
    """A wall time that occurs twice (the autumn hour) written in UTC, unless the entry repeats.

    RFC 5545 reads such a time as its first occurrence, as calfeed does; ical.js (Thunderbird)
    reads the second. A UTC time means the same instant to every client. A recurring entry keeps
    its zone, since its rule must step in local time.
    """
    if entry.repeat is None and value.replace(fold=1).utcoffset() != value.utcoffset():
        return value.astimezone(UTC)
    return value


def render_vevent(published: Published, calendar: CalendarInfo, ctx: RenderContext) -> bytes:
    """One VEVENT, folded, CRLF line ends: a piece of ``render_calendar``'s output."""
    return bytes(build_vevent(published, calendar, ctx).to_ical())


def recurrence(entry: Entry) -> vRecur:
    """The entry's RRULE with UNTIL in the form RFC 5545 requires for its DTSTART: a DATE for
    all-day entries, a UTC date-time for timed ones."""
    assert entry.repeat is not None
    rule: vRecur = vRecur.from_ical(entry.repeat.removeprefix("RRULE:"))
    if "UNTIL" in rule:
        rule["UNTIL"] = [_until(value, entry) for value in rule["UNTIL"]]
    if _yearly_last_days(rule):
        # ical.js (Thunderbird) puts a YEARLY rule's BYMONTHDAY=-1 a day late in common years
        # (30 April 2025 becomes 1 May); the MONTHLY rule limited to the same months is the
        # same set of days (RFC 5545 §3.3.10), and every client computes it right.
        rule["FREQ"] = ["MONTHLY"]
    return rule


def _yearly_last_days(rule: vRecur) -> bool:
    """FREQ=YEARLY;BYMONTH=…;BYMONTHDAY=<negative>, and nothing that would make MONTHLY differ."""
    if rule.get("FREQ") != ["YEARLY"] or rule.get("INTERVAL", [1]) != [1]:
        return False
    if any(part in rule for part in ("BYSETPOS", "BYWEEKNO", "BYYEARDAY", "BYDAY")):
        return False
    return "BYMONTH" in rule and any(int(day) < 0 for day in rule.get("BYMONTHDAY", []))


def _until(value: date, entry: Entry) -> date:
    if entry.all_day:
        return value.date() if isinstance(value, datetime) else value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = resolve_local(value, entry.timezone).value
        return value.astimezone(UTC)
    # A bare date on a timed entry: the rule runs to the end of that day in the entry's zone.
    end = datetime.combine(value + timedelta(days=1), datetime.min.time())
    return (resolve_local(end, entry.timezone).value - timedelta(seconds=1)).astimezone(UTC)


# --- the calendar --------------------------------------------------------------------------------


def with_days(entries: Sequence[Published]) -> list[Published]:
    """The entries a calendar app can place: not those known only by month ("start: 2024-06"),
    which would show as a month-long block; they join the feeds when they get a day."""
    return [p for p in entries if not p.entry.month_only]



def zone_ranges(entries: Sequence[Published]) -> dict[str, tuple[date, date]]:
    """For each TZID the entries use, the first and last local day a VTIMEZONE must cover."""
    ranges: dict[str, tuple[date, date]] = {}
    for published in entries:
        entry = published.entry
        if not isinstance(entry.start, datetime) or is_utc(entry.start):
            continue  # all-day values carry no zone; UTC is written with "Z"
        first = entry.start.date()
        end = last_end(entry)
        last = end.astimezone(zone(entry.timezone)).date() if end is not None else \
            first.replace(year=first.year + _UNBOUNDED_YEARS, day=min(first.day, 28))
        if entry.timezone in ranges:
            known = ranges[entry.timezone]
            first, last = min(first, known[0]), max(last, known[1])
        ranges[entry.timezone] = (first, last)
    return dict(sorted(ranges.items()))


def _header(snapshot: Snapshot, title: str, feed_description: str | None,
            self_url: str | None, ctx: RenderContext) -> Calendar:
    info = snapshot.calendar
    cal = Calendar()
    cal.add("PRODID", f"-//calfeed//calfeed//{info.language.upper()}")
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    name = one_line(title)
    cal.add("NAME", name)
    # X- properties are not TEXT to icalendar, which would write a newline raw: pass vText.
    cal.add("X-WR-CALNAME", vText(name))
    if feed_description:
        text = clean_text(feed_description).strip()
        cal.add("DESCRIPTION", text)
        cal.add("X-WR-CALDESC", vText(text))
    cal.add("X-WR-TIMEZONE", vText(info.timezone))
    if self_url is not None:
        refresh = timedelta(minutes=ctx.refresh_minutes)
        cal.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
        cal.add("X-PUBLISHED-TTL", vDuration(refresh))
        cal.add("SOURCE", one_line(self_url), parameters={"VALUE": "URI"})
    return cal


def build_calendar(snapshot: Snapshot, entries: Sequence[Published], feed_title: str,
                   feed_description: str | None, self_url: str | None,
                   ctx: RenderContext) -> Calendar:
    """The whole calendar as one icalendar object (what ``render_calendar`` must equal)."""
    cal = _header(snapshot, feed_title, feed_description, self_url, ctx)
    for tzid, (first, last) in zone_ranges(entries).items():
        cal.add_component(build_vtimezone(tzid, first, last))
    for published in entries:
        cal.add_component(build_vevent(published, snapshot.calendar, ctx))
    return cal


def render_calendar(snapshot: Snapshot, entries: Sequence[Published], feed_title: str,
                    feed_description: str | None, self_url: str | None, ctx: RenderContext,
                    pieces: Pieces | None = None) -> bytes:
    """The feed's bytes: header, VTIMEZONEs (before the events that use them), VEVENTs.

    ``self_url`` is the feed's own (normalised) URL, written as SOURCE with the refresh hints;
    None for a one-off download. ``pieces`` gives the VEVENTs of ``entries`` already rendered;
    when None they are rendered here.
    """
    head = bytes(_header(snapshot, feed_title, feed_description, self_url, ctx).to_ical())
    assert head.endswith(_END)
    parts = [head[: -len(_END)]]
    for tzid, (first, last) in zone_ranges(entries).items():
        parts.append(vtimezone_bytes(tzid, first, last))
    parts.extend(pieces.many("vevent", entries) if pieces is not None else
                 [render_vevent(p, snapshot.calendar, ctx) for p in entries])
    parts.append(_END)
    return b"".join(parts)
