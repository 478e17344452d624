"""/docs in real headless Chromium with the network cut off except for the local server:
Swagger UI's files come from the swagger-ui-py package via the app, under a CSP that allows
only this origin, and the page lists the API's operations (issue 12: it loaded a CDN's scripts
with no CSP and was blank offline)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Route, expect

from tests.support.browser import console_errors
from tests.web.test_pages_browser import server  # noqa: F401 - a fixture


def test_docs_render_the_operations_offline(server: Callable[[str], str],  # noqa: F811
                                            page: Any) -> None:
    base = server("fixed.yaml")
    elsewhere: list[str] = []

    def only_local(route: Route) -> None:
        url = route.request.url
        if url.startswith(base + "/"):
            route.continue_()
        else:  # what a machine without internet would get
            elsewhere.append(url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(base + "/docs")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible(timeout=20_000)
    paths = {text.strip() for text in operations.all_text_contents()}
    assert {"/api/v1/events", "/api/v1/fullcalendar"} <= paths, paths
    assert elsewhere == []
    assert console_errors(page) == []  # no CSP violation, nothing failed to load


def test_docs_have_a_self_only_content_security_policy(server: Callable[[str], str]  # noqa: F811
                                                       ) -> None:
    base = server("fixed.yaml")
    page = httpx.get(base + "/docs")
    policy = page.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert "http" not in policy and "unsafe" not in policy
    assert "cdn" not in page.text and "<script>" not in page.text  # no inline script
    for asset in ("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/docs.js"):
        assert httpx.get(base + asset).status_code == 200, asset
    assert httpx.get(base + "/docs/index.html").status_code == 404  # only what the page uses
