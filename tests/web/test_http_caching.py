"""The shared HTTP machinery (web/http.py, web/serving.py), exercised through the .ics routes:
conditional requests, HEAD, gzip, render-once caching, and never a 200 with an empty body."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from calfeed.formats import ics
from calfeed.publish.memory import PieceCache
from calfeed.web.http import accepts_gzip, render_result
from tests.conftest import DATA, NOW
from tests.support.server import serve_app

URL = "/calendar.ics"
IDENTITY = {"Accept-Encoding": "identity"}
Publish = Callable[..., None]


@pytest.fixture
def client(publish: Publish, app: FastAPI) -> Iterator[TestClient]:
    publish("fixed.yaml")
    with TestClient(app) as client:
        yield client


@pytest.fixture
def first(client: TestClient):  # type: ignore[no-untyped-def]
    return client.get(URL, headers=IDENTITY)


# --- validators ----------------------------------------------------------------------------------


def test_a_feed_has_a_strong_etag_last_modified_and_cache_control(first):
    assert first.status_code == 200
    assert first.headers["etag"].startswith('"') and not first.headers["etag"].startswith("W/")
    assert first.headers["last-modified"] == "Thu, 01 Aug 2024 10:00:00 GMT"
    assert first.headers["cache-control"] == "public, max-age=300"
    assert first.headers["vary"] == "Accept-Encoding"


def test_a_matching_if_none_match_gets_304_repeating_the_validators(client, first):
    again = client.get(URL, headers={**IDENTITY, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    for name in ("etag", "cache-control", "vary"):
        assert again.headers[name] == first.headers[name]
    # RFC 9110 §15.4.5: no other metadata next to an ETag; the client keeps what it has.
    assert "last-modified" not in again.headers


@pytest.mark.parametrize("value", ['"nope", {etag}', "W/{etag}", "*", ' {etag} '])
def test_if_none_match_lists_weak_tags_and_star_match(client, first, value):
    header = value.format(etag=first.headers["etag"])
    assert client.get(URL, headers={**IDENTITY, "If-None-Match": header}).status_code == 304


def test_if_none_match_wins_over_if_modified_since(client, first):
    response = client.get(URL, headers={**IDENTITY, "If-None-Match": '"stale"',
                                        "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert response.status_code == 200
    assert response.content == first.content


@pytest.mark.parametrize(("since", "status"), [
    ("Thu, 01 Aug 2024 10:00:00 GMT", 304),  # the same second
    ("Fri, 02 Aug 2024 00:00:00 GMT", 304),  # later
    ("Wed, 31 Jul 2024 10:00:00 GMT", 200),  # older
    ("yesterday", 200),  # malformed: ignored
    ("Thu, 32 Aug 2024 10:00:00 GMT", 200),
    ("Thu, 01 Aug 2024 10:00:00 -0000", 200),  # no zone: ignored rather than guessed
    ("", 200),
])
def test_if_modified_since(client, since, status):
    response = client.get(URL, headers={**IDENTITY, "If-Modified-Since": since})
    assert response.status_code == status
    if status == 200:
        assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


# --- HEAD ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [URL, "/feeds/frister.ics", "/events/ukemote.ics"])
def test_head_gives_the_headers_of_get_without_a_body(client, path):
    get = client.get(path, headers=IDENTITY)
    head = client.head(path, headers=IDENTITY)
    assert head.status_code == 200
    assert head.content == b""
    for name in ("etag", "last-modified", "content-type", "content-length", "cache-control",
                 "content-disposition"):
        assert head.headers[name] == get.headers[name], name
    assert int(head.headers["content-length"]) == len(get.content)


def test_a_real_server_answers_head_without_a_body(publish, app):
    import http.client
    from urllib.parse import urlsplit

    publish("fixed.yaml")
    with serve_app(app) as base:
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("HEAD", URL)
        response = connection.getresponse()
        assert response.status == 200
        assert response.read() == b""
        assert int(response.getheader("content-length")) > 1000
        connection.close()


# --- gzip ----------------------------------------------------------------------------------------


def test_gzip_only_when_asked_and_the_same_calendar_either_way(client, first):
    zipped = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == first.content  # httpx decompressed it
    assert int(zipped.headers["content-length"]) < len(first.content)
    assert zipped.headers["vary"] == "Accept-Encoding"
    # each representation has its own strong ETag, and either one is recognised
    assert zipped.headers["etag"] != first.headers["etag"]
    for etag in (zipped.headers["etag"], first.headers["etag"]):
        assert client.get(URL, headers={"Accept-Encoding": "gzip",
                                        "If-None-Match": etag}).status_code == 304
    assert "content-encoding" not in first.headers


def test_no_accept_encoding_means_no_gzip(client):
    del client.headers["accept-encoding"]
    response = client.get(URL)
    assert "content-encoding" not in response.headers
    assert response.content.startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip", True), ("gzip, deflate, br", True), ("x-gzip", True), ("*", True),
    ("*;q=0, gzip", True), ("gzip;q=0", False), ("GZIP; Q=0", False), ("gzip;q=0.000", False),
    ("deflate", False), ("identity", False), ("", False), (None, False),
    ("gzip;q=0, *", False), ("br;q=1.0, gzip;q=0.5", True),
])
def test_accept_encoding_is_read_as_rfc_9110_says(header, expected):
    assert accepts_gzip(header) is expected


def test_the_gzip_bytes_are_deterministic(first):
    # mtime=0: the same body always compresses to the same bytes
    one = render_result(first.content, ics.MEDIA_TYPE, NOW)
    two = render_result(first.content, ics.MEDIA_TYPE, NOW + timedelta(days=1))
    assert one.gzipped == two.gzipped and one.gzipped is not None
    assert gzip.decompress(one.gzipped) == first.content


# --- render once, never empty --------------------------------------------------------------------


def test_each_body_is_rendered_once_per_data_version(client, app, publish):
    client.get(URL)
    cache = app.state.serving.current().responses
    renders = cache.renders
    for _ in range(3):
        client.get(URL)
        client.head(URL)
    assert cache.renders == renders
    source = (DATA / "fixed.yaml").read_text(encoding="utf-8")
    publish(source.replace("Nordisk konferanse", "Nordisk konferanse 2024"),
            now=NOW + timedelta(hours=1))
    app.state.serving.refresh()
    assert b"Nordisk konferanse 2024" in client.get(URL).content  # a sync invalidates


@pytest.fixture
def server(client: TestClient, app: FastAPI) -> Iterator[TestClient]:
    """A client that sees a server error as the response a calendar app would get."""
    with TestClient(app, raise_server_exceptions=False) as server:
        yield server


def test_never_a_200_with_an_empty_body(server, monkeypatch):
    """Thunderbird deletes every event when a subscription answers 200 with nothing."""
    client = server
    monkeypatch.setattr(ics, "render_calendar", lambda *args, **kwargs: b"")
    response = client.get("/feeds/frister.ics")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["cache-control"] == "no-store"
    monkeypatch.undo()
    # the failure was not cached
    assert client.get("/feeds/frister.ics").content.startswith(b"BEGIN:VCALENDAR")


def test_a_failing_render_is_a_5xx_not_a_partial_body(server, app, monkeypatch):
    client = server

    def explode(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr(ics, "render_vevent", explode)
    # Nothing kept from sync (which stores each VEVENT): the VEVENTs must be rendered here.
    monkeypatch.setattr(app.state.serving.load().pieces, "cache", PieceCache())
    response = client.get("/calendar.ics?type=deadline")
    assert response.status_code == 500
    assert b"BEGIN:VCALENDAR" not in response.content
