"""/embed.js: the dependency-free widget partner sites include with one <script> tag. Served
from the file alone, with or without published data (the widget fetches the data itself)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import Response

from ..http import Rendered, render_result, respond
from ..serving import serving_of

router = APIRouter()

SCRIPT = Path(__file__).resolve().parent.parent / "static" / "embed.js"
MEDIA_TYPE = "application/javascript; charset=utf-8"


@cache
def script() -> Rendered:
    # The data is fetched by the script itself, so the file's own mtime is its Last-Modified.
    modified = datetime.fromtimestamp(SCRIPT.stat().st_mtime, UTC)
    return render_result(SCRIPT.read_bytes(), MEDIA_TYPE, modified)


@router.api_route("/embed.js", methods=["GET", "HEAD"], include_in_schema=False)
async def embed_js(request: Request) -> Response:
    max_age = serving_of(request).settings.cache_max_age
    return respond(request, script(), cache_control=f"public, max-age={max_age}")
