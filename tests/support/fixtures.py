"""pytest plugin with the harness fixtures; list it in tests/conftest.py:

    pytest_plugins = ["tests.support.fixtures"]

Fixtures:
  browser        (module)   Playwright Browser on Debian's Chromium
  page           (function) a Page in a fresh context; `page.console_errors` collects console
                            errors and uncaught exceptions; on failure a screenshot goes to
                            test-artifacts/<test id>.png
  axe_scan       (function) callable(page, options=None) -> axe-core violations
  postgres_url   (function) SQLAlchemy URL of a fresh, empty schema (dropped afterwards)
Each skips with an install hint when its dependency is missing, or fails when
CALFEED_REQUIRE_ALL=1 (as in CI).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.support import browser as browser_support
from tests.support import postgres as postgres_support
from tests.support.require import missing

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(_REPORTS, {})
    return any(report.failed for report in reports.values())


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per session: Playwright's sync API keeps an event loop running in this
    # thread while it is open, and code under test that calls asyncio.run (calfeed build,
    # calfeed pull) fails in every test after the first browser test otherwise.
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright (python) not installed: .venv/bin/pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = browser_support.launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo")
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    browser_support.watch_console(new_page)
    try:
        yield new_page
    finally:
        if _failed(request) and not new_page.is_closed():
            try:
                path = browser_support.save_screenshot(new_page, request.node.nodeid)
                print(f"screenshot of the failed test's page: {path}")
            except Exception as exc:  # a broken page must not hide the real failure
                print(f"could not save a screenshot: {exc}")
        context.close()


@pytest.fixture
def axe_scan() -> Callable[..., list[dict[str, Any]]]:
    """`axe_scan(page, options=None)` -> list of axe-core violations."""
    return browser_support.axe_scan


@pytest.fixture(scope="session")
def _postgres_base_url() -> str:
    url = postgres_support.base_url_or_skip()
    postgres_support.drop_stale_schemas(url)
    return url


@pytest.fixture
def postgres_url(_postgres_base_url: str) -> Iterator[str]:
    with postgres_support.isolated_schema(_postgres_base_url) as url:
        yield url
