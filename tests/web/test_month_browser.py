"""The month view in real headless Chromium, with JavaScript off: a table a screen reader can
walk (axe-core finds nothing serious), links that move between months and keep the filter, and
screenshots at phone and desktop widths under test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, expect

from tests.support.browser import format_violations, save_screenshot
from tests.web.test_pages_browser import server  # noqa: F401 - a fixture

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def test_the_month_grid_reads_and_moves_without_javascript(
        server: Callable[[str], str], browser: Browser) -> None:  # noqa: F811
    base = server("partner_site.yaml")
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    try:
        page = context.new_page()
        page.goto(base + "/month/2024-08?type=course&type=deadline")
        table = page.get_by_role("table", name="August 2024")
        expect(table).to_be_visible()
        expect(table.get_by_role("columnheader", name="onsdag")).to_be_visible()
        course = table.get_by_role("link", name="Ungdom utnyttet til kriminalitet (dag 2 av 2)")
        expect(course).to_have_attribute("href", "/events/kurs-ungdom-utnyttet")
        # The cell of 22 August is in Thursday's column and week 34's row.
        cell = page.locator("td", has=page.locator('time[datetime="2024-08-22"]'))
        column = page.locator("tr", has=cell).locator("th, td").evaluate_all(
            "cells => cells.findIndex(c => c.querySelector('time[datetime=\"2024-08-22\"]'))")
        assert table.locator("thead th").nth(column).text_content() == "tortorsdag"
        row_header = page.locator("tr", has=cell).locator("th")
        assert (row_header.text_content() or "").split()[-1] == "34"
        page.get_by_role("link", name="Neste måned: September 2024").click()
        expect(page).to_have_url(base + "/month/2024-09?type=course&type=deadline")
        expect(page.get_by_role("table", name="September 2024")).to_be_visible()
        expect(page.get_by_role("link", name="Frist: Forslag til endringer i krisesenterloven")
               ).to_be_visible()
    finally:
        context.close()


def test_the_month_grid_passes_axe_at_phone_and_desktop_widths(
        server: Callable[[str], str], page: Any,  # noqa: F811
        axe_scan: Callable[..., list[dict[str, Any]]]) -> None:
    base = server("partner_site.yaml")
    page.goto(base + "/month/2024-08")
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        violations = axe_scan(page)
        assert violations == [], format_violations(violations)
        save_screenshot(page, f"month_{label}")
        # The page never scrolls sideways; on a phone the table scrolls in its own region.
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"/month scrolls sideways at {width}px"
    assert page.console_errors == []
