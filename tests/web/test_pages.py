"""The web pages over HTTP: status, headers (CSP, caching), errors for people and for programs,
and the JSON-LD an entry page carries, checked against the source."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from calfeed.source import load_source
from calfeed.web.routes.pages import CSP
from tests.conftest import DATA, NOW, SHIPPED
from tests.formats.pagecheck import document, expected_upcoming, jsonld, listed_ids, months

Publish = Callable[..., None]
HTML = "text/html; charset=utf-8"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_front_page_is_html_with_a_strict_csp_and_caching(serve):
    client = serve(SHIPPED)
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == HTML
    assert response.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert response.headers["etag"].startswith('"')
    assert response.headers["cache-control"].startswith("public, max-age=")
    again = client.get("/", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == response.headers["etag"]
    assert {h: [s.id for s in e] for h, e in months(response.content).items()} == \
        expected_upcoming(load_source(SHIPPED).source, date(2024, 8, 1))


def test_filtered_views_are_urls_and_parameter_order_does_not_matter(serve):
    client = serve(SHIPPED)
    one = client.get("/?tag=ungdom&type=course&type=webinar")
    other = client.get("/?type=webinar&tag=ungdom&type=course&utm_source=nyhetsbrev")
    assert one.status_code == 200 and one.content == other.content
    assert one.headers["etag"] == other.headers["etag"]
    assert listed_ids(one.content) == ["rvts-ost-kurs-ungdom-utnyttet-2024",
                                       "rvts-ost-frokostwebinar-ungdom-utnyttet-2024"]
    deadlines = client.get("/?feed=frister")
    assert listed_ids(deadlines.content) == [
        "horing-lov-kommisjon-partnerdrap-2024", "horing-krisesenterloven-2024",
        "horing-nou-2024-13-negativ-sosial-kontroll"]
    archive = client.get("/archive?feed=frister")
    assert listed_ids(archive.content) == ["horing-barnevernsloven-kvalitetsreform-2024"]


def test_an_unknown_feed_is_a_404_page_that_leads_back(serve):
    client = serve(SHIPPED)
    response = client.get("/?feed=finnes-ikke", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 404
    assert response.headers["content-type"] == HTML
    assert response.headers["content-security-policy"] == CSP
    page = document(response.content)
    assert "finnes-ikke" in page.cssselect("main .lead")[0].text_content()
    assert "/" in [a.get("href") for a in page.cssselect("main a")]


@pytest.mark.parametrize(("query", "parameter"), [
    ("type=kurs", "type"), ("tag=Not%20A%20Tag", "tag"), ("feed=frister&feed=moter", "feed")])
def test_bad_parameters_are_400_naming_the_parameter(serve, query, parameter):
    client = serve(SHIPPED)
    page = client.get(f"/?{query}", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 400 and page.headers["content-type"] == HTML
    assert f"'{parameter}'" in document(page.content).cssselect("main .lead")[0].text_content()
    program = client.get(f"/?{query}", headers={"Accept": "application/json"})
    assert program.status_code == 400
    assert program.headers["content-type"] == "application/problem+json"
    assert program.json()["parameter"] == parameter


def test_unknown_entry_gets_a_helpful_404_page(serve):
    client = serve(SHIPPED)
    response = client.get("/events/finnes-ikke-2024", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 404
    page = document(response.content)
    assert page.cssselect("h1")[0].text_content() == "Fant ikke siden"
    assert "«finnes-ikke-2024»" in page.cssselect("main .lead")[0].text_content()
    assert [a.get("href") for a in page.cssselect("main a")] == ["/", "/archive"]
    assert response.headers["cache-control"] == "no-store"
    as_json = client.get("/events/finnes-ikke-2024", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.headers["content-type"] == "application/problem+json"
    odd = client.get("/events/%3Cscript%3E", headers={"Accept": BROWSER_ACCEPT})
    assert odd.status_code == 404 and b"<script>" not in odd.content


def test_the_entry_ics_route_is_not_taken_by_the_page(serve):
    client = serve(SHIPPED)
    response = client.get("/events/rosa-konferanse-menneskehandel-2024.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")


@pytest.mark.parametrize("source", [SHIPPED, DATA / "fixed.yaml", DATA / "cancelled.yaml"])
def test_entry_pages_carry_json_ld_matching_the_source(serve, source):
    client = serve(source)
    for entry in load_source(source).source.entries:
        response = client.get(f"/events/{entry.id}")
        assert response.status_code == 200, entry.id
        assert response.headers["content-security-policy"] == CSP
        data = jsonld(response.content)
        assert data["@type"] == "Event"
        assert data["name"] == entry.title
        assert data["url"] == f"https://kalender.example.no/events/{entry.id}"
        status = "EventCancelled" if entry.cancelled else "EventScheduled"
        assert data["eventStatus"] == "https://schema.org/" + status
        if entry.repeat is None:
            assert data["startDate"] == entry.start.isoformat()
            assert data["endDate"] == entry.end.isoformat()
        if entry.organizer:
            assert data["organizer"] == {"@type": "Organization", "name": entry.organizer}
        if entry.location or entry.online_url:
            assert "eventAttendanceMode" in data and "location" in data
        if entry.description:
            assert data["description"] == entry.description.strip()


def test_a_recurring_entry_page_dates_its_next_occurrence(serve):
    client = serve(SHIPPED)
    data = jsonld(client.get("/events/kom-rettsavgjorelser-oppdatering").content)
    assert (data["startDate"], data["endDate"]) == ("2024-08-31", "2024-08-31")


def test_static_files_are_cached_and_versioned(serve):
    client = serve(SHIPPED)
    page = document(client.get("/").content)
    style = page.cssselect('link[rel="stylesheet"]')[0].get("href")
    icon = page.cssselect('link[rel="icon"]')[0].get("href")
    script = page.cssselect("script[src]")[0].get("src")
    for url, media in ((style, "text/css"), (icon, "image/svg+xml"), (script, "text/javascript")):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert client.get(url, headers={"If-None-Match": response.headers["etag"]}) \
            .status_code == 304
    unversioned = client.get("/static/style.css")
    assert unversioned.status_code == 200
    assert "immutable" not in unversioned.headers["cache-control"]
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/embed-nope.js").status_code == 404


def test_pages_follow_the_data(serve, publish, app):
    client = serve("fixed.yaml")
    before = client.get("/")
    text = (DATA / "fixed.yaml").read_text(encoding="utf-8").replace(
        "title: Webinar fra New York", "title: Webinar fra New York (flyttet)")
    publish(text, now=NOW + timedelta(hours=1))
    app.state.serving.refresh()
    after = client.get("/")
    assert after.headers["etag"] != before.headers["etag"]
    assert "Webinar fra New York (flyttet)" in after.text
