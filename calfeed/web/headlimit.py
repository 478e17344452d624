"""uvicorn's httptools protocol with the request head bounded in bytes.

uvicorn sets no limit on the request line and headers with httptools (h11 has one), and
httptools gathers a header value chunk by chunk: a 200 MB header was read for 91 s, growing the
process. Here the bytes received before a request's headers are complete are counted as they
arrive; past ``MAX_HEAD_BYTES`` the client gets a 431 and the connection is closed, without
parsing what was sent. ``calfeed serve`` passes this class as uvicorn's ``http``.
"""

from __future__ import annotations

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


class BoundedHttpToolsProtocol(HttpToolsProtocol):
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
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head, self._head_bytes = True, 0  # the next request on the connection
