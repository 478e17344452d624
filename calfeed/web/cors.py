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


class PublicCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(headers)(scope, receive, send)
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
    def _preflight(headers: Headers) -> Response:
        # Always 204: for a method not in Allow-Methods the browser itself refuses the request.
        response_headers = {
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": _METHODS,
            "Access-Control-Max-Age": "86400",
            "Cache-Control": "public, max-age=86400",
        }
        requested = headers.get("access-control-request-headers")
        if requested:
            # No credentials are ever accepted, so echoing the asked-for headers
            # (If-None-Match, a partner's X-Requested-With …) gives nothing away.
            response_headers["Access-Control-Allow-Headers"] = requested
        return Response(status_code=204, headers=response_headers)
