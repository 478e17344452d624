"""/embed.js: the dependency-free widget partner sites include with one <script> tag. Served
from the file alone, with or without published data (the widget fetches the data itself).
/embed/list: the same list as a page for an <iframe>, for sites that cannot run scripts."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ...formats.embedlist import embed_list_page
from ..http import Rendered, render_result, respond
from ..language import in_asked_language
from ..serving import day_last_modified, serve_cached, served, serving_of
from ..state import ServedState
from .api import (
    CursorParam,
    FeedParam,
    FromParam,
    LangParam,
    LimitParam,
    StatusParam,
    TagParam,
    TextParam,
    ToParam,
    TypeParam,
    event_query,
)
from .pages import HTML, assets

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


# Like the pages' policy, but any site may frame it; links open in a new tab (<base>).
EMBED_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'self'; "
             "form-action 'none'; frame-ancestors *")


@router.api_route("/embed/list", methods=["GET", "HEAD"], include_in_schema=False)
async def embed_list(
    request: Request,
    from_: FromParam = None,
    to: ToParam = None,
    feed: FeedParam = "all",
    type: TypeParam = None,
    tag: TagParam = None,
    q: TextParam = None,
    status: StatusParam = None,
    limit: LimitParam = 10,
    cursor: CursorParam = None,
    lang: LangParam = None,
    compact: Annotated[bool, Query(description="One line less per entry.")] = False,
) -> Response:
    """The list /api/v1/events gives for the same query, as a page to put in an <iframe>."""
    state = in_asked_language(request, await served(request))
    query = event_query(request, state, from_=from_, to=to, feed=feed, q=q, limit=limit,
                        cursor=cursor, lang=lang)

    def render(state: ServedState) -> Rendered:
        body = embed_list_page(state.snapshot, state.context, query, compact=compact,
                               assets=assets())
        return render_result(body, HTML, day_last_modified(state),
                             (("Content-Security-Policy", EMBED_CSP),))

    return await serve_cached(request, state, ("embed/list", query, compact), render)
