"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

Never `playwright install`: this launches the system browser with the flags this closed
network needs. Fixtures `browser`, `page` and `axe_scan` are in tests/support/fixtures.py.
"""

from __future__ import annotations

import json
import os
import re
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.support.paths import ARTIFACTS_DIR, NODE_MODULES, NPM_HINT
from tests.support.require import require

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright

CHROMIUM = Path(os.environ.get("CALFEED_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"

_console_errors: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; skip/fail (CALFEED_REQUIRE_ALL) when it is not installed."""
    require(
        CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
        f"{CHROMIUM} not found: apt-get install chromium",
    )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=60_000
    )


def watch_console(page: Page) -> list[str]:
    """Start collecting console errors and uncaught exceptions of `page`; returns the list.

    The same list is attached as `page.console_errors` and returned by `console_errors(page)`.
    """
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            where = f" ({location.get('url')}:{location.get('lineNumber')})" if location else ""
            errors.append(f"console.error: {message.text}{where}")

    def on_page_error(error: Exception) -> None:
        errors.append(f"uncaught: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    _console_errors[page] = errors
    page.console_errors = errors  # type: ignore[attr-defined]
    return errors


def console_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions seen so far on a page from the `page` fixture."""
    return _console_errors[page]


def artifact_path(name: str, suffix: str = ".png") -> Path:
    """A path under test-artifacts/ for `name` (sanitised; e.g. a test's node id)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "artifact"
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR / f"{safe[:150]}{suffix}"


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG screenshot of `page` to test-artifacts/<name>.png and return its path."""
    path = artifact_path(name)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_scan(page: Page, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the loaded page; returns its violations ([] when none).

    `options` goes to axe.run (e.g. {"runOnly": ["wcag2a", "wcag2aa"]}). Use
    `format_violations` for a readable assertion message.
    """
    require(AXE_JS.is_file(), f"tests/js/node_modules/axe-core not installed: {NPM_HINT}")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol rather than add_script_tag, so a strict
        # Content-Security-Policy on the page (no inline scripts) does not block the scan.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        if not page.evaluate("() => typeof window.axe === 'object'"):
            raise RuntimeError(f"axe-core did not load from {AXE_JS}")
    violations: list[dict[str, Any]] = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", options or {}
    )
    return violations


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation and node: rule id, impact, help, target selector."""
    lines = []
    for violation in violations:
        for node in violation.get("nodes", []):
            lines.append(
                f"{violation['id']} ({violation.get('impact')}): {violation['help']} "
                f"at {json.dumps(node.get('target'))}"
            )
    return "\n".join(lines)
