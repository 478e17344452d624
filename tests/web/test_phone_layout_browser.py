"""The front page on a phone (390×844) and a desktop (1280 px) in real headless Chromium: on
the phone the first entry is on the first screen (filters collapsed into one line) and the
subscribe panel is one tap from the top; on the desktop the filters are open and the panel is
beside the list. Screenshots of both are kept under test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import SHIPPED
from tests.support.browser import format_violations, save_screenshot
from tests.web.test_pages_browser import server  # noqa: F401 - a fixture

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def on_screen(page: Page, selector: str) -> bool:
    """Whether the element's box lies wholly inside the viewport at the current scroll."""
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def test_on_a_phone_the_first_entry_is_on_the_first_screen(
        server: Callable[[str], str], page: Page,  # noqa: F811
        axe_scan: Callable[..., list[dict[str, Any]]]) -> None:
    base = server(str(SHIPPED))
    page.set_viewport_size(PHONE)
    page.goto(base + "/")
    save_screenshot(page, "phone_390x844_first_screen", full_page=False)
    assert on_screen(page, "li.entry h3"), "the first entry is below the first screen"
    # The filters are one line until asked for; then every chip is there.
    summary = page.locator("details.filter-box > summary")
    assert on_screen(page, "details.filter-box > summary")
    expect(page.locator(".filters a").first).to_be_hidden()
    summary.click()
    expect(page.get_by_role("link", name="Høringsfrister").first).to_be_visible()
    violations = axe_scan(page)
    assert violations == [], format_violations(violations)
    save_screenshot(page, "phone_390_filters_open")
    # The subscribe panel is one tap from the top.
    page.evaluate("window.scrollTo(0, 0)")
    jump = page.locator(".jump a")
    assert on_screen(page, ".jump a")
    jump.click()
    expect(page).to_have_url(base + "/#subscribe")
    assert on_screen(page, "#subscribe-heading")
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    save_screenshot(page, "phone_390")
    assert page.console_errors == []


def test_on_a_desktop_the_filters_are_open_and_the_panel_is_beside_the_list(
        server: Callable[[str], str], page: Page,  # noqa: F811
        axe_scan: Callable[..., list[dict[str, Any]]]) -> None:
    base = server(str(SHIPPED))
    page.set_viewport_size(DESKTOP)
    page.goto(base + "/")
    expect(page.locator("details.filter-box > summary")).to_be_hidden()
    expect(page.locator(".filters a").first).to_be_visible()
    expect(page.locator(".jump a")).to_be_hidden()  # the panel is in sight anyway
    assert on_screen(page, "#subscribe-heading") and on_screen(page, "li.entry h3")
    panel = page.locator("#subscribe").bounding_box()
    first = page.locator("li.entry").first.bounding_box()
    assert panel is not None and first is not None and panel["x"] > first["x"] + first["width"]
    violations = axe_scan(page)
    assert violations == [], format_violations(violations)
    save_screenshot(page, "desktop_1280")
    assert page.console_errors == []


def test_the_search_box_works_without_javascript(
        server: Callable[[str], str], browser: Any) -> None:  # noqa: F811
    base = server("partner_site.yaml")
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    try:
        page = context.new_page()
        page.set_viewport_size(PHONE)
        page.goto(base + "/?type=deadline")
        search = page.get_by_role("searchbox", name="Søk i kalenderen")
        search.fill("Krisesenter")
        search.press("Enter")
        expect(page).to_have_url(base + "/?type=deadline&q=Krisesenter")
        expect(page.locator("li.entry h3")).to_have_text(
            ["Forslag til endringer i krisesenterloven"])
        page.get_by_role("link", name="Fjern søket").click()
        expect(page).to_have_url(base + "/?type=deadline")
        # On the archive too, and it keeps the words when switching lists.
        page.goto(base + "/archive")
        page.get_by_role("searchbox").fill("barnevern")
        page.get_by_role("button", name="Søk").click()
        expect(page.locator("li.entry h3")).to_have_text(["Høringsfrist om barnevernsloven"])
        page.get_by_role("link", name="Se kommende").click()
        expect(page).to_have_url(base + "/?q=barnevern")
        save_screenshot(page, "phone_390_search_nothing_ahead")
        expect(page.get_by_role("heading", name="Siste tidligere oppføringer")).to_be_visible()
    finally:
        context.close()
