"""uvicorn's httptools protocol as ``calfeed serve`` runs it (uvicorn's ``http`` setting): the
request head bounded in bytes, and a response's head and body written together.

uvicorn sets no limit on the request line and headers with httptools (h11 has one), and
httptools gathers a header value chunk by chunk: a 200 MB header was read for 91 s, growing the
process. Here the bytes received before a request's headers are complete are counted as they
arrive; past ``MAX_HEAD_BYTES`` the client gets a 431 and the connection is closed, without
parsing what was sent.

uvicorn writes the status line and headers, then the body, as two writes: two system calls and
two TCP segments, each paying the kernel's whole send path (on loopback, the receiver's too).
For a cached feed that was half the process's time. Here what a response cycle writes in one
step of the event loop goes out in one vectored write; anything held is written at the next
step at the latest, so nothing waits on it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Request line plus headers. nginx's default is 4 buffers of 8 KiB per line; calendar apps,
# feed readers and browsers send well under 8 KiB.
MAX_HEAD_BYTES = 64 * 1024
_BODY = b"Request header fields too large (at most 65536 bytes).\n"
_431 = (b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
        b"content-type: text/plain; charset=utf-8\r\n"
        b"content-length: " + str(len(_BODY)).encode() + b"\r\n"
        b"connection: close\r\n\r\n" + _BODY)


class HttpProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._reading_head = True  # until the first request's headers are complete
        self._refused = False

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._reading_head:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._refused = True
                self.logger.warning("Request header fields too large; answered 431.")
                self.transport.write(_431)
                self.transport.close()
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._reading_head = False
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not before:  # a new request, not an upgrade
            self.cycle.transport = WritesTogether(self.transport, self.loop)  # type: ignore[assignment]

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head, self._head_bytes = True, 0  # the next request on the connection


class WritesTogether:
    """A transport as one response cycle sees it: a write is held until the next one (the
    head until the body), and the two are written with one ``writelines``; a write with no
    follower in the same step of the loop is written at the next step."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        held = self._held
        if held is None:
            self._held = data
            self._loop.call_soon(self.flush)
        else:
            self._held = None
            self._transport.writelines((held, data))

    def flush(self) -> None:
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        self.flush()  # whatever else the cycle does with its transport comes after its writes
        return getattr(self._transport, name)
