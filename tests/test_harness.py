"""The test harness against hand-written inputs (not calfeed output): each real client and
server helper does what the other tests rely on. These double as usage examples."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.support import postgres as pg
from tests.support.browser import axe_scan, console_errors, format_violations
from tests.support.icaljs import IcaljsError, events_by_uid, parse_with_icaljs
from tests.support.newsboat import (
    NewsboatError,
    read_feed_items_with_newsboat,
    read_feed_with_newsboat,
)
from tests.support.paths import FULLCALENDAR_JS, NPM_HINT
from tests.support.require import require
from tests.support.server import serve_app, serve_directory
from tests.support.strict_ical import (
    StrictIcalError,
    load_strict,
    occurrences_strict,
    parse_strict,
)

UTC = dt.UTC

# Europe/Oslo as Outlook wants it: yearly RRULEs, no RDATE lists.
OSLO = """BEGIN:VTIMEZONE
TZID:Europe/Oslo
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19810329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""

# 2024-03-31 02:30 does not exist in Oslo: clocks jump from 02:00 CET to 03:00 CEST.
GAP = """BEGIN:VEVENT
UID:gap@example.test
DTSTAMP:20240101T000000Z
LAST-MODIFIED:20240102T030405Z
SEQUENCE:2
DTSTART;TZID=Europe/Oslo:20240331T023000
DTEND;TZID=Europe/Oslo:20240331T043000
SUMMARY:Kurs på sommertidsnatten
STATUS:CONFIRMED
CATEGORIES:course,ungdom
END:VEVENT"""

TIMED = """BEGIN:VEVENT
UID:timed@example.test
DTSTAMP:20240101T000000Z
DTSTART;TZID=Europe/Oslo:20240612T091500
DTEND;TZID=Europe/Oslo:20240612T153000
SUMMARY:Webinar
LOCATION:Digitalt
URL:https://example.test/webinar
END:VEVENT"""

ALL_DAY = """BEGIN:VEVENT
UID:allday@example.test
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240821
DTEND;VALUE=DATE:20240823
SUMMARY:Frist: Høring om krisesenterloven
TRANSP:TRANSPARENT
END:VEVENT"""

# Four Tuesdays at 10:00 Oslo time across the end of summer time (2024-10-27).
WEEKLY = """BEGIN:VEVENT
UID:weekly@example.test
DTSTAMP:20240101T000000Z
DTSTART;TZID=Europe/Oslo:20241015T100000
DTEND;TZID=Europe/Oslo:20241015T110000
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Ukentlig møte
END:VEVENT"""

HEADER = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//calfeed tests//hand written//EN
CALSCALE:GREGORIAN
NAME:Harness
X-WR-CALNAME:Harness
X-WR-CALDESC:Hand-written test calendar
REFRESH-INTERVAL;VALUE=DURATION:PT1H
X-PUBLISHED-TTL:PT1H"""


def ics(*parts: str) -> bytes:
    """A VCALENDAR around `parts`, with CRLF line endings as RFC 5545 wants."""
    text = "\n".join([HEADER, *parts, "END:VCALENDAR"]) + "\n"
    return text.replace("\n", "\r\n").encode("utf-8")


VALID = ics(OSLO, GAP, TIMED, ALL_DAY, WEEKLY)
YEAR = ("2024-01-01", "2025-01-01")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- ical.js (Thunderbird's parser) ---------------------------------------------------------


def test_icaljs_reads_calendar_properties() -> None:
    parsed = parse_with_icaljs(VALID, *YEAR)
    calendar = parsed["calendar"]
    assert calendar["name"] == "Harness"
    assert calendar["x_wr_calname"] == "Harness"
    assert calendar["x_wr_caldesc"] == "Hand-written test calendar"
    assert calendar["refresh_interval"] == "PT1H"
    assert calendar["x_published_ttl"] == "PT1H"
    assert calendar["prodid"] == "-//calfeed tests//hand written//EN"
    assert parsed["timezones"] == ["Europe/Oslo"]


def test_icaljs_gives_utc_instants_dates_and_occurrences() -> None:
    events = events_by_uid(parse_with_icaljs(VALID, *YEAR))
    assert set(events) == {
        "gap@example.test",
        "timed@example.test",
        "allday@example.test",
        "weekly@example.test",
    }

    timed = events["timed@example.test"]
    assert (timed["start"], timed["end"]) == ("2024-06-12T07:15:00Z", "2024-06-12T13:30:00Z")
    assert timed["all_day"] is False
    assert timed["location"] == "Digitalt"
    assert timed["url"] == "https://example.test/webinar"
    assert timed["rrule"] is None
    assert timed["occurrences"] == [
        {"start": "2024-06-12T07:15:00Z", "end": "2024-06-12T13:30:00Z", "recurrence_id": None}
    ]

    all_day = events["allday@example.test"]
    assert all_day["all_day"] is True
    assert (all_day["start"], all_day["end"]) == ("2024-08-21", "2024-08-23")  # DTEND exclusive
    assert all_day["transp"] == "TRANSPARENT"
    assert all_day["summary"] == "Frist: Høring om krisesenterloven"

    gap = events["gap@example.test"]
    assert gap["sequence"] == 2
    assert gap["status"] == "CONFIRMED"
    assert gap["categories"] == ["course", "ungdom"]
    assert gap["last_modified"] == "2024-01-02T03:04:05Z"
    assert gap["subcomponents"] == []

    weekly = events["weekly@example.test"]
    assert weekly["rrule"] == "FREQ=WEEKLY;COUNT=4"
    # 10:00 CEST is 08:00Z; after 2024-10-27, 10:00 CET is 09:00Z.
    assert [(o["start"], o["end"]) for o in weekly["occurrences"]] == [
        ("2024-10-15T08:00:00Z", "2024-10-15T09:00:00Z"),
        ("2024-10-22T08:00:00Z", "2024-10-22T09:00:00Z"),
        ("2024-10-29T09:00:00Z", "2024-10-29T10:00:00Z"),
        ("2024-11-05T09:00:00Z", "2024-11-05T10:00:00Z"),
    ]


def test_icaljs_window_selects_occurrences_by_start() -> None:
    events = events_by_uid(parse_with_icaljs(VALID, "2024-10-20", "2024-10-29T09:00:00Z"))
    assert [o["start"] for o in events["weekly@example.test"]["occurrences"]] == [
        "2024-10-22T08:00:00Z"
    ]
    assert events["allday@example.test"]["occurrences"] == []


def test_icaljs_converts_with_the_documents_own_vtimezone() -> None:
    # The same TZID with wrong offsets must give other instants: ical.js reads the VTIMEZONE in
    # the document, so a wrong VTIMEZONE from calfeed shows up as wrong times in these tests.
    wrong = OSLO.replace("+0100", "+0500").replace("+0200", "+0600")
    events = events_by_uid(parse_with_icaljs(ics(wrong, TIMED), *YEAR))
    assert events["timed@example.test"]["start"] == "2024-06-12T03:15:00Z"


def test_icaljs_reads_a_time_in_the_dst_gap_with_the_offset_after_the_gap() -> None:
    # QUIRK pinned here: RFC 5545 3.3.5 says a local time that does not exist is read with the
    # offset BEFORE the gap (02:30+01:00 = 01:30Z, as the strict parser below does); ical.js
    # uses the offset after it (02:30+02:00 = 00:30Z). Clients disagree by an hour, so calfeed
    # should not write local times that fall in a gap.
    gap = events_by_uid(parse_with_icaljs(ics(OSLO, GAP), *YEAR))["gap@example.test"]
    assert gap["start"] == "2024-03-31T00:30:00Z"
    assert parse_strict(ics(OSLO, GAP))[0]["start"] == utc(2024, 3, 31, 1, 30)


INVALID_FOR_BOTH = {
    "no END:VCALENDAR": VALID.replace(b"END:VCALENDAR\r\n", b""),
    "garbage DTSTART": VALID.replace(b"20240612T091500", b"garbage"),
    "impossible date": VALID.replace(b"DATE:20240821", b"DATE:20241340"),
    "TZID without VTIMEZONE": ics(TIMED),
    "not a content line": VALID.replace(b"LOCATION:Digitalt", b"Digitalt"),
}


@pytest.mark.parametrize("document", INVALID_FOR_BOTH.values(), ids=INVALID_FOR_BOTH.keys())
def test_icaljs_rejects_invalid_documents(document: bytes) -> None:
    with pytest.raises(IcaljsError):
        parse_with_icaljs(document, *YEAR)


# --- the strict Python parser (allenporter's `ical`) ----------------------------------------


def test_strict_parser_gives_utc_datetimes_and_dates() -> None:
    events = {event["uid"]: event for event in parse_strict(VALID)}
    timed = events["timed@example.test"]
    assert (timed["start"], timed["end"]) == (utc(2024, 6, 12, 7, 15), utc(2024, 6, 12, 13, 30))
    assert isinstance(timed["start"], dt.datetime)
    assert timed["start"].utcoffset() == dt.timedelta(0)
    assert timed["all_day"] is False
    assert timed["url"] == "https://example.test/webinar"

    all_day = events["allday@example.test"]
    assert all_day["all_day"] is True
    assert (all_day["start"], all_day["end"]) == (dt.date(2024, 8, 21), dt.date(2024, 8, 23))
    assert all_day["transp"] == "TRANSPARENT"

    gap = events["gap@example.test"]
    assert (gap["sequence"], gap["status"]) == (2, "CONFIRMED")
    assert gap["categories"] == ["course", "ungdom"]
    assert gap["summary"] == "Kurs på sommertidsnatten"
    assert gap["last_modified"] == utc(2024, 1, 2, 3, 4, 5)
    assert gap["dtstamp"] == utc(2024, 1, 1)

    assert events["weekly@example.test"]["rrule"] == "FREQ=WEEKLY;COUNT=4"


def test_strict_calendar_properties() -> None:
    calendar = load_strict(VALID)
    assert calendar.name == ["Harness"]
    assert calendar.refresh_interval == dt.timedelta(hours=1)
    assert [tz.tz_id for tz in calendar.timezones] == ["Europe/Oslo"]
    extras = {prop.name: prop.value for prop in calendar.extras}
    assert extras["x-wr-calname"] == "Harness"


def test_strict_occurrences_agree_with_icaljs() -> None:
    window = ("2024-10-01", "2024-12-01")
    strict = [
        (o["start"], o["end"])
        for o in occurrences_strict(VALID, *window)
        if o["uid"] == "weekly@example.test"
    ]
    icaljs = events_by_uid(parse_with_icaljs(VALID, *window))["weekly@example.test"]
    assert strict == [
        (dt.datetime.fromisoformat(o["start"]), dt.datetime.fromisoformat(o["end"]))
        for o in icaljs["occurrences"]
    ]
    assert len(strict) == 4
    assert strict[2][0] == utc(2024, 10, 29, 9)


def test_strict_occurrences_window_and_all_day() -> None:
    found = occurrences_strict(VALID, "2024-08-01", dt.datetime(2024, 10, 22, 8, tzinfo=UTC))
    assert [(o["uid"], o["start"]) for o in found] == [
        ("allday@example.test", dt.date(2024, 8, 21)),
        ("weekly@example.test", utc(2024, 10, 15, 8)),
    ]


def test_strict_occurrences_stop_on_unbounded_rules() -> None:
    forever = WEEKLY.replace("RRULE:FREQ=WEEKLY;COUNT=4", "RRULE:FREQ=DAILY")
    found = occurrences_strict(ics(OSLO, forever), "2024-10-15", "2024-10-18")
    assert [o["start"] for o in found] == [utc(2024, 10, d, 8) for d in (15, 16, 17)]


INVALID_FOR_STRICT = {
    **INVALID_FOR_BOTH,
    "LF line endings": VALID.replace(b"\r\n", b"\n"),
    "line over 75 octets": VALID.replace(b"SUMMARY:Webinar", b"SUMMARY:" + "ø".encode() * 40),
    "VEVENT without UID": VALID.replace(b"UID:timed@example.test\r\n", b""),
    "VEVENT without DTSTAMP": ics(OSLO, TIMED.replace("DTSTAMP:20240101T000000Z\n", "")),
    "duplicate UID": ics(OSLO, TIMED, TIMED),
    "DTEND before DTSTART": VALID.replace(b"DATE:20240823", b"DATE:20240801"),
    "DTEND equal to DTSTART": ics(OSLO, TIMED.replace("153000", "091500")),
    "bad STATUS": VALID.replace(b"STATUS:CONFIRMED", b"STATUS:MAYBE"),
    "bad RRULE": VALID.replace(b"FREQ=WEEKLY", b"FREQ=SOMETIMES"),
    "unbalanced END": VALID.replace(b"END:VEVENT", b"END:VTODO", 1),
    "no VERSION": VALID.replace(b"VERSION:2.0\r\n", b""),
    "empty": b"",
}


@pytest.mark.parametrize("document", INVALID_FOR_STRICT.values(), ids=INVALID_FOR_STRICT.keys())
def test_strict_parser_rejects_invalid_documents(document: bytes) -> None:
    with pytest.raises(StrictIcalError):
        parse_strict(document)


def test_strict_parser_lists_every_problem_with_its_line() -> None:
    broken = ics(TIMED.replace("UID:timed@example.test\n", ""), TIMED).replace(b"\r\n", b"\n")
    with pytest.raises(StrictIcalError) as caught:
        parse_strict(broken)
    problems = "\n".join(caught.value.problems)
    assert "CRLF" in problems
    assert "0 UID properties" in problems
    assert "line 12: DTSTART;TZID=Europe/Oslo has no VTIMEZONE" in problems


# --- require: skip locally, fail in CI ------------------------------------------------------


def test_require_skips_without_require_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALFEED_REQUIRE_ALL", raising=False)
    require(True, "not raised")
    with pytest.raises(pytest.skip.Exception, match=r"^thing not found: apt-get install thing$"):
        require(False, "thing not found: apt-get install thing")


def test_require_fails_with_require_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFEED_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match=r"install thing \(CALFEED_REQUIRE_ALL=1\)"):
        require(False, "thing not found: apt-get install thing")


# --- servers and the browser ----------------------------------------------------------------


async def tiny_asgi_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A hand-written ASGI app standing in for calfeed's: JSON with CORS."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    data: Any = {"path": scope["path"], "title": "Høringsfrist"}
    if scope["path"] == "/api/v1/fullcalendar":
        data = [{"title": "Frist: Høring", "start": "2024-08-21", "allDay": True}]
    body = json.dumps(data).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"access-control-allow-origin", b"*"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def test_serve_app_serves_on_loopback_and_stops() -> None:
    with serve_app(tiny_asgi_app) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        response = httpx.get(base_url + "/api/v1/events")
        assert response.status_code == 200
        assert response.json() == {"path": "/api/v1/events", "title": "Høringsfrist"}
        port = int(base_url.rsplit(":", 1)[1])
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


PARTNER_PAGE = """<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>Partner</title><link rel="icon" href="data:,"></head>
<body>
<main>
<h1>Kommende frister</h1>
<p id="static">Skrevet for hånd</p>
<ul id="list"></ul>
</main>
<script>
  const api = new URLSearchParams(location.search).get("api");
  if (api) {
    fetch(api + "/api/v1/events")
      .then((r) => r.json())
      .then((data) => {
        const li = document.createElement("li");
        li.textContent = data.title;
        document.getElementById("list").append(li);
      });
  }
  console.error("a console error the fixture must catch");
</script>
</body>
</html>
"""


def test_browser_reads_a_partner_page_that_calls_the_app_cross_origin(
    page: Page, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(PARTNER_PAGE, encoding="utf-8")
    with serve_directory(tmp_path) as partner, serve_app(tiny_asgi_app) as app:
        assert partner != app  # another origin: another port
        page.goto(f"{partner}/index.html?api={app}")
        expect(page.locator("#list li")).to_have_text("Høringsfrist")
        assert page.locator("#static").inner_text() == "Skrevet for hånd"
    assert console_errors(page) == page.console_errors  # type: ignore[attr-defined]
    assert len(console_errors(page)) == 1
    assert "a console error the fixture must catch" in console_errors(page)[0]


def test_axe_finds_no_violation_on_a_clean_page_and_one_on_a_bad_page(
    page: Page, tmp_path: Path
) -> None:
    head = '<head><meta charset="utf-8"><title>T</title><link rel="icon" href="data:,"></head>'
    (tmp_path / "good.html").write_text(
        f'<!doctype html><html lang="nb">{head}<body><main><h1>Frister</h1>'
        '<img src="data:," alt="Logo"></main></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "bad.html").write_text(
        f'<!doctype html><html lang="nb">{head}<body><main><h1>Frister</h1>'
        '<img src="data:,"></main></body></html>',
        encoding="utf-8",
    )
    # A strict CSP (no inline scripts), as calfeed's own pages may send, must not stop the scan.
    csp = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:"}
    with serve_directory(tmp_path, headers=csp) as site:
        page.goto(f"{site}/good.html")
        violations = axe_scan(page)
        assert violations == [], format_violations(violations)
        page.goto(f"{site}/bad.html")
        violations = axe_scan(page)
        assert [v["id"] for v in violations] == ["image-alt"]
        assert "image-alt (critical)" in format_violations(violations)
    assert console_errors(page) == []


def test_fullcalendar_bundle_shows_events_from_a_json_source(page: Page, tmp_path: Path) -> None:
    require(FULLCALENDAR_JS.is_file(), f"FullCalendar not installed: {NPM_HINT}")
    shutil.copy(FULLCALENDAR_JS, tmp_path / "fullcalendar.js")
    (tmp_path / "cal.html").write_text(
        '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Kalender</title>'
        '<link rel="icon" href="data:,"><script src="fullcalendar.js"></script></head>'
        '<body><div id="cal"></div><script>'
        "const api = new URLSearchParams(location.search).get('api');"
        "new FullCalendar.Calendar(document.getElementById('cal'), {"
        "  initialView: 'dayGridMonth', initialDate: '2024-08-01',"
        "  events: api + '/api/v1/fullcalendar'}).render();"
        "</script></body></html>",
        encoding="utf-8",
    )
    with serve_directory(tmp_path) as partner, serve_app(tiny_asgi_app) as app:
        page.goto(f"{partner}/cal.html?api={app}")
        expect(page.locator(".fc-event-title")).to_have_text("Frist: Høring")
    assert console_errors(page) == []


def test_page_screenshot_helper(page: Page, tmp_path: Path) -> None:
    from tests.support.browser import save_screenshot

    (tmp_path / "index.html").write_text(PARTNER_PAGE, encoding="utf-8")
    with serve_directory(tmp_path) as partner:
        page.goto(f"{partner}/index.html")
        path = save_screenshot(page, "test_harness-screenshot")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    path.unlink()


# --- PostgreSQL -----------------------------------------------------------------------------


def test_postgres_url_is_an_empty_schema_of_its_own(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            assert schema.startswith("calfeed_t_")
            tables = conn.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            ).scalar_one()
            assert tables == 0
            conn.execute(text("CREATE TABLE entry (id text PRIMARY KEY, sequence int)"))
            conn.execute(text("INSERT INTO entry VALUES ('a', 0)"))
            located = conn.execute(
                text("SELECT schemaname FROM pg_tables WHERE tablename = 'entry'")
            ).scalars()
            assert list(located) == [schema]
    finally:
        engine.dispose()


def test_isolated_schema_is_dropped_afterwards() -> None:
    base = pg.base_url_or_skip()
    with pg.isolated_schema(base) as url:
        engine = create_engine(url)
        with engine.begin() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            conn.execute(text("CREATE TABLE leftover (x int)"))
        engine.dispose()
    with psycopg.connect(pg.libpq_url(base), connect_timeout=3) as conn:
        row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    assert row is None


# --- newsboat -------------------------------------------------------------------------------

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harness feed</title>
  <id>urn:calfeed-test:feed</id>
  <updated>2024-06-28T10:00:00Z</updated>
  <link href="https://example.test/"/>
  <author><name>KOM</name></author>
  <entry>
    <title>Frist: Forslag til endringer i krisesenterloven</title>
    <id>urn:calfeed-test:horing</id>
    <link href="https://example.test/events/horing"/>
    <updated>2024-06-28T10:00:00Z</updated>
    <summary>Høringsfrist 16. september 2024</summary>
  </entry>
  <entry>
    <title>Kurs: Ungdom utnyttet til kriminalitet</title>
    <id>urn:calfeed-test:kurs</id>
    <link href="https://example.test/events/kurs"/>
    <updated>2024-06-27T10:00:00Z</updated>
    <summary>21.–22. august 2024, Digitalt</summary>
  </entry>
</feed>
"""


def test_newsboat_reads_an_atom_feed(tmp_path: Path) -> None:
    (tmp_path / "feed.atom").write_text(ATOM, encoding="utf-8")
    with serve_directory(tmp_path) as site:
        entries = read_feed_with_newsboat(f"{site}/feed.atom")
        items = read_feed_items_with_newsboat(f"{site}/feed.atom")
    assert entries == [  # newest first
        ("Frist: Forslag til endringer i krisesenterloven", "https://example.test/events/horing"),
        ("Kurs: Ungdom utnyttet til kriminalitet", "https://example.test/events/kurs"),
    ]
    by_title = {item.title: item for item in items}
    horing = by_title["Frist: Forslag til endringer i krisesenterloven"]
    assert horing.content == "Høringsfrist 16. september 2024"
    assert horing.published == int(dt.datetime(2024, 6, 28, 10, tzinfo=UTC).timestamp())
    assert horing.guid == "urn:calfeed-test:horing"


def test_newsboat_reports_a_feed_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "broken.atom").write_text("<feed>not closed", encoding="utf-8")
    with serve_directory(tmp_path) as site:
        with pytest.raises(NewsboatError):
            read_feed_with_newsboat(f"{site}/missing.atom")
        with pytest.raises(NewsboatError):
            read_feed_with_newsboat(f"{site}/broken.atom")


def test_harness_inputs_are_real_files() -> None:
    # The JS side the helpers rely on is committed next to them.
    js = Path(__file__).parent / "js"
    assert (js / "icaljs_parse.mjs").is_file()
    lock = json.loads((js / "package-lock.json").read_text(encoding="utf-8"))
    assert {"ical.js", "axe-core", "fullcalendar"} <= set(lock["packages"][""]["dependencies"])
    assert os.access(Path(__file__).parents[1] / ".ci" / "run", os.X_OK)
