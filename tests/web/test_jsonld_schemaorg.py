"""Every entry page's JSON-LD, as a search engine reads it from the served HTML, checked against
schema.org's own definitions (tests/data/schemaorg) and Google's event requirements."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from calfeed.source import load_source
from tests.conftest import DATA
from tests.support.schemaorg import google_event_problems, violations

SOURCES = ["fixed.yaml", "cancelled.yaml", "partner_site.yaml", "english_mixed_kinds.yaml",
           "timezone_new_york.yaml", "recurring.yaml", "unicode_long.yaml"]
_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def page_jsonld(client: TestClient, entry_id: str) -> dict:
    response = client.get(f"/events/{entry_id}")
    assert response.status_code == 200, entry_id
    (text,) = _SCRIPT.findall(response.text)
    data: dict = json.loads(text)
    return data


@pytest.mark.parametrize("source", SOURCES)
def test_every_entry_page_is_a_valid_schema_org_event_google_can_show(
        serve: Callable[..., TestClient], source: str):
    client = serve(source)
    for entry in load_source(DATA / source).source.entries:
        data = page_jsonld(client, entry.id)
        assert data["@context"] == "https://schema.org"
        assert violations(data) == [], entry.id
        assert google_event_problems(data) == [], entry.id


def test_a_place_has_its_text_as_address_and_the_calendar_organizes_the_rest(
        serve: Callable[..., TestClient]):
    client = serve("fixed.yaml")
    fagdag = page_jsonld(client, "fagdag-oslo")
    assert fagdag["location"]["address"] == "Oslo kongressenter, Youngs gate 21"
    assert fagdag["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    # Nobody named as organizer: the calendar's publisher is, with a link to the calendar.
    series = page_jsonld(client, "rettsavgjorelser")
    assert series["organizer"] == {"@type": "Organization",
                                   "name": "KOM – kurs, konferanser og høringsfrister",
                                   "url": "https://kalender.example.no/"}
    assert series["location"] == {"@type": "VirtualLocation",
                                  "url": "https://kalender.example.no/events/rettsavgjorelser"}


@pytest.mark.parametrize(("node", "says"), [
    ({"@type": "Event", "name": "x", "address": "Oslo"}, "$.address: not a property of Event"),
    ({"@type": "Place", "name": "x", "eventStatus": "https://schema.org/EventScheduled"},
     "$.eventStatus: not a property of Place"),
    ({"@type": "Event", "startDate": "2024-08-21T10:00"}, "is not a valid Date or DateTime"),
    ({"@type": "Event", "eventStatus": "https://schema.org/OnlineEventAttendanceMode"},
     "is a EventAttendanceModeEnumeration"),
    ({"@type": "Event", "organizer": {"@type": "Place", "name": "x"}}, "a Place where"),
    ({"@type": "Event", "url": "javascript:alert(1)"}, "is not a valid URL"),
    ({"@type": "Happening"}, "not a schema.org class"),
    ({"@type": "Event", "venue": "x"}, "not a schema.org property"),
])
def test_the_checker_finds_what_schema_org_does_not_define(node, says):
    assert any(says in problem for problem in violations(node)), violations(node)


def test_the_google_check_finds_a_place_without_address():
    node = {"@type": "Event", "name": "x", "startDate": "2024-08-21",
            "location": {"@type": "Place", "name": "Oslo"}}
    assert "a Place without address" in google_event_problems(node)
    assert "missing recommended organizer" in google_event_problems(node)
