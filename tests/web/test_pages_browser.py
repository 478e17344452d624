"""The web pages in real headless Chromium against a real server: what a visitor sees, every
subscribe link they can click, filters, accessibility (axe-core), no console errors, and
screenshots at phone and desktop widths under test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from bench.generate import generate
from calfeed.source import load_source, parse_source
from tests.conftest import DATA, SHIPPED
from tests.formats.pagecheck import expected_upcoming, jsonld, listed_ids, months
from tests.support.browser import format_violations, save_screenshot
from tests.support.server import serve_app
from tests.support.strict_ical import parse_strict

SITE = "https://kalender.example.no"  # the base_url of tests.conftest.settings
TODAY = date(2024, 8, 1)
WIDTHS = {"phone": 390, "desktop": 1280}
MEDIA = {".ics": "text/calendar", ".atom": "application/atom+xml", ".rss": "application/rss+xml"}

Publish = Callable[..., None]


@pytest.fixture
def server(publish: Publish, app: FastAPI) -> Callable[[str | Path], Any]:
    """``server(source)``: publish the source and serve the app; yields the base URL."""
    stack: list[Any] = []

    def start(source: str | Path) -> str:
        publish(source)
        context = serve_app(app)
        base = context.__enter__()
        stack.append(context)
        return base

    yield start  # type: ignore[misc]
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def local(url: str, base: str) -> str | None:
    """The server-local twin of a calfeed URL (webcal via its https twin); None if foreign."""
    if url.startswith("webcal://"):
        url = "https://" + url[len("webcal://"):]
    if url.startswith(SITE):
        return base + url[len(SITE):]
    if url.startswith("/"):
        return base + url
    return None


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def look(page: Any, axe_scan: Callable[..., list[dict[str, Any]]], name: str,
         expected_errors: tuple[str, ...] = ()) -> None:
    """What every page must pass: axe finds nothing serious, the console stays quiet (but for
    ``expected_errors``), and it is photographed at phone and desktop widths."""
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        violations = serious(axe_scan(page))
        assert not violations, f"{name} at {width}px:\n{format_violations(violations)}"
        save_screenshot(page, f"pages_{name}_{label}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
    assert [e for e in page.console_errors if not any(x in e for x in expected_errors)] == []


# --- the front page ----------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "name"), [(SHIPPED, "shipped"), (DATA / "fixed.yaml", "fixed"),
                                              (DATA / "english_mixed_kinds.yaml", "english")])
def test_front_page_shows_the_right_entries_in_the_right_months(server, page, axe_scan, source,
                                                                name):
    base = server(source)
    response = page.goto(base + "/")
    assert response is not None and response.status == 200
    shown = {h: [s.id for s in e] for h, e in months(page.content()).items()}
    # The test browser asks for nb-NO, so the English calendar's page is in Norwegian too.
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert shown == expected_upcoming(load_source(source).source, TODAY, "nb")
    assert page.locator("h1").count() == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert page.locator(landmark).count() >= 1, landmark
    look(page, axe_scan, f"index_{name}")


def test_every_subscribe_link_answers_and_outlook_and_google_carry_the_feed(server, page, http):
    base = server(SHIPPED)
    page.goto(base + "/")
    https = page.locator("#url-https").input_value()
    webcal = page.locator("#url-webcal").input_value()
    assert https == SITE + "/calendar.ics" and webcal == "webcal://kalender.example.no/calendar.ics"
    hrefs = page.eval_on_selector_all(
        "#subscribe a[href], link[rel=alternate]:not([hreflang])",
        "els => els.map(e => e.getAttribute('href'))")
    checked = 0
    for href in [*hrefs, https, webcal]:
        url = local(href, base)
        if url is None:
            continue
        response = http.get(url)
        assert response.status_code == 200, href
        suffix = Path(urlsplit(url).path).suffix
        assert response.headers["content-type"].startswith(MEDIA[suffix]), href
        checked += 1
    assert checked >= 7  # https, webcal, Atom, RSS, and the three <link rel=alternate>
    outlook = [h for h in hrefs if "/calendar/addfromweb?" in h]
    assert {urlsplit(h).netloc for h in outlook} == {"outlook.office.com", "outlook.live.com"}
    for href in outlook:
        query = parse_qs(urlsplit(href).query)
        assert query["url"] == [https]
        assert query["name"] == ["KOM – kurs, konferanser og høringsfrister"]
    google = [h for h in hrefs if h.startswith("https://calendar.google.com/")]
    assert parse_qs(urlsplit(next(h for h in google if "cid=" in h)).query)["cid"] == [webcal]
    assert page.locator("#subscribe ol.steps code").inner_text() == https


@pytest.mark.parametrize(("link", "matches"), [
    ("ungdom", lambda e: "ungdom" in e.tags),
    ("Høringsfrister", lambda e: e.type == "deadline"),
])
def test_a_filter_link_shows_only_matching_entries_and_subscribes_to_exactly_them(
        server, page, http, link, matches):
    base = server(SHIPPED)
    page.goto(base + "/")
    page.locator(".filters a", has_text=link).first.click()
    page.wait_for_load_state()
    source = {e.id: e for e in load_source(SHIPPED).source.entries}
    upcoming = listed_ids(page.content())
    assert upcoming and all(matches(source[i]) for i in upcoming)
    https = page.locator("#url-https").input_value()
    assert "?" in https or "/feeds/" in https
    page.locator(".view-switch a", has_text="tidligere").click()
    page.wait_for_load_state()
    past = listed_ids(page.content())
    assert all(matches(source[i]) for i in past)
    assert page.locator("#url-https").input_value() == https  # the archive's view is the same
    response = http.get(local(https, base) or "")
    assert response.status_code == 200
    uids = {event["uid"] for event in parse_strict(response.content)}
    assert uids == {f"{i}@kalender.example.no" for i in [*upcoming, *past]}
    assert uids == {f"{i}@kalender.example.no" for i, e in source.items() if matches(e)}
    assert page.console_errors == []


def test_later_entries_are_one_keypress_away_and_continue_the_list(server, page, axe_scan):
    source = generate(300)
    expected = [i for ids in expected_upcoming(parse_source(source).source, TODAY).values()
                for i in ids]
    base = server(source)
    page.goto(base + "/")
    first = listed_ids(page.content())
    assert len(first) == 100 < len(expected)
    # From the last entry, Tab reaches "Later" next: the pager follows the list.
    page.locator("li.entry h3 a").last.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.rel, document.activeElement.innerText]")
    assert focused[0] == "next" and focused[1].startswith("Senere: ")
    assert page.locator("nav.pager").get_attribute("aria-label") == "Sider"
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/page/2")
    second = listed_ids(page.content())
    assert second and second == expected[len(first):len(first) + len(second)]
    earlier = page.locator("nav.pager a[rel=prev]")
    assert earlier.inner_text() == "← Tidligere: august 2024 – juli 2025"
    assert page.title().endswith("Side 2 av 3")
    look(page, axe_scan, "index_page_2")
    earlier.click()
    page.wait_for_url(base + "/")
    assert listed_ids(page.content()) == first


def test_copy_button_copies_the_address(server, page):
    base = server(SHIPPED)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.goto(base + "/?feed=frister")
    button = page.locator('button[data-copy="url-https"]')
    assert button.is_visible()
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == SITE + "/feeds/frister.ics"
    assert button.inner_text() == "Kopiert"


def test_the_page_works_without_javascript(server, browser):
    base = server(SHIPPED)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/")
        assert listed_ids(page.content())
        # The copy buttons need a script; without it they stay hidden, the address selectable.
        assert not page.locator("button.copy").first.is_visible()
        assert page.locator("#url-https").is_visible()
    finally:
        context.close()


# --- entry pages and the 404 page ----------------------------------------------------------------


@pytest.mark.parametrize(("source", "entry_id", "status"), [
    (SHIPPED, "rvts-ost-kurs-ungdom-utnyttet-2024", "EventScheduled"),
    (DATA / "fixed.yaml", "webinar-new-york", "EventScheduled"),
    (DATA / "cancelled.yaml", "avlyst-kommende", "EventCancelled"),
])
def test_entry_page(server, page, axe_scan, http, source, entry_id, status):
    base = server(source)
    response = page.goto(f"{base}/events/{entry_id}")
    assert response is not None and response.status == 200
    data = jsonld(page.content())
    entry = next(e for e in load_source(source).source.entries if e.id == entry_id)
    assert data["name"] == entry.title
    assert data["eventStatus"] == "https://schema.org/" + status
    assert data["startDate"] == entry.start.isoformat()
    ics = page.locator("section.add a").first.get_attribute("href")
    assert http.get(base + ics).headers["content-type"].startswith("text/calendar")
    look(page, axe_scan, f"entry_{entry_id}")


def test_markup_in_the_source_stays_text_in_the_browser(server, page):
    base = server("markup_in_text.yaml")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/")
    assert page.locator("h3", has_text='<script>alert("tittel")</script>').count() == 1
    page.goto(base + "/events/script-i-tittel")
    assert page.locator("h1").inner_text() == '<script>alert("tittel")</script> Seminar om A & B'
    assert page.locator("img").count() == 0
    assert dialogs == [] and page.console_errors == []


def test_unknown_entry_page(server, page, axe_scan):
    base = server(SHIPPED)
    response = page.goto(base + "/events/finnes-ikke")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Fant ikke siden"
    page.locator("main a", has_text="Forsiden").click()
    page.wait_for_load_state()
    assert page.url == base + "/"
    page.goto(base + "/events/finnes-ikke")
    # Chromium reports every 404 document in the console; nothing else may appear there.
    look(page, axe_scan, "not_found", expected_errors=("status of 404 (Not Found)",))
