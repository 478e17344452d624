"""iCalendar feeds from the builder, read back by ical.js (Thunderbird's parser, using the feed's
own VTIMEZONEs) and by the strict `ical` parser, and compared with the source."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfeed.formats import labels
from calfeed.formats.context import RenderContext
from calfeed.formats.ics import build_calendar, render_calendar, render_vevent
from calfeed.formats.select import Filter, select
from calfeed.localtime import resolve_local
from calfeed.model import TYPES, CalendarInfo, Entry, FeedDef, Published, Snapshot
from calfeed.recurrence import occurrences
from calfeed.source import load_source
from tests.conftest import DATA, NOW, SHIPPED
from tests.support.icaljs import events_by_uid, parse_with_icaljs
from tests.support.strict_ical import occurrences_strict, parse_strict

TODAY = date(2024, 8, 1)  # the day of tests.conftest.NOW
CTX = RenderContext("https://kalender.example.no", TODAY)
WINDOW = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))
FIXTURES = sorted(p.name for p in DATA.glob("*.yaml"))
Publish = Callable[..., None]



def feed_body(snapshot: Snapshot, name: str) -> tuple[list[Published], bytes]:
    entries = select(snapshot, Filter(feed=name), TODAY)
    feed = snapshot.feeds[name]
    url = CTX.url(f"/feeds/{name}.ics")
    return entries, render_calendar(snapshot, entries, feed.title, feed.description, url, CTX)


# --- what the source says a client must see ------------------------------------------------------


def instant(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def expected_span(start: date | datetime, end: date | datetime) -> tuple[str, str]:
    """Start and end as ical.js prints them: all-day ends are exclusive."""
    if isinstance(start, datetime):
        return instant(start), instant(end)
    assert not isinstance(end, datetime)
    return instant(start), instant(end + timedelta(days=1))


def strict_span(value: date | datetime) -> str:
    return instant(value)


def expected_occurrences(entry: Entry) -> list[tuple[str, str]]:
    """Occurrences starting inside WINDOW (how both parsers' expansions are cut)."""
    found = []
    for occ in occurrences(entry, *WINDOW):
        start, _ = occ.instants(entry.timezone)
        if WINDOW[0] <= start < WINDOW[1]:
            found.append(expected_span(occ.start, occ.end))
    return found


def check_feed(snapshot: Snapshot, entries: list[Published], body: bytes) -> None:
    language = snapshot.calendar.language
    domain = snapshot.calendar.uid_domain
    want = {f"{p.entry.id}@{domain}": p.entry for p in entries}

    js = parse_with_icaljs(body, WINDOW[0].isoformat(), WINDOW[1].isoformat())
    by_uid = events_by_uid(js)
    assert by_uid.keys() == want.keys()
    strict = {e["uid"]: e for e in parse_strict(body)}
    assert strict.keys() == want.keys()
    strict_occ: dict[str, list[tuple[str, str]]] = {}
    for occ in occurrences_strict(body, *WINDOW):
        strict_occ.setdefault(occ["uid"], []).append(
            (strict_span(occ["start"]), strict_span(occ["end"])))

    for uid, entry in want.items():
        # Tabs become spaces (the only change text from a valid source undergoes).
        summary = labels.summary(entry, language).replace("\t", " ")
        status = entry.status.upper()
        span = expected_span(entry.start, entry.end)
        got_js, got_strict = by_uid[uid], strict[uid]
        assert (got_js["summary"], got_js["status"]) == (summary, status), uid
        assert (got_strict["summary"], got_strict["status"]) == (summary, status), uid
        assert (got_js["start"], got_js["end"]) == span, uid
        assert (strict_span(got_strict["start"]), strict_span(got_strict["end"])) == span, uid
        assert got_js["all_day"] == entry.all_day
        occ = expected_occurrences(entry)
        assert [(o["start"], o["end"]) for o in got_js["occurrences"]] == occ, uid
        assert strict_occ.get(uid, []) == occ, uid
        assert "VALARM" not in got_js["subcomponents"]
        assert "organizer" not in got_js["properties"]


@pytest.mark.parametrize("source", [SHIPPED, *FIXTURES], ids=lambda s: Path(s).stem)
def test_every_feed_reads_the_same_in_icaljs_and_the_strict_parser(published, source):
    try:
        load_source(DATA / source if isinstance(source, str) else source)
    except Exception:  # another test's fixture, meant to be rejected
        pytest.skip(f"{source} is not a valid source")
    snapshot = published(source)
    for name in snapshot.feeds:
        entries, body = feed_body(snapshot, name)
        check_feed(snapshot, entries, body)


def test_the_fixture_sets_cover_what_the_issue_names(published):
    kinds: set[str] = set()
    for name in ("dst_edges.yaml", "all_day_multi_day.yaml", "recurring.yaml",
                 "cancelled.yaml", "unicode_long.yaml"):
        for p in published(name).entries:
            e = p.entry
            kinds |= {"all-day" if e.all_day else "timed", e.status}
            kinds |= {"multi-day"} if e.all_day and e.end != e.start else set()
            kinds |= {"recurring"} if e.repeat else set()
            kinds |= {"emoji"} if re.search("[\U0001F300-\U0001FAFF]", e.title) else set()
            kinds |= {"long"} if len(e.title.encode()) > 75 else set()
    assert kinds >= {"all-day", "timed", "multi-day", "recurring", "cancelled", "tentative",
                     "emoji", "long"}


# --- the shape of an entry -----------------------------------------------------------------------


def lines_of(body: bytes) -> list[str]:
    """Unfolded content lines."""
    return body.decode().replace("\r\n ", "").split("\r\n")


def vevent_lines(body: bytes, entry_id: str) -> list[str]:
    lines = lines_of(body)
    uid = next(i for i, line in enumerate(lines) if line.startswith(f"UID:{entry_id}@"))
    begin = max(i for i in range(uid) if lines[i] == "BEGIN:VEVENT")
    end = lines.index("END:VEVENT", uid)
    return lines[begin:end + 1]


@pytest.fixture
def fixed(published) -> tuple[Snapshot, bytes]:
    snapshot = published("fixed.yaml")
    return snapshot, feed_body(snapshot, "all")[1]


def test_the_calendar_says_who_it_is_and_how_often_to_refresh(fixed):
    head = lines_of(fixed[1])[:14]
    for line in ["VERSION:2.0", "PRODID:-//calfeed//calfeed//NB", "CALSCALE:GREGORIAN",
                 "METHOD:PUBLISH", "NAME:KOM – kurs, konferanser og høringsfrister",
                 "X-WR-CALNAME:KOM – kurs\\, konferanser og høringsfrister",
                 "DESCRIPTION:Arrangementer og høringsfrister på menneskehandelsfeltet",
                 "X-WR-CALDESC:Arrangementer og høringsfrister på menneskehandelsfeltet",
                 "X-WR-TIMEZONE:Europe/Oslo", "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
                 "X-PUBLISHED-TTL:PT1H",
                 "SOURCE;VALUE=URI:https://kalender.example.no/feeds/all.ics"]:
        assert line in head


def test_vtimezones_come_before_the_events_and_cover_every_tzid(fixed):
    lines = lines_of(fixed[1])
    zones = [line.removeprefix("TZID:") for line in lines if line.startswith("TZID:")]
    used = {m for line in lines for m in re.findall(r";TZID=([^;:]+)", line)}
    assert sorted(zones) == sorted(used) == ["America/New_York", "Europe/Oslo"]
    assert max(i for i, x in enumerate(lines) if x == "END:VTIMEZONE") < \
        lines.index("BEGIN:VEVENT")


def test_an_all_day_entry_spans_its_days_with_an_exclusive_end(fixed):
    event = vevent_lines(fixed[1], "kurs-ungdom-utnyttet")
    assert "DTSTART;VALUE=DATE:20240821" in event
    assert "DTEND;VALUE=DATE:20240823" in event


def test_a_timed_entry_carries_its_own_zone(fixed):
    event = vevent_lines(fixed[1], "webinar-new-york")
    assert "DTSTART;TZID=America/New_York:20241104T100000" in event
    assert "DTEND;TZID=America/New_York:20241104T113000" in event


def test_a_deadline_is_transparent_and_prefixed(fixed):
    event = vevent_lines(fixed[1], "horing-krisesenterloven")
    assert "SUMMARY:Frist: Forslag til endringer i krisesenterloven" in event
    assert "TRANSP:TRANSPARENT" in event
    assert "DTSTART;VALUE=DATE:20240916" in event and "DTEND;VALUE=DATE:20240917" in event
    assert any(line.startswith("DESCRIPTION:Avsender: Barne- og familiedepartementet\\n")
               for line in event)


def test_a_timed_deadline_is_a_point_in_time_without_dtend(fixed):
    event = vevent_lines(fixed[1], "horing-kl-12")
    assert "DTSTART;TZID=Europe/Oslo:20241001T120000" in event
    assert not any(line.startswith(("DTEND", "DURATION")) for line in event)
    assert "TRANSP:TRANSPARENT" in event


def test_links_are_in_the_description_because_outlook_shows_no_url(fixed):
    event = vevent_lines(fixed[1], "webinar-new-york")
    description = next(x for x in event if x.startswith("DESCRIPTION:"))
    assert description == (
        "DESCRIPTION:Arrangør: UNODC\\n"
        "Mer informasjon: https://kalender.example.no/events/webinar-new-york\\n"
        "Digitalt: https://meet.example.org/unodc?pwd=a\\;b\\,c")
    # no place: the online link is the location; RFC 7986 CONFERENCE for clients that know it
    assert "LOCATION:https://meet.example.org/unodc?pwd=a\\;b\\,c" in event
    assert "CONFERENCE;VALUE=URI:https://meet.example.org/unodc?pwd=a;b,c" in event
    assert "URL;VALUE=URI:https://kalender.example.no/events/webinar-new-york" in event
    assert "CATEGORIES:Webinar,internasjonalt" in event


def test_identity_history_and_status_of_an_entry(fixed):
    event = vevent_lines(fixed[1], "konferanse-avlyst")
    for line in ["UID:konferanse-avlyst@kalender.example.no", "SEQUENCE:0",
                 "DTSTAMP:20240801T100000Z", "LAST-MODIFIED:20240801T100000Z",
                 "CREATED:20240801T100000Z", "STATUS:CANCELLED", "CLASS:PUBLIC",
                 "SUMMARY:AVLYST: Nordisk konferanse"]:
        assert line in event
    assert "STATUS:TENTATIVE" in vevent_lines(fixed[1], "fagdag-oslo")
    assert not any(x.startswith(("ORGANIZER", "BEGIN:VALARM")) for x in lines_of(fixed[1]))


def test_a_timed_rule_ends_in_utc_and_an_all_day_rule_on_a_date(fixed):
    assert "RRULE:FREQ=WEEKLY;UNTIL=20241107T090000Z" in vevent_lines(fixed[1], "ukemote")
    assert "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;BYMONTH=4,8,12" in \
        vevent_lines(fixed[1], "rettsavgjorelser")


def test_an_all_day_rule_with_a_datetime_until_is_written_with_a_date():
    entry = Entry(id="r", type="event", title="R", start=date(2024, 1, 31), end=date(2024, 1, 31),
                  timezone="Europe/Oslo", repeat="FREQ=MONTHLY;UNTIL=20240601T000000")
    assert b"RRULE:FREQ=MONTHLY;UNTIL=20240601\r\n" in render_vevent(
        Published(entry, NOW, NOW, 0), info(), CTX)


def test_an_ambiguous_autumn_time_is_written_in_utc_so_every_client_reads_the_first():
    # 02:30 on 27 October 2024 happens twice in Oslo; RFC 5545 and calfeed mean the first
    # (CEST), ical.js would read a TZID time as the second.
    start = resolve_local(datetime(2024, 10, 27, 2, 30), "Europe/Oslo").value
    entry = Entry(id="natt", type="meeting", title="Natt", start=start,
                  end=start + timedelta(hours=2), timezone="Europe/Oslo")
    body = render_vevent(Published(entry, NOW, NOW, 0), info(), CTX)
    assert b"DTSTART:20241027T003000Z\r\n" in body
    assert b"DTEND;TZID=Europe/Oslo:20241027T043000\r\n" in body


def test_the_same_data_gives_the_same_bytes(published):
    first = feed_body(published("fixed.yaml"), "all")[1]
    again = feed_body(published("fixed.yaml", now=NOW + timedelta(days=3)), "all")[1]
    assert first == again


def test_rendering_piece_by_piece_equals_icalendars_whole_build(published):
    for source in ("fixed.yaml", "dst_edges.yaml", "unicode_long.yaml"):
        snapshot = published(source)
        entries = list(snapshot.entries)
        whole = build_calendar(snapshot, entries, "T", "D", "https://x.example/c.ics",
                               CTX).to_ical()
        rendered = [render_vevent(p, snapshot.calendar, CTX) for p in entries]

        class Kept:
            """Pieces as a cache gives them: rendered before, handed over by kind."""

            def many(self, kind, chosen, rendered=rendered, entries=entries):
                assert kind == "vevent" and list(chosen) == entries
                return rendered

            def item(self, *args):
                raise AssertionError("a calendar asked for a JSON item")

        assert render_calendar(snapshot, entries, "T", "D", "https://x.example/c.ics", CTX,
                               Kept()) == whole
        assert render_calendar(snapshot, entries, "T", "D", "https://x.example/c.ics",
                               CTX) == whole


# --- text that could break a feed ----------------------------------------------------------------


def info(language: str = "nb") -> CalendarInfo:
    return CalendarInfo(title="Kalender", uid_domain="kalender.example.no", language=language)


def test_control_characters_never_reach_the_feed_even_in_x_properties():
    nasty = "Linje\r\nto\x00\x07\x1b[31m\x7f\x85 slutt\ud800"
    entry = Entry(id="x", type="event", title=nasty, start=date(2025, 1, 1),
                  end=date(2025, 1, 1), timezone="Europe/Oslo", description=nasty,
                  location=nasty, organizer=nasty, tags=("a",))
    snapshot = Snapshot(1, NOW, info(), {"all": FeedDef("all", nasty)},
                        (Published(entry, NOW, NOW, 0),))
    body = render_calendar(snapshot, list(snapshot.entries), nasty, nasty,
                           "https://k.example/calendar.ics", CTX)
    events = parse_strict(body)  # rejects any control character and any bad line
    assert events[0]["summary"] == "Linje to[31m slutt"
    assert "X-WR-CALNAME:Linje to[31m slutt" in lines_of(body)
    assert "X-WR-CALDESC:Linje\\nto[31m slutt" in lines_of(body)


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
CLEAN_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                     max_size=200).map(str.strip).filter(bool)
ZONES = ["Europe/Oslo", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "Europe/London",
         "UTC", "Africa/Casablanca"]


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    tz = draw(st.sampled_from(ZONES))
    kind = draw(st.sampled_from(TYPES))
    day = draw(st.dates(date(2000, 1, 1), date(2060, 12, 31)))
    if draw(st.booleans()):
        start: date | datetime = day
        end: date | datetime = day if kind == "deadline" else \
            day + timedelta(days=draw(st.integers(0, 20)))
    else:
        naive = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=draw(st.integers(0, 24 * 60 - 1)))
        start = resolve_local(naive, tz).value
        end = start if kind == "deadline" else resolve_local(
            naive + timedelta(minutes=draw(st.integers(1, 3 * 24 * 60))), tz).value
    return Entry(
        id=draw(st.from_regex(r"[a-z0-9]{1,20}(-[a-z0-9]{1,10}){0,3}", fullmatch=True)),
        type=kind, title=draw(CLEAN_TEXT), start=start, end=end, timezone=tz,
        location=draw(st.none() | TEXT), online_url=draw(st.none() | st.just(
            "https://meet.example.org/æ?a=1;b=2,3")),
        url=draw(st.none() | st.just("https://example.org/ø")), organizer=draw(st.none() | TEXT),
        description=draw(st.none() | TEXT), status=draw(st.sampled_from(
            ["confirmed", "tentative", "cancelled"])),
        tags=tuple(draw(st.lists(st.from_regex(r"[a-zæøå]{1,12}", fullmatch=True),
                                 max_size=4))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry=entries(), language=st.sampled_from(["nb", "en"]),
       title=TEXT, text=TEXT)
def test_any_entry_survives_the_round_trip(entry: Entry, language: str, title: str,
                                           text: str) -> None:
    snapshot = Snapshot(1, NOW, info(language), {"all": FeedDef("all", title)},
                        (Published(entry, NOW, NOW + timedelta(seconds=1), 7),))
    body = render_calendar(snapshot, list(snapshot.entries), title or "x", text,
                           "https://k.example/calendar.ics?tag=æ", CTX)

    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a character

    (event,) = parse_strict(body)
    assert event["uid"] == f"{entry.id}@kalender.example.no"
    assert event["summary"] == labels.summary(entry, language)
    assert event["sequence"] == 7
    start, end = expected_span(entry.start, entry.end)
    assert (strict_span(event["start"]), strict_span(event["end"])) == (start, end)


# --- size ----------------------------------------------------------------------------------------


def generated_source(count: int) -> str:
    """Years of a busy unit: ``count`` entries, one every other day from 2016, each with a long
    description, tags and links."""
    lines = ["calendar:", "  title: Stor kalender", "  uid_domain: kalender.example.no",
             "  past_days: 400",
             "feeds:", "  frister: {title: Frister, types: [deadline]}",
             "  kurs: {title: Kurs, types: [course]}", "entries:"]
    text = "Beskrivelse med æøå og litt mer tekst om arrangementet, hvem det er for, og hvorfor. "
    for i in range(count):
        day = date(2016, 1, 1) + timedelta(days=2 * i)
        kind = ["course", "deadline", "webinar", "conference"][i % 4]
        when = f"due: {day}" if kind == "deadline" else f"start: {day} 09:00\n    end: {day} 15:00"
        lines.append(f"""  - id: oppforing-{i}
    type: {kind}
    title: Oppføring nummer {i} om menneskehandel og utnyttelse
    {when}
    location: Storgata {i}, Oslo
    url: https://example.org/arrangementer/{i}
    organizer: Organisasjon {i % 37}
    description: "{text * 3}"
    tags: [tema-{i % 11}, felt-{i % 7}]""")
    return "\n".join(lines) + "\n"


def test_every_feed_of_2000_entries_stays_under_one_megabyte(published):
    snapshot = published(generated_source(2000))
    assert len(snapshot.entries) == 2000
    sizes = {name: len(feed_body(snapshot, name)[1]) for name in snapshot.feeds}
    assert max(sizes.values()) < 1_000_000, sizes
    # past_days (400) drops what ended long ago, and keeps everything ahead
    shown = select(snapshot, Filter(), TODAY)
    assert 500 < len(shown) < 1000
    assert sizes["all"] > 400_000  # a real amount: the test is not trivial


def test_every_shipped_feed_is_small(published):
    snapshot = published(SHIPPED)
    for name in snapshot.feeds:
        assert len(feed_body(snapshot, name)[1]) < 1_000_000

