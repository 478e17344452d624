"""Conditional, cacheable responses: one machinery for every feed, API and page.

A body is rendered once per data revision into a ``Rendered`` (bytes, strong ETag, gzip twin)
and every later request is answered from it: 304 when the client has it, gzip when asked.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

_GZIP_MIN = 512  # below this, gzip's header costs more than it saves


@dataclass(frozen=True, slots=True)
class Rendered:
    body: bytes
    media_type: str
    etag: str  # strong, quoted
    last_modified: datetime
    gzipped: bytes | None = None
    headers: tuple[tuple[str, str], ...] = field(default=())

    @property
    def gzip_etag(self) -> str:
        # A strong ETag names one representation; the gzip bytes are another.
        return self.etag[:-1] + '-gz"'


def render_result(body: bytes, media_type: str, last_modified: datetime,
                  headers: tuple[tuple[str, str], ...] = ()) -> Rendered:
    """Wrap a finished body. Refuses an empty body: a client told "200, no events" (Thunderbird)
    deletes every event it had, so an empty render must be a server error, not a response."""
    if not body:
        raise ValueError("refusing to serve an empty body")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= _GZIP_MIN else None
    return Rendered(body, media_type, etag, last_modified.astimezone(UTC), gzipped, headers)


def respond(request: Request, rendered: Rendered, *, cache_control: str,
            vary: tuple[str, ...] = ()) -> Response:
    """Answer with 200, or 304 when the client's copy is current (If-None-Match wins over
    If-Modified-Since; a malformed date is ignored). HEAD gets the headers of the GET."""
    use_gzip = rendered.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding"))
    etag = rendered.gzip_etag if use_gzip else rendered.etag
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(rendered.last_modified, usegmt=True),
        "Cache-Control": cache_control,
    }
    varies = (*(("Accept-Encoding",) if rendered.gzipped is not None else ()), *vary)
    if varies:
        headers["Vary"] = ", ".join(varies)
    if _not_modified(request, rendered):
        # RFC 9110 §15.4.5: with an ETag, a 304 carries no other representation metadata;
        # the client keeps the Last-Modified it has.
        del headers["Last-Modified"]
        return Response(status_code=304, headers=headers)
    headers.update(rendered.headers)
    body = rendered.gzipped if use_gzip and rendered.gzipped is not None else rendered.body
    if use_gzip:
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=rendered.media_type, headers=headers)


def accepts_gzip(header: str | None) -> bool:
    """Whether Accept-Encoding allows gzip (RFC 9110 §12.5.3): an explicit ``gzip`` (or its
    alias ``x-gzip``) weighs more than ``*``, wherever it stands; ``q=0`` refuses."""
    if not header:
        return False
    weights: dict[str, float] = {}
    for part in header.split(","):
        name, *params = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                weight = _qvalue(value.strip())
        weights[name.lower()] = weight
    for name in ("gzip", "x-gzip"):
        if name in weights:
            return weights[name] > 0
    return weights.get("*", 0.0) > 0


def _qvalue(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 1.0


def _not_modified(request: Request, rendered: Rendered) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or rendered.etag in tags or rendered.gzip_etag in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if when.tzinfo is None:
            return False
        return rendered.last_modified.replace(microsecond=0) <= when
    return False
