"""Every response a browser may render carries the security headers, once; a 304 carries only
validators and caching headers, since a cache keeps the stored response's other headers."""

from __future__ import annotations

import pytest

SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
PATHS = ["/", "/calendar.ics", "/feed.atom", "/feed.rss", "/api/v1/events", "/embed.js",
         "/healthz", "/events/nope", "/calendar.ics?type=nope", "/api/v1/events?limit=0"]


@pytest.fixture
def client(publish, client):  # type: ignore[no-untyped-def]
    publish("fixed.yaml")
    return client


@pytest.mark.parametrize("path", PATHS)
def test_each_response_has_the_security_headers_once(client, path):
    response = client.get(path)
    for name, value in SECURITY.items():
        assert response.headers.get_list(name) == [value], (path, name)


def test_pages_have_a_content_security_policy_without_inline_script(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("path", ["/", "/calendar.ics", "/api/v1/events"])
def test_a_304_carries_validators_not_the_document_s_headers(client, path):
    etag = client.get(path).headers["etag"]
    for _ in range(2):  # the full stack's 304, then the replayed one
        response = client.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 304
        assert response.headers["etag"] == etag
        assert "cache-control" in response.headers
        assert not SECURITY.keys() & response.headers.keys()
        assert "content-security-policy" not in response.headers
