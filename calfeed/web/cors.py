"""CORS for the public JSON API and the widget: any origin may read, nobody sends credentials.

Not Starlette's CORSMiddleware: that one adds ``Access-Control-Allow-Origin`` only when the
request has an ``Origin``, so a CDN that cached a response fetched without one would hand it to
partner sites without the header and their browsers would refuse it. Here every response under
the public paths says ``*``, whoever asked.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PUBLIC_PREFIXES = ("/api/", "/embed.js")
_ALLOW = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"ETag, Last-Modified"),
]
_METHODS = "GET, HEAD, OPTIONS"
# The request headers a partner's script may send beyond the CORS-safelisted ones: the
# validators of a conditional poll. A fixed list, not an echo of what was asked, so the answer
# does not depend on Access-Control-Request-Headers (and a cache may share it).
_ALLOW_HEADERS = "If-None-Match, If-Modified-Since"
# Short, so a change of the policy reaches browsers within minutes (Chromium caps it at 2 h).
PREFLIGHT_MAX_AGE = 600


class PublicCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight()(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0] not in dict(_ALLOW)),
                    *_ALLOW,
                ]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    def _preflight() -> Response:
        # Always 204: for a method or header not allowed here the browser itself refuses the
        # request. The same answer for every preflight; an OPTIONS without
        # Access-Control-Request-Method is answered by the app, hence the Vary.
        return Response(status_code=204, headers={
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": _METHODS,
            "Access-Control-Allow-Headers": _ALLOW_HEADERS,
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
            "Cache-Control": f"public, max-age={PREFLIGHT_MAX_AGE}",
            "Vary": "Access-Control-Request-Method",
        })
