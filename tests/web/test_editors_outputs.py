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


def test_labels_replace_slugs_where_people_read_tags(editors: TestClient) -> None:
    import feedparser
    from lxml import html as lxml_html

    item = next(i for i in editors.get("/api/v1/events?from=2025-01-01").json()["items"]
                if i["id"] == "kurs-barn-som-utnyttes")
    assert item["tags"] == ["ungdom", "menneskehandel"]
    assert item["tag_labels"] == {"ungdom": "Ungdom", "menneskehandel": "Menneskehandel"}
    english = next(i for i in editors.get("/api/v1/events?from=2025-01-01&lang=en").json()[
        "items"] if i["id"] == "kurs-barn-som-utnyttes")
    assert english["tag_labels"] == {"ungdom": "Youth", "menneskehandel": "Human trafficking"}
    feed = feedparser.parse(editors.get("/feed.atom").content)
    course = next(e for e in feed.entries if e.id.endswith("/kurs-barn-som-utnyttes"))
    assert {(t.term, t.label) for t in course.tags if t.scheme.endswith("/?tag=")} == {
        ("ungdom", "Ungdom"), ("menneskehandel", "Menneskehandel")}
    page = lxml_html.fromstring(editors.get("/events/kurs-barn-som-utnyttes").content)
    assert [a.text_content() for a in page.cssselect("ul.tags a")] == ["Ungdom",
                                                                       "Menneskehandel"]
    index = lxml_html.fromstring(editors.get("/?tag=horing").content)
    assert "#Høring" in index.cssselect("title")[0].text_content()


def test_month_only_entries_are_listed_with_their_precision(editors: TestClient) -> None:
    items = {i["id"]: i for i in editors.get("/api/v1/events?from=2025-01-01").json()["items"]}
    webinar = items["webinar-digitale-spor"]
    assert (webinar["precision"], webinar["start"], webinar["end"]) == (
        "month", "2025-11-01", "2025-11-30")
    assert items["kurs-barn-som-utnyttes"]["precision"] == "day"
    page = editors.get("/").text
    assert "november 2025, dato kommer" in page
    # a calendar grid has no day to put it on either
    grid = editors.get("/api/v1/fullcalendar?start=2025-08-01&end=2025-12-31").json()
    assert "webinar-digitale-spor" not in {e["id"] for e in grid}
    assert "kurs-barn-som-utnyttes" in {e["id"] for e in grid}
