"""/embed/list: the widget's list as a page a partner puts in an <iframe> (their CMS strips
<script>): the API's query, the only path any site may frame. Over HTTP, then in Chromium on a
partner page from another origin."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.formats.pagecheck import document
from tests.support.browser import format_violations, save_screenshot
from tests.support.server import serve_app, serve_directory

PARTNER = Path(__file__).parent.parent / "data" / "partner"
EXAMPLE_BASE = "http://127.0.0.1:8000"
Serve = Callable[..., TestClient]


def test_the_list_is_what_the_api_gives_for_the_same_query(serve: Serve):
    client = serve("partner_site.yaml")
    query = "feed=frister&from=2024-08-01&limit=3"
    api = client.get(f"/api/v1/events?{query}").json()
    page = client.get(f"/embed/list?{query}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    doc = document(page.content)
    links = [a.get("href") for a in doc.cssselect("li.entry h2 a")]
    assert links == [f"/events/{item['id']}" for item in api["items"]]
    assert doc.cssselect("base")[0].get("target") == "_blank"
    more, subscribe = doc.cssselect(".embed-links a")
    assert more.get("href") == "https://kalender.example.no/?feed=frister"
    assert more.text_content() == "Se hele kalenderen"
    assert subscribe.get("href") == "https://kalender.example.no/feeds/frister.ics"
    # The marks of the list pages: a closed deadline, a cancelled conference, tentative.
    past = document(client.get("/embed/list?from=2024-07-01&limit=50").content)
    texts = {li.cssselect("h2")[0].text_content().strip(): li.cssselect(".badges")[0]
             .text_content().split() for li in past.cssselect("li.entry")}
    assert "Lukket" in texts["Høringsfrist om barnevernsloven"]
    assert "Avlyst" in texts["Nordisk konferanse"]
    assert "Foreløpig" in texts["Seminar om rettspraksis"]


def test_only_the_embed_list_may_be_framed(serve: Serve):
    client = serve("partner_site.yaml")
    embed = client.get("/embed/list")
    assert "x-frame-options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    for path in ("/", "/events/frist-krisesenterloven", "/month/2024-08", "/archive"):
        response = client.get(path)
        assert response.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path


@pytest.mark.parametrize(("query", "parameter"), [
    ("limit=0", "limit"), ("from=2024-13-01", "from"), ("type=party", "type"),
    ("feed=nope", "feed"), ("to=2024-01-01&from=2024-02-01", "to"),
])
def test_a_bad_query_is_named_as_in_the_api(serve: Serve, query: str, parameter: str):
    response = serve("partner_site.yaml").get(f"/embed/list?{query}")
    assert response.status_code in (400, 404)
    assert response.json()["parameter"] == parameter


@pytest.fixture
def partner_iframe(tmp_path: Path, publish: Callable[..., None],
                   app: FastAPI) -> Iterator[tuple[str, str]]:
    """tests/data/partner/iframe.html on its own origin, framing a live calfeed; yields
    (the partner page's URL, calfeed's base URL)."""
    publish("partner_site.yaml")
    with serve_app(app) as calfeed:
        site = tmp_path / "partner"
        site.mkdir()
        shutil.copy(PARTNER / "partner.css", site)
        html = (PARTNER / "iframe.html").read_text(encoding="utf-8")
        (site / "iframe.html").write_text(html.replace(EXAMPLE_BASE, calfeed), encoding="utf-8")
        csp = f"default-src 'self'; frame-src {calfeed}; style-src 'self'; img-src 'self' data:"
        with serve_directory(site, headers={"Content-Security-Policy": csp}) as origin:
            assert origin != calfeed
            yield origin + "/iframe.html", calfeed


def test_a_partner_page_from_another_origin_frames_the_list_but_not_the_site(
        partner_iframe: tuple[str, str], page: Page,
        axe_scan: Callable[..., list[dict[str, Any]]]):
    partner, calfeed = partner_iframe
    page.goto(partner)
    frame = page.frame_locator("#frister")
    first = frame.locator("li.entry").first
    expect(first).to_contain_text("Innspill til handlingsplan (innen kl. 12)")
    expect(first).to_contain_text("4 dager igjen")
    expect(frame.locator("li.entry")).to_have_count(5)
    link = frame.get_by_role("link", name="Se hele kalenderen")
    expect(link).to_have_attribute("href", "https://kalender.example.no/?feed=frister")
    # The front page refuses to be framed: its content never appears in the frame.
    framed = page.frame(url=calfeed + "/")
    assert framed is None or framed.locator("h1").count() == 0
    save_screenshot(page, "embed_list_in_partner_iframe")
    # The framed page itself is accessible.
    page.goto(calfeed + "/embed/list?feed=frister&from=2024-08-01&limit=5")
    violations = axe_scan(page)
    assert violations == [], format_violations(violations)
    # The browser logs the refused frame; nothing else may go wrong.
    assert [e for e in page.console_errors if "frame" not in e.lower()] == []
