"""schema.org Event JSON-LD: the fields search engines read, and embedding that cannot break out
of its ``<script>`` element."""

from __future__ import annotations

import json

import pytest

from calfeed.formats.jsonld import event_jsonld, script_json
from calfeed.model import Entry
from calfeed.recurrence import Occurrence
from calfeed.source import load_source
from tests.conftest import DATA

PAGE = "https://kalender.example.no/events/x"
SCHEMA = "https://schema.org/"


def entries(name: str) -> dict[str, Entry]:
    return {e.id: e for e in load_source(DATA / name).source.entries}


def ld(entry: Entry) -> dict:
    return event_jsonld(entry, Occurrence(entry.start, entry.end), PAGE)


def test_a_timed_entry_has_offsets_and_an_online_location():
    data = ld(entries("fixed.yaml")["webinar-new-york"])
    assert data["@type"] == "Event"
    assert data["name"] == "Webinar fra New York"
    assert data["startDate"] == "2024-11-04T10:00:00-05:00"
    assert data["endDate"] == "2024-11-04T11:30:00-05:00"
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert data["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation",
                                "url": "https://meet.example.org/unodc?pwd=a;b,c"}
    assert data["organizer"] == {"@type": "Organization", "name": "UNODC"}
    assert data["url"] == PAGE


def test_an_all_day_entry_has_dates_and_a_digital_place_is_virtual():
    data = ld(entries("fixed.yaml")["kurs-ungdom-utnyttet"])
    assert (data["startDate"], data["endDate"]) == ("2024-08-21", "2024-08-22")
    assert data["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    # No meeting link: the course's own page is where one signs up to attend online.
    assert data["location"] == {"@type": "VirtualLocation", "name": "Digitalt",
                                "url": "https://rvts.example.no/kurs/ungdom"}
    assert data["sameAs"] == "https://rvts.example.no/kurs/ungdom"
    assert data["description"].startswith("Kurset gir kunnskap")


def test_a_place_is_offline_and_a_place_with_a_link_is_mixed():
    fagdag = entries("fixed.yaml")["fagdag-oslo"]
    assert ld(fagdag)["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert ld(fagdag)["location"] == {"@type": "Place",
                                      "name": "Oslo kongressenter, Youngs gate 21",
                                      "address": "Oslo kongressenter, Youngs gate 21"}
    # Tentative has no schema.org status of its own: it is still scheduled.
    assert ld(fagdag)["eventStatus"] == SCHEMA + "EventScheduled"
    hybrid = Entry(**{**_fields(fagdag), "online_url": "https://meet.example.no/fagdag"})
    data = ld(hybrid)
    assert data["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    assert data["location"] == [
        {"@type": "Place", "name": "Oslo kongressenter, Youngs gate 21",
         "address": "Oslo kongressenter, Youngs gate 21"},
        {"@type": "VirtualLocation", "url": "https://meet.example.no/fagdag"}]


def test_a_cancelled_entry_says_so():
    data = ld(entries("cancelled.yaml")["avlyst-kommende"])
    assert data["eventStatus"] == SCHEMA + "EventCancelled"
    assert data["name"] == "Konferanse som er avlyst"  # the status carries it, not a prefix


def test_a_deadline_without_a_place_is_answered_online_where_its_page_says():
    data = ld(entries("fixed.yaml")["horing-krisesenterloven"])
    assert data["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://www.regjeringen.no/no/dokumenter/horing-krisesenterloven/id0000/"}
    assert data["startDate"] == data["endDate"] == "2024-09-16"
    # Without its own page, the entry's page here is where to read about it.
    bare = entries("fixed.yaml")["rettsavgjorelser"]
    assert ld(bare)["location"] == {"@type": "VirtualLocation", "url": PAGE}


def test_the_calendar_organizes_what_names_no_organizer():
    bare = entries("fixed.yaml")["rettsavgjorelser"]
    assert "organizer" not in ld(bare)
    data = event_jsonld(bare, Occurrence(bare.start, bare.end), PAGE,
                        ("KOM", "https://kalender.example.no/"))
    assert data["organizer"] == {"@type": "Organization", "name": "KOM",
                                 "url": "https://kalender.example.no/"}
    webinar = entries("fixed.yaml")["webinar-new-york"]
    assert event_jsonld(webinar, Occurrence(webinar.start, webinar.end), PAGE,
                        ("KOM", "https://kalender.example.no/"))["organizer"] == {
        "@type": "Organization", "name": "UNODC"}


@pytest.mark.parametrize("text", [
    "</script><script>alert(1)</script>", "<!-- x", "a & b > c", "line\u2028sep\u2029para",
    '"quotes" and \\backslash', "æøå 🗓️",
])
def test_script_json_cannot_close_its_element_and_stays_the_same_value(text):
    data = {"name": text, "nested": [text]}
    embedded = script_json(data)
    assert not set("<>&") & set(embedded)
    assert "\u2028" not in embedded and "\u2029" not in embedded
    assert json.loads(embedded) == data


def _fields(entry: Entry) -> dict:
    return {name: getattr(entry, name) for name in Entry.__slots__}
