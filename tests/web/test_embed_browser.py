"""The widget in real headless Chromium, on a partner page from ANOTHER origin (its own port,
with a strict Content-Security-Policy), embedding /embed.js from a running calfeed server."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.support.browser import console_errors, format_violations
from tests.support.server import serve_app, serve_directory

PARTNER = Path(__file__).parent.parent / "data" / "partner"
EXAMPLE_BASE = "http://127.0.0.1:8000"  # what the example page points at (`make run`)


@pytest.fixture
def partner_page(tmp_path: Path, publish: Callable[..., None], app: FastAPI,
                 page: Page) -> Iterator[Callable[[str], Page]]:
    """Open tests/data/partner/widget.html (pointed at a live calfeed) with `source` published."""
    with serve_app(app) as calfeed:
        site = tmp_path / "partner"
        site.mkdir()
        shutil.copy(PARTNER / "partner.css", site)
        html = (PARTNER / "widget.html").read_text(encoding="utf-8")
        (site / "widget.html").write_text(html.replace(EXAMPLE_BASE, calfeed), encoding="utf-8")
        csp = (f"default-src 'self'; script-src {calfeed}; connect-src {calfeed}; "
               "style-src 'self'; img-src 'self' data:")
        with serve_directory(site, headers={"Content-Security-Policy": csp}) as origin:
            assert origin != calfeed

            def open_page(source: str, now: str = "2024-08-01T12:00:00+02:00") -> Page:
                publish(source)
                app.state.serving.refresh()
                # The reader's clock: what has ended is by it (the data is from 2024).
                page.clock.set_fixed_time(now)
                page.goto(origin + "/widget.html")
                return page

            yield open_page


def test_partner_page_shows_the_entries(partner_page: Callable[[str], Page],
                                        axe_scan: Callable[..., Any]) -> None:
    page = partner_page("partner_site.yaml")
    frister = page.locator("#frister li")  # Playwright's CSS pierces the open shadow root
    expect(frister).to_have_count(5)  # limit=5; the recurring deadline fills the rest
    first = frister.nth(0)
    expect(first).to_contain_text("Innspill til handlingsplan (innen kl. 12)")
    expect(first).to_contain_text("4 dager igjen")
    expect(first.locator("time")).to_have_attribute("datetime", "2024-08-05T12:00:00+02:00")
    expect(first.locator("time")).to_have_text("5. aug. 2024, 12:00 CEST")
    krisesenter = frister.filter(has_text="Forslag til endringer i krisesenterloven")
    expect(krisesenter).to_contain_text("46 dager igjen")
    expect(krisesenter).to_contain_text("16. sep. 2024")
    expect(krisesenter.get_by_role("link")).to_have_attribute(
        "href", "https://kalender.example.no/events/frist-krisesenterloven")
    expect(page.locator("#frister ul")).to_have_attribute("aria-label", "Høringsfrister")
    expect(page.locator("#frister").get_by_role("link", name="Abonner på kalenderen")
           ).to_have_attribute("href", "https://kalender.example.no/feeds/frister.ics")

    # The English, compact widget: two-day course as a range, place, cancellation.
    alt = page.locator("#alt li")
    expect(alt.first).to_be_visible()
    course = alt.filter(has_text="Ungdom utnyttet til kriminalitet")
    expect(course.locator("time")).to_have_attribute("datetime", "2024-08-21")
    expect(course).to_contain_text(re.compile(r"21\s*–\s*22 Aug 2024"))  # ICU's own spacing
    expect(course).to_contain_text("Digitalt")
    expect(alt.filter(has_text="Nordisk konferanse")).to_contain_text("CANCELLED: ")
    expect(page.locator("#alt").get_by_role("link", name="Subscribe to the calendar")
           ).to_be_visible()

    # Styles stay on their own side of the shadow boundary.
    border = page.locator("#frister ul").evaluate("ul => getComputedStyle(ul).borderTopWidth")
    assert border == "0px"
    own_li = page.locator("#own-list li").evaluate("li => getComputedStyle(li).paddingTop")
    assert own_li == "0px"
    assert axe_scan(page) == [], format_violations(axe_scan(page))
    assert console_errors(page) == []


def test_markup_in_a_title_shows_as_text(partner_page: Callable[[str], Page]) -> None:
    dialogs: list[str] = []
    page = partner_page("partner_site.yaml")
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    item = page.locator("#alt li").filter(has_text="<img src=x onerror=alert(1)>")
    expect(item).to_contain_text("<img src=x onerror=alert(1)> & <b>fet</b> tittel")
    expect(item).to_contain_text('<script>alert("sted")</script>')
    counts = page.locator("#alt").evaluate(
        "host => ['img', 'b', 'script'].map(tag => host.shadowRoot.querySelectorAll(tag).length)")
    assert counts == [0, 0, 0]
    assert dialogs == []
    assert console_errors(page) == []


def test_errors_are_shown_politely_inside_the_widget(
        partner_page: Callable[[str], Page]) -> None:
    page = partner_page("partner_site.yaml")
    expect(page.locator("#frister li").first).to_be_visible()
    page.evaluate("""() => {
        const div = document.createElement('div');
        div.id = 'broken';
        div.setAttribute('data-calfeed-src',
            document.querySelector('#frister').getAttribute('data-calfeed-src')
                .replace('feed=frister', 'feed=finnes-ikke'));
        document.querySelector('main').append(div);
        window.calfeedWidget.scan();
    }""")
    status = page.locator("#broken [role=status]")
    expect(status).to_have_text("Kalenderen kunne ikke hentes akkurat nå. Prøv igjen senere.")
    # The browser itself logs the 404 response; nothing else may go wrong.
    assert [e for e in console_errors(page) if "404" not in e] == []


def test_a_cancelled_deadline_shows_no_countdown(partner_page: Callable[[str], Page]) -> None:
    # As on calfeed's own pages: "CANCELLED: …" and no "N days left" to a deadline that is off.
    page = partner_page("cancelled.yaml")
    withdrawn = page.locator("#alt li").filter(has_text="Trukket høring")
    expect(withdrawn).to_contain_text("CANCELLED: ")
    expect(withdrawn.locator(".left")).to_have_count(0)


def test_the_partner_themes_the_widget_and_links_to_the_whole_calendar(
        partner_page: Callable[[str], Page], axe_scan: Callable[..., Any]) -> None:
    page = partner_page("partner_site.yaml")
    themed = page.locator("#themed")
    course = themed.locator("li").filter(has_text="Ungdom utnyttet til kriminalitet")
    expect(course).to_be_visible()
    # The partner's custom properties reach inside; its plain `a` and `ul` rules do not.
    link = course.get_by_role("link")
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(0, 90, 60)"
    assert link.evaluate("a => getComputedStyle(a).fontFamily") != "monospace"
    assert course.evaluate("li => getComputedStyle(li).borderBottomColor") == "rgb(0, 90, 60)"
    assert course.evaluate("li => getComputedStyle(li).fontFamily") == "Georgia, serif"
    # A tentative seminar is marked, in the partner's badge colours.
    seminar = themed.locator("li").filter(has_text="seminar")
    mark = seminar.locator(".mark")
    expect(mark).to_have_text("Foreløpig")
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(255, 236, 179)"
    # data-more without a value: the calendar's own page of the same view.
    more = themed.get_by_role("link", name="Se hele kalenderen")
    href = more.get_attribute("href")
    assert href is not None and href.endswith("/?type=course&type=seminar")
    expect(page.locator("#frister").get_by_role("link", name="Se hele kalenderen")
           ).to_have_count(0)  # only where the partner asks for it
    assert axe_scan(page) == [], format_violations(axe_scan(page))
    assert console_errors(page) == []


def test_an_untranslated_title_says_its_language(partner_page: Callable[[str], Page]) -> None:
    page = partner_page("partner_site.yaml")  # Norwegian text only
    # In the English widget, a title the editor wrote in Norwegian only is marked as such
    # (screen readers pronounce it right); in the Norwegian one, nothing to mark.
    english = page.locator("#alt li").filter(has_text="Ungdom utnyttet til kriminalitet")
    expect(english.locator(".title a")).to_have_attribute("lang", "nb")
    norsk = page.locator("#themed li").filter(has_text="Ungdom utnyttet til kriminalitet")
    assert norsk.locator(".title a").get_attribute("lang") is None


def test_a_widget_of_one_partner_source_links_to_that_source_on_the_calendar(
        partner_page: Callable[[str], Page]) -> None:
    page = partner_page("partner_site.yaml")
    api = page.locator("#frister").get_attribute("data-calfeed-src")
    assert api is not None
    base = api.split("/api/")[0]
    # A partner adds a widget later (its own script, say): calfeedWidget.scan() draws it.
    page.evaluate("""base => {
        const host = document.createElement("div");
        host.id = "dep";
        host.setAttribute("data-calfeed-src", base + "/api/v1/events?type=course&source=dep");
        host.setAttribute("data-more", "");
        document.querySelector("main").appendChild(host);
        window.calfeedWidget.scan();
    }""", base)
    more = page.locator("#dep").get_by_role("link", name="Se hele kalenderen")
    expect(more).to_have_attribute("href", base + "/?type=course&source=dep")


def test_entries_that_are_over_by_the_readers_clock_say_so(
        partner_page: Callable[..., Page]) -> None:
    page = partner_page("partner_site.yaml", "2024-08-23T09:00:00+02:00")
    course = page.locator("#alt li").filter(has_text="Ungdom utnyttet til kriminalitet")
    expect(course.locator(".mark")).to_have_text("Ended")
    expect(course).to_have_class(re.compile(r"\bended\b"))
    webinar = page.locator("#alt li").filter(has_text="New York")  # 10 September: still ahead
    expect(webinar.locator(".mark")).to_have_count(0)
