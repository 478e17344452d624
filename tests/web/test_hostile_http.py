"""What a hostile client can make the server say: no redirect follows its Host header, and the
CORS preflight answers the same to everyone, briefly cached (issue 12)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def site(publish, client):  # type: ignore[no-untyped-def]
    publish("fixed.yaml")
    return client


@pytest.mark.parametrize("path", ["/calendar.ics/", "/api/v1/events/", "/feed.atom/"])
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8443"])
def test_a_trailing_slash_redirect_stays_on_the_site_whatever_the_host(
        site: TestClient, path: str, host: str) -> None:
    response = site.get(path + "?x=1", headers={"Host": host}, follow_redirects=False)
    assert 300 <= response.status_code < 400
    location = response.headers["location"]
    assert location == path.rstrip("/") + "?x=1"
    assert "evil" not in location


def test_a_redirect_cannot_be_made_protocol_relative(site: TestClient) -> None:
    response = site.get("//evil.example/calendar.ics/", follow_redirects=False)
    location = response.headers.get("location", "")
    assert not location.startswith("//") and "://" not in location


def _preflight(site: TestClient, **headers: str) -> dict[str, str]:
    response = site.options("/api/v1/events", headers={
        "Origin": "https://partner.example.org", "Access-Control-Request-Method": "GET",
        **headers})
    assert response.status_code == 204
    return dict(response.headers)


def test_preflight_allows_a_fixed_list_of_headers_not_an_echo(site: TestClient) -> None:
    asked = _preflight(site, **{"Access-Control-Request-Headers": "x-evil, if-none-match"})
    plain = _preflight(site)
    assert asked["access-control-allow-headers"] == "If-None-Match, If-Modified-Since"
    assert "x-evil" not in asked["access-control-allow-headers"].lower()
    assert asked == plain  # the answer does not depend on what was asked for


def test_preflight_is_cached_briefly_and_says_what_it_varies_on(site: TestClient) -> None:
    headers = _preflight(site)
    assert int(headers["access-control-max-age"]) <= 600
    assert headers["cache-control"] == f"public, max-age={headers['access-control-max-age']}"
    assert "access-control-request-method" in headers["vary"].lower()
    methods = {m.strip() for m in headers["access-control-allow-methods"].split(",")}
    assert methods <= {"GET", "HEAD", "OPTIONS"}
