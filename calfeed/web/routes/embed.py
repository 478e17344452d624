"""/embed.js: the dependency-free widget partner sites include with one <script> tag."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import Response

from ...formats.context import RenderContext
from ...model import Snapshot
from ..http import Rendered, render_result
from ..serving import serve_cached

router = APIRouter()

SCRIPT = Path(__file__).resolve().parent.parent / "static" / "embed.js"
MEDIA_TYPE = "application/javascript; charset=utf-8"


def render_script(snapshot: Snapshot, ctx: RenderContext) -> Rendered:
    # The data is fetched by the script itself, so the file's own mtime is its Last-Modified.
    modified = datetime.fromtimestamp(SCRIPT.stat().st_mtime, UTC)
    return render_result(SCRIPT.read_bytes(), MEDIA_TYPE, modified)


@router.api_route("/embed.js", methods=["GET", "HEAD"], include_in_schema=False)
async def embed_js(request: Request) -> Response:
    return await serve_cached(request, ("embed.js",), render_script)
