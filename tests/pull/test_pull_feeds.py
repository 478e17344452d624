"""Ministries' consultation feeds (RSS and Atom) read as deadlines, and event pages' schema.org
JSON-LD read as events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calfeed.partners import PartnerSource
from calfeed.pull.items import MalformedError
from calfeed.pull.mapping import Mapped, map_items
from calfeed.pull.readers import read_body

DATA = Path(__file__).parent.parent / "data" / "pull"
NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")


def pull(name: str, fmt: str, body: bytes | None = None, **settings: object) -> Mapped:
    source = PartnerSource("dep", f"https://partner.example/{name}", fmt,
                           **settings)  # type: ignore[arg-type]
    parsed = read_body(source, body if body is not None else (DATA / name).read_bytes(),
                       url=source.url, default_tz="Europe/Oslo", now=NOW)
    return map_items(source, parsed, fetched=NOW, default_tz="Europe/Oslo")


def test_rss_items_are_deadlines_read_from_the_three_ways_ministries_write_them() -> None:
    mapped = pull("regjeringen.rss", "rss", organizer="Regjeringen")
    due = {p.entry.title: (p.entry.type, p.entry.due, p.entry.organizer) for p in mapped.entries}
    assert due == {
        "Høring – forslag til endringer i krisesenterloven":
            ("deadline", date(2024, 9, 16), "Barne- og familiedepartementet"),
        "Høring om ny handlingsplan mot menneskehandel":
            ("deadline", date(2024, 10, 1), "Justis- og beredskapsdepartementet"),
        "Høring – endringer i utlendingsforskriften (ofre for menneskehandel)":
            ("deadline", date(2024, 10, 13), "Regjeringen"),  # no dc:creator: the setting
    }
    first = mapped.entries[0]
    assert first.entry.url == \
        "https://www.regjeringen.no/no/dokumenter/horing-krisesenterloven/id3041234/"
    assert first.entry.published == date(2024, 6, 28)
    assert first.provenance.upstream_uid == "https://www.regjeringen.no/id3041234"


def test_an_item_without_a_deadline_is_reported_not_guessed() -> None:
    mapped = pull("regjeringen.rss", "rss")
    skipped, = mapped.skipped
    assert "Orientering om arbeidet med ny barnevernslov" in skipped.label
    assert "no deadline found" in skipped.reason


def test_atom_entries_with_html_content() -> None:
    mapped = pull("horinger.atom", "atom")
    due = {p.entry.title: p.entry.due for p in mapped.entries}
    assert due == {"Høring: Tiltak mot vold i nære relasjoner i helsetjenesten": date(2024, 9, 16),
                   "Høring om endringer i pasientjournalforskriften": date(2023, 10, 13)}
    text = mapped.entries[0].entry.description or ""
    assert "<strong>" not in text and "Høringsfrist: 16. september 2024" in text


def test_a_feed_that_is_not_a_feed_is_malformed() -> None:
    with pytest.raises(MalformedError):
        pull("x.rss", "rss", body=b"<html><body>Siden finnes ikke</body></html>")


def test_json_ld_events_in_a_graph_with_subtypes_places_and_virtual_locations() -> None:
    mapped = pull("kurs.html", "jsonld", type="course")
    entries = {p.entry.title: p.entry for p in mapped.entries}
    course = entries["Traumebevisst omsorg – grunnkurs"]
    assert (course.type, course.start, course.end) == (
        "course", datetime(2024, 9, 24, 9, tzinfo=OSLO), datetime(2024, 9, 24, 15, 30,
                                                                   tzinfo=OSLO))
    assert course.location == "Clarion Hotel Ernst, Rådhusgata 2, 4611, Kristiansand"
    assert course.url == "https://partner.example/kurs/traumebevisst-omsorg-2024"  # relative
    assert course.organizer == "RVTS Sør"
    webinar = entries["Webinar: Menneskehandel og rus"]
    assert webinar.start == datetime(2024, 10, 8, 14, tzinfo=OSLO)  # 12:00Z
    assert webinar.online_url == "https://rvtssor.no/webinar/rus" and webinar.location is None
    conference = entries["Høstkonferansen 2024"]
    assert conference.status == "cancelled"
    assert (conference.start, conference.end) == (date(2024, 11, 13), date(2024, 11, 14))
    assert conference.location == "Kilden, Sjølystveien 2, Kristiansand"
    assert conference.online_url == "https://rvtssor.no/stream"


def test_json_ld_problems_are_reported_per_item_and_per_block() -> None:
    reasons = {s.label: s.reason for s in pull("kurs.html", "jsonld").skipped}
    assert "not valid JSON" in reasons["JSON-LD block 2 of the page"]
    assert any("Kurs uten dato" in label and "no startDate" in reason
               for label, reason in reasons.items())


def test_a_page_without_json_ld_is_malformed() -> None:
    with pytest.raises(MalformedError, match=r"no schema\.org JSON-LD"):
        pull("x.html", "jsonld", body=b"<html><body><h1>Kurs</h1></body></html>")
