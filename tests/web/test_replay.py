"""The fast path (web/replay.py): a repeat GET is answered with exactly what the full stack said
for it, and never with what it said for another revision or another day."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from calfeed.web.replay import ReplayCached, Replays
from tests.conftest import NOW
from tests.support.server import serve_app

Publish = Callable[..., None]
SOURCE = """
calendar: {title: Replay, uid_domain: replay.example.no, timezone: Europe/Oslo, past_days: 0}
entries:
  - {id: today, type: course, title: "Kurs i dag", start: 2024-08-01}
  - {id: later, type: meeting, title: "Møte", start: 2024-09-03 10:00, end: 2024-09-03 11:00}
"""
HEADERS_THAT_DIFFER = {"date", "server"}  # the HTTP server's own, added per response


def meaningful(headers: object) -> list[tuple[str, str]]:
    items = headers.multi_items()  # type: ignore[attr-defined]
    return sorted((k.lower(), v) for k, v in items if k.lower() not in HEADERS_THAT_DIFFER)


@pytest.fixture
def client(publish: Publish, app: FastAPI) -> Iterator[TestClient]:
    publish(SOURCE)
    with TestClient(app) as client:
        yield client


# --- through the whole app: replayed answers are the full stack's answers ----------------------


@pytest.mark.parametrize("path", [
    "/calendar.ics", "/feed.atom", "/feed.rss", "/api/v1/events?limit=1", "/",
    "/events/later", "/events/later.ics", "/embed.js",
])
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_repeat_request_gets_the_same_status_headers_and_bytes(client, path, encoding):
    first = client.get(path, headers={"Accept-Encoding": encoding})
    assert first.status_code == 200
    for _ in range(2):
        again = client.get(path, headers={"Accept-Encoding": encoding})
        assert again.status_code == 200
        assert again.content == first.content
        assert meaningful(again.headers) == meaningful(first.headers)


@pytest.mark.parametrize("path", ["/calendar.ics", "/api/v1/events", "/"])
def test_a_repeat_conditional_request_gets_the_same_304(client, path):
    etag = client.get(path).headers["etag"]
    first = client.get(path, headers={"If-None-Match": etag})
    again = client.get(path, headers={"If-None-Match": etag})
    assert first.status_code == again.status_code == 304
    assert again.content == b""
    assert meaningful(again.headers) == meaningful(first.headers)
    if path.startswith("/api/"):
        assert again.headers["access-control-allow-origin"] == "*"  # a CDN may cache it


def test_an_etag_of_the_other_encoding_or_a_list_still_matches(client):
    plain = client.get("/calendar.ics", headers={"Accept-Encoding": "identity"}).headers["etag"]
    zipped = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["etag"] != plain
    for value in (plain, zipped.headers["etag"], f'"x", W/{plain}', "*"):
        for _ in range(2):  # the second one is replayed
            response = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip",
                                                            "If-None-Match": value})
            assert response.status_code == 304, value


def test_a_stale_etag_gets_the_current_body(client):
    body = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    for _ in range(2):
        response = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip",
                                                        "If-None-Match": '"stale"'})
        assert response.status_code == 200
        assert response.content == body.content  # httpx has decoded the gzip twin
        assert response.headers["etag"] == body.headers["etag"]


def test_after_a_sync_nothing_of_the_old_revision_is_replayed(publish, app, client):
    old = client.get("/calendar.ics")
    assert client.get("/calendar.ics", headers={"If-None-Match": old.headers["etag"]}) \
        .status_code == 304
    publish(SOURCE.replace("Møte", "Flyttet møte"), now=NOW + timedelta(hours=1))
    app.state.serving.refresh()

    stale = client.get("/calendar.ics", headers={"If-None-Match": old.headers["etag"]})
    assert stale.status_code == 200
    assert "Flyttet møte" in stale.text
    assert client.get("/calendar.ics").content == stale.content


def test_at_midnight_the_day_s_window_moves_on(client, clock):
    # past_days: 0 — an all-day course today is listed until the day is over.
    for _ in range(2):
        assert "Kurs i dag" in client.get("/calendar.ics").text
    clock.now = datetime(2024, 8, 1, 21, 59, tzinfo=UTC)  # 23:59 in Oslo
    assert "Kurs i dag" in client.get("/calendar.ics").text
    clock.now = datetime(2024, 8, 1, 22, 0, tzinfo=UTC)  # midnight in Oslo
    assert "Kurs i dag" not in client.get("/calendar.ics").text


def test_head_and_if_modified_since_are_answered_by_the_full_stack(client):
    get = client.get("/calendar.ics")
    client.get("/calendar.ics")  # now replayable
    head = client.head("/calendar.ics")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    since = client.get("/calendar.ics", headers={"If-Modified-Since": get.headers["last-modified"]})
    assert since.status_code == 304


def test_errors_are_never_replayed(client):
    for _ in range(2):
        response = client.get("/calendar.ics?type=nope")
        assert response.status_code == 400
        assert "type" in response.text


def test_over_real_http_replayed_bytes_equal_the_first_response(publish, app):
    import httpx

    publish(SOURCE)
    with serve_app(app) as base, httpx.Client(base_url=base) as http:
        first = http.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
        again = http.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
        assert again.content == first.content
        assert meaningful(again.headers) == meaningful(first.headers)
        not_modified = http.get("/calendar.ics", headers={"If-None-Match": first.headers["etag"]})
        assert not_modified.status_code == 304


# --- the middleware on its own: how much of the app a repeat request reaches --------------------


class CountingApp:
    """An ASGI app answering like calfeed's cached routes do, counting the requests it sees."""

    def __init__(self) -> None:
        self.calls = 0
        self.body = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        etag = b'"v1"'
        headers = [(b"etag", etag), (b"cache-control", b"public, max-age=300")]
        match = dict(scope["headers"]).get(b"if-none-match") == etag
        await send({"type": "http.response.start", "status": 304 if match else 200,
                    "headers": headers})
        await send({"type": "http.response.body", "body": b"" if match else self.body})


def call(app: ReplayCached, headers: dict[bytes, bytes] | None = None,
         method: str = "GET") -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/calendar.ics", "query_string": b"",
             "headers": list((headers or {}).items())}
    # In a thread of its own: the browser tests leave an event loop running on this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


@pytest.fixture
def replays() -> list[Replays]:
    return [Replays(expires=datetime(2100, 1, 1, tzinfo=UTC))]


def test_repeats_do_not_reach_the_app(replays):
    inner = CountingApp()
    app = ReplayCached(inner, lambda: replays[0])
    first = call(app)
    assert call(app) == first
    assert inner.calls == 1
    call(app, {b"if-none-match": b'"v1"'})  # the first 304 goes through
    not_modified = call(app, {b"if-none-match": b'"v1"'})
    assert not_modified[0]["status"] == 304
    assert inner.calls == 2
    call(app, method="HEAD")
    assert inner.calls == 3


def test_a_new_revision_starts_empty(replays):
    inner = CountingApp()
    app = ReplayCached(inner, lambda: replays[0])
    call(app)
    replays[0] = Replays(expires=datetime(2100, 1, 1, tzinfo=UTC))  # what a sync does
    call(app)
    assert inner.calls == 2


def test_a_response_finished_after_a_new_revision_is_not_kept(replays):
    inner = CountingApp()

    async def slow_then_sync(scope: Scope, receive: Receive, send: Send) -> None:
        replays[0] = Replays(expires=datetime(2100, 1, 1, tzinfo=UTC))  # sync mid-request
        await inner(scope, receive, send)

    app = ReplayCached(slow_then_sync, lambda: replays[0])
    started_with = replays[0]
    call(app)
    # Kept nowhere: not in the new revision's (the body may be the old one's), nor in the old.
    assert started_with.items == {} and replays[0].items == {}


def raw_get(base: str, headers: list[str]) -> dict[str, str]:
    """A GET with exactly these header lines (httpx would merge repeated ones); its headers."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        lines = ["GET /calendar.ics HTTP/1.1", "Host: x", *headers, "Connection: close", "", ""]
        sock.sendall("\r\n".join(lines).encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
    return {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head)}


def test_a_header_sent_twice_cannot_make_others_get_gzip(publish, app):
    publish(SOURCE)
    with serve_app(app) as base:
        for _ in range(2):
            raw_get(base, ["Accept-Encoding: gzip", "Accept-Encoding: identity"])
        for plain in (["Accept-Encoding: identity"], []):
            for _ in range(2):  # the full stack's answer, then the replayed one
                answer = raw_get(base, plain)
                assert "content-encoding" not in answer
                assert not answer["etag"].endswith('-gz"')


def test_gzip_bytes_are_never_kept_for_clients_that_did_not_ask(replays):
    start = {"type": "http.response.start", "status": 200,
             "headers": [(b"etag", b'"v1-gz"'), (b"content-encoding", b"gzip")]}
    replays[0].remember(("/calendar.ics", b"", False), start,
                        {"type": "http.response.body", "body": b"\x1f\x8b"})
    assert replays[0].items == {}
