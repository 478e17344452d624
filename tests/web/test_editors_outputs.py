"""The editors' additions as subscribers, readers and partner sites meet them: month-only
entries listed but kept out of iCalendar, registration deadlines in deadline feeds, and tag
labels where a person reads tags."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.support.strict_ical import parse_strict

Publish = Callable[..., None]


@pytest.fixture
def editors(serve: Publish, client: TestClient) -> TestClient:
    serve("editors.yaml")
    return client


def _uids(body: bytes) -> set[str]:
    return {e["uid"].split("@")[0] for e in parse_strict(body)}


def test_month_only_entries_stay_out_of_icalendar(editors: TestClient) -> None:
    assert _uids(editors.get("/calendar.ics").content) == {
        "kurs-barn-som-utnyttes", "kurs-barn-som-utnyttes-registration"}
    assert _uids(editors.get("/feeds/frister.ics").content) == {
        "kurs-barn-som-utnyttes-registration"}
    # the one-entry download of a month-only entry is a valid calendar without it
    one = editors.get("/events/webinar-digitale-spor.ics")
    assert one.status_code == 200
    assert _uids(one.content) == set()


def test_registration_deadline_in_deadline_feeds(editors: TestClient) -> None:
    body = editors.get("/feeds/frister.ics").text.replace("\r\n ", "")
    # "Påmeldingsfrist: " says it is a deadline; no "Frist: " before it
    assert "SUMMARY:Påmeldingsfrist: Digitalt kurs «Barn som utnyttes»" in body
    assert "DTSTART;VALUE=DATE:20250801" in body
    filtered = editors.get("/calendar.ics?type=deadline").content
    assert _uids(filtered) == {"kurs-barn-som-utnyttes-registration"}
