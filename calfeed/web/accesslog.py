"""The access log: one line per request, in the combined log format nginx and Apache write,
cheap enough to leave on.

uvicorn's own access log goes through :mod:`logging` (a record, a formatter, a handler lock and
a flush per request), which halved the rate of a cached 304. Here a request costs one bytes
%-format; the lines of everything answered in one turn of the event loop are written together
at the start of the next turn, with plain ``os.write`` calls of at most ``PIPE_BUF`` bytes that
end at a line's end, so the lines of several worker processes sharing a pipe never interleave
mid-line. Nothing waits for a timer: a quiet server writes each line right away.

Whatever the client sent (path, query, Referer, User-Agent, a forwarded address) is escaped as
nginx does (``\\xHH`` for quotes, backslashes, control and non-ASCII bytes), so a request cannot
forge a line or a field.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import re
import select
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("calfeed.serve")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Printable ASCII but the double quote and the backslash: what a field may hold unescaped.
_UNSAFE = re.compile(rb'[^\x20\x21\x23-\x5b\x5d-\x7e]')
_NOT_ADDRESS = re.compile(rb"[^0-9A-Za-z.:_-]")
_MAX_CACHED = 4096
_MAX_CACHED_BYTES = 1024
# Writes to a pipe up to this size are atomic (POSIX), so lines from two processes never mix.
_CHUNK = select.PIPE_BUF
# A line longer than one atomic write has its request target and headers cut (raw bytes kept
# of each, then "..."), first moderately, then hard (every byte of them could take 4 escaped).
_SHORTER = ((1024, 256), (256, 64))
_CLIENT_CLOSED = 499  # nginx's code for a request the client gave up on before an answer


def _escape(value: bytes) -> bytes:
    return _UNSAFE.sub(_hex, value)


def _hex(match: re.Match[bytes]) -> bytes:
    return b"\\x%02X" % match[0][0]


def _field(value: bytes | None, limit: int | None = None) -> bytes:
    if not value:
        return b"-"
    if limit is not None and len(value) > limit:
        value = value[:limit] + b"..."
    return _escape(value)


def _request_field(method: str, path: str | bytes, query: bytes, version: str,
                   limit: int | None = None) -> bytes:
    target = path if isinstance(path, bytes) else path.encode("utf-8")
    if query:
        target += b"?" + query
    return b'"%s %s HTTP/%s"' % (
        _field(method.encode("latin-1", "replace"), 16), _field(target, limit),
        _field(version.encode("latin-1", "replace"), 8))


def _address(host: str | None) -> bytes:
    """The client's address as a field of its own: an IP address as it is; anything else (a
    forwarded header's text, with spaces and brackets) with every byte that is not a letter,
    digit, dot, colon, hyphen or underscore escaped."""
    if not host:
        return b"-"
    try:
        return str(ipaddress.ip_address(host)).encode("ascii")
    except ValueError:
        return _NOT_ADDRESS.sub(_hex, host.encode("utf-8", "replace")[:256])


class LineWriter:
    """Lines collected during one turn of the event loop and written at the start of the
    next (or as soon as ``max_pending`` bytes are waiting), to a file descriptor."""

    def __init__(self, fd: int, *, max_pending: int = 64 * 1024) -> None:
        self.fd = fd
        self.max_pending = max_pending
        self.failed = 0  # lines that could not be written (a full disk, a closed pipe)
        self.problem: str | None = None  # why the last write failed, until one succeeds
        self._lines: list[bytes] = []
        self._pending = 0
        self._scheduled = False

    def add(self, line: bytes) -> None:
        self._lines.append(line)
        self._pending += len(line)
        if self._pending >= self.max_pending:
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        self._scheduled = False
        lines, self._lines, self._pending = self._lines, [], 0
        chunk: list[bytes] = []
        size = 0
        try:
            for line in lines:
                if chunk and size + len(line) > _CHUNK:
                    self._write(b"".join(chunk))
                    chunk, size = [], 0
                chunk.append(line)
                size += len(line)
            if chunk:
                self._write(b"".join(chunk))
        except OSError as exc:
            # The log must never stop the serving: count what was lost, say it once (per
            # outage), and let /healthz show it.
            self.failed += len(lines)
            if self.problem is None:
                log.error("cannot write the access log (%s); requests are still served, "
                          "their lines are lost until it can be written again",
                          exc.strerror or exc)
            self.problem = (f"cannot write the access log: {exc.strerror or exc}; "
                            f"{self.failed:,} lines lost so far")
        else:
            self.problem = None

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]


class AccessLog:
    """Pure ASGI middleware: a combined-format line for every HTTP request, written by
    ``writer`` once the answer has been sent."""

    def __init__(self, app: ASGIApp, writer: LineWriter,
                 clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.writer = writer
        self.clock = clock
        self._second = -1
        self._stamp = b""
        self._fields: dict[object, bytes] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0
        size = 0

        counted = scope["method"] != "HEAD"  # the server sends no body, whatever the app gives

        async def sending(message: Message) -> None:
            nonlocal status, size
            # Only a start has a status, only a body a body (ASGI): no type test needed.
            status = message.get("status", status)
            if counted:
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except asyncio.CancelledError:
            self.writer.add(self.line(scope, status or _CLIENT_CLOSED, size))
            raise
        except BaseException:
            # The server answers 500 for an app that failed before it started an answer.
            self.writer.add(self.line(scope, status or 500, size))
            raise
        self.writer.add(self.line(scope, status or _CLIENT_CLOSED, size))

    def line(self, scope: Scope, status: int, size: int) -> bytes:
        referer = agent = None
        for name, value in scope["headers"]:
            if name == b"referer":
                referer = value
            elif name == b"user-agent":
                agent = value
        client = scope.get("client")
        request = (scope["method"], scope.get("raw_path") or scope["path"],
                   scope.get("query_string", b""), scope.get("http_version", "1.1"))
        # Calendar apps poll the same URL with the same headers from the same address: each
        # field is escaped once and reused (short ones only, at most _MAX_CACHED of them).
        cache = self._fields
        quoted = cache.get(request)
        if quoted is None:
            quoted = _request_field(*request)
            if len(quoted) <= _MAX_CACHED_BYTES:
                cache[request] = quoted
        tail = cache.get((referer, agent))
        if tail is None:
            tail = b'"%s" "%s"' % (_field(referer), _field(agent))
            if len(tail) <= _MAX_CACHED_BYTES:
                cache[(referer, agent)] = tail
        host = client[0] if client else None
        address = cache.get(host)
        if address is None:
            address = cache[host] = _address(host)
        if len(cache) > _MAX_CACHED:
            cache.clear()
        line = b"%s - - [%s] %s %d %d %s\n" % (address, self._time(), quoted, status, size, tail)
        for target, header in _SHORTER:
            if len(line) <= _CHUNK:
                break
            quoted = _request_field(*request, limit=target)
            tail = b'"%s" "%s"' % (_field(referer, header), _field(agent, header))
            line = b"%s - - [%s] %s %d %d %s\n" % (address, self._stamp, quoted, status, size,
                                                    tail)
        return line

    def _time(self) -> bytes:
        # One strftime a second, not one per request (nginx caches its time the same way).
        now = self.clock()
        second = int(now)
        if second != self._second:
            t = time.localtime(second)
            offset = t.tm_gmtoff or 0
            sign = "-" if offset < 0 else "+"
            hours, minutes = divmod(abs(offset) // 60, 60)
            self._stamp = (f"{t.tm_mday:02d}/{_MONTHS[t.tm_mon - 1]}/{t.tm_year}:"
                           f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} "
                           f"{sign}{hours:02d}{minutes:02d}").encode("ascii")
            self._second = second
        return self._stamp
