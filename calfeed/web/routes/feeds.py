"""Atom and RSS for feed readers: /feed.atom, /feeds/{name}.atom, /feed.rss, /feeds/{name}.rss.

Each honours the same ``?type=`` / ``?tag=`` filters as the calendar feeds and is answered from
the per-revision cache with ETag, Last-Modified, 304, HEAD and gzip (``serve_cached``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter, Request
from starlette.responses import Response

from ...formats.atom import ATOM_MEDIA_TYPE, RSS_MEDIA_TYPE, FeedDocument, atom, rss
from ...formats.context import RenderContext
from ...formats.pieces import Pieces
from ...formats.select import Filter
from ...model import Snapshot
from ..filters import view_from_query
from ..http import Rendered, render_result
from ..language import in_asked_language
from ..serving import day_last_modified, serve_cached, served
from ..state import ServedState

router = APIRouter(tags=["feeds"])

Builder = Callable[[Snapshot, RenderContext, Filter, Pieces], FeedDocument]
_FORMATS: dict[str, tuple[Builder, str]] = {
    "atom": (atom, ATOM_MEDIA_TYPE),
    "rss": (rss, RSS_MEDIA_TYPE),
}


@router.api_route("/feed.atom", methods=["GET", "HEAD"], summary="Atom 1.0: all entries")
async def feed_atom(request: Request) -> Response:
    return await _serve(request, "all", "atom")


@router.api_route("/feeds/{name}.atom", methods=["GET", "HEAD"],
                  summary="Atom 1.0: one named feed")
async def named_feed_atom(request: Request, name: str) -> Response:
    return await _serve(request, name, "atom")


@router.api_route("/feed.rss", methods=["GET", "HEAD"], summary="RSS 2.0: all entries")
async def feed_rss(request: Request) -> Response:
    return await _serve(request, "all", "rss")


@router.api_route("/feeds/{name}.rss", methods=["GET", "HEAD"],
                  summary="RSS 2.0: one named feed")
async def named_feed_rss(request: Request, name: str) -> Response:
    return await _serve(request, name, "rss")


async def _serve(request: Request, name: str, ext: Literal["atom", "rss"]) -> Response:
    state = in_asked_language(request, await served(request))
    view = view_from_query(request, state.snapshot, name)
    build, media_type = _FORMATS[ext]

    def render(state: ServedState) -> Rendered:
        # Each entry's <entry>/<item> is rendered once per entry revision and kept.
        doc = build(state.snapshot, state.context, view, state.pieces)
        return render_result(doc.body, media_type, day_last_modified(state))

    return await serve_cached(request, state, ("feed", ext, view), render)
