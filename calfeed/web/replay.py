"""The fast path: repeat GETs of a cached body answered before routing.

Calendar apps poll the same few URLs around the clock, mostly with ``If-None-Match``. Going
through FastAPI's routing, dependency solving and the middleware chain for each of those costs
several times the HTTP server's own work, so this outermost ASGI layer remembers, per data
revision and per day, what the full stack answered for ``(path, raw query, gzip or not)`` and
replays it: the 200 (same header list, same body object) or the 304. Only what the full stack
said is ever replayed, so the two paths cannot disagree on a header; anything else (HEAD,
``If-Modified-Since`` alone, errors, a first request) goes through the app as before.

A response is only remembered when the data revision and day it was rendered for are still the
ones being served when it is sent, so a sync or midnight can never leave an old body behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .http import accepts_gzip

ReplayKey = tuple[str, bytes, bool]
_GZ = b'-gz"'


@dataclass(slots=True)
class Replay:
    """What the full stack sent for one key: the validators a client may send back, and the
    messages of the 200 and of the 304 (each once seen)."""

    tags: frozenset[bytes]
    ok: tuple[Message, Message] | None = None
    not_modified: Message | None = None


@dataclass(slots=True)
class Replays:
    """Remembered responses of one data revision on one calendar day; bounded in items and
    in bytes (bodies, headers and keys), the oldest dropped first."""

    expires: datetime  # the next local midnight: "today" moves on, and with it every window
    max_items: int = 4096
    max_bytes: int = 64 * 1024 * 1024
    items: dict[ReplayKey, Replay] = field(default_factory=dict)
    bytes: int = 0  # what the items hold, as _size counts it

    def remember(self, key: ReplayKey, start: Message, body: Message) -> None:
        etag = _header(start, b"etag")
        if etag is None or (etag.endswith(_GZ) and not key[2]):
            return  # never keep gzip bytes where a client that did not ask for them looks
        item = self.items.pop(key, None)
        if item is not None:
            self.bytes -= _size(key, item)
        if item is None or etag not in item.tags:
            item = Replay(_matching_tags(etag))
        if start["status"] == 304:
            item.not_modified = start
        else:
            item.ok = (start, body)
        size = _size(key, item)
        if size > self.max_bytes:
            return  # it alone would be over the bound: answered by the app each time
        # Re-inserted: a dict keeps insertion order, so the first key is the least recent.
        self.items[key] = item
        self.bytes += size
        while len(self.items) > self.max_items or self.bytes > self.max_bytes:
            oldest = next(iter(self.items))
            self.bytes -= _size(oldest, self.items.pop(oldest))


class ReplayCached:
    """Pure ASGI middleware. ``replays()`` gives the ``Replays`` of the state served now
    (``web.state.ServedState``: a fresh one after a sync or at midnight), or None while there
    is no data."""

    def __init__(self, app: ASGIApp, replays: Callable[[], Replays | None]) -> None:
        self.app = app
        self.replays = replays

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        replays = self.replays()
        if replays is None:
            await self.app(scope, receive, send)
            return
        if_none_match = if_modified_since = accept_encoding = None
        repeated = False
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                repeated |= if_none_match is not None
                if_none_match = value
            elif name == b"if-modified-since":
                repeated |= if_modified_since is not None
                if_modified_since = value
            elif name == b"accept-encoding":
                repeated |= accept_encoding is not None
                accept_encoding = value
        if repeated:
            # A header sent twice: which one counts is the full stack's business, and its
            # answer must not be kept under a key made from the other one.
            await self.app(scope, receive, send)
            return
        gz = _GZIP.get(accept_encoding)
        if gz is None:
            gz = _gzip(accept_encoding)
        key = (scope["path"], scope["query_string"], gz)
        item = replays.items.get(key)
        if item is not None:
            if if_none_match is not None:
                # The common case first: the one ETag the client was given, as given.
                if if_none_match in item.tags or _matches(if_none_match, item.tags):
                    if item.not_modified is not None:
                        await send(item.not_modified)
                        await send(_EMPTY)
                        return
                elif item.ok is not None:
                    await send(item.ok[0])
                    await send(item.ok[1])
                    return
            elif if_modified_since is None and item.ok is not None:
                await send(item.ok[0])
                await send(item.ok[1])
                return
        await self.app(scope, receive, self._recording(key, replays, send))

    def _recording(self, key: ReplayKey, replays: Replays, send: Send) -> Send:
        start: Message | None = None

        async def record(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] in (200, 304) and _cacheable(message):
                    start = message
            elif start is not None and message["type"] == "http.response.body":
                if not message.get("more_body", False) and self.replays() is replays:
                    replays.remember(key, start, message)
                start = None
            await send(message)

        return record


_EMPTY: Message = {"type": "http.response.body", "body": b"", "more_body": False}


def _size(key: ReplayKey, item: Replay) -> int:
    size = 64 + len(key[0]) + len(key[1])
    for message in (*(item.ok or ()), item.not_modified):
        if message is not None:
            size += len(message.get("body", b"")) + sum(
                len(name) + len(value) for name, value in message.get("headers", ()))
    return size


def _header(message: Message, name: bytes) -> bytes | None:
    for key, value in message.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def _cacheable(start: Message) -> bool:
    control = _header(start, b"cache-control")
    # A page chosen by Accept-Language is not the same answer for every client of the URL.
    vary = _header(start, b"vary") or b""
    return control is not None and control.startswith(b"public") \
        and _header(start, b"set-cookie") is None and b"accept-language" not in vary.lower()


def _matching_tags(etag: bytes) -> frozenset[bytes]:
    # http.respond counts a client's copy current whether it holds the gzip bytes or the plain.
    plain = etag[: -len(_GZ)] + b'"' if etag.endswith(_GZ) else etag
    return frozenset({plain, plain[:-1] + _GZ, b"*"})


def _matches(if_none_match: bytes, tags: frozenset[bytes]) -> bool:
    return any(tag.strip().removeprefix(b"W/") in tags for tag in if_none_match.split(b","))


_GZIP: dict[bytes | None, bool] = {}


def _gzip(accept_encoding: bytes | None) -> bool:
    # Clients send a handful of distinct values; parse each once (and stop remembering new
    # ones if someone sends thousands).
    gz = accepts_gzip(accept_encoding.decode("latin-1") if accept_encoding else None)
    if len(_GZIP) < 512:
        _GZIP[accept_encoding] = gz
    return gz
