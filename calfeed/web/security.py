"""Headers every response carries. A pure ASGI middleware: cheap on the hot path."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# The one page made to be framed by any site (its own CSP says frame-ancestors *); everything
# else refuses framing, by X-Frame-Options here and frame-ancestors 'none' on pages.
FRAMEABLE = frozenset({"/embed/list"})
_FRAMEABLE_HEADERS = [h for h in _HEADERS if h[0] != b"x-frame-options"]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        extra = _FRAMEABLE_HEADERS if scope.get("path") in FRAMEABLE else _HEADERS

        async def send_with_headers(message: Message) -> None:
            # Not on a 304: a cache keeps the stored response's headers and updates only those
            # a 304 carries (RFC 9111 §4.3.4), and polls are mostly 304s.
            if message["type"] == "http.response.start" and message["status"] != 304:
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                if 300 <= message["status"] < 400:
                    headers = [_relative(h) for h in headers]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _relative(header: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    """A Location as a path (RFC 9110 §10.2.2 allows a relative reference). Starlette's
    trailing-slash redirect builds an absolute URL from the request's Host header, which
    anyone can set (``Host: evil.example``); every redirect of this app stays on its site."""
    name, value = header
    if name.lower() != b"location":
        return header
    split = urlsplit(value.decode("latin-1"))
    if not split.scheme and not split.netloc:
        return header
    path = (split.path or "/") + (f"?{split.query}" if split.query else "")
    return name, ("/" + path.lstrip("/")).encode("latin-1")
