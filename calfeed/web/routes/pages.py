"""The public web pages: ``/`` (upcoming), ``/archive`` (past), their later pages
(``/page/{n}``, ``/archive/page/{n}``), ``/events/{id}`` (one entry) and ``/static/{name}`` (the
stylesheet, icon and copy-button script they use).

Pages are cached and conditional like every feed (``serve_cached``) and carry a strict
Content-Security-Policy: nothing inline runs, nothing loads from another origin.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from ...formats import html, urls
from ...formats.paging import NoSuchPage
from ...formats.search import MAX_LENGTH as MAX_SEARCH
from ...model import Snapshot
from ..filters import view_from_query
from ..http import Rendered, render_result, respond
from ..language import for_page
from ..problems import HttpProblem, bad_parameter, problem_response
from ..serving import day_last_modified, serve_cached, served, serving_of
from ..state import ServedState

router = APIRouter(include_in_schema=False)

HTML = "text/html; charset=utf-8"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HTML_HEADERS = (("Content-Security-Policy", CSP),)
IMMUTABLE = "public, max-age=31536000, immutable"
STATIC_TYPES = {
    "style.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
    "page.js": "text/javascript; charset=utf-8",
}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PAGE = re.compile(r"^[1-9][0-9]{0,5}$")  # one spelling per page, so one cache entry per page


# --- static files -------------------------------------------------------------------------------


STATIC = Path(__file__).resolve().parent.parent / "static"


@lru_cache(maxsize=len(STATIC_TYPES))
def static_file(name: str) -> tuple[Rendered, str]:
    """A static file as served (Last-Modified: the file's mtime) and a short hash of its
    bytes (its version in page links)."""
    path = STATIC / name
    data = path.read_bytes()
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return (render_result(data, STATIC_TYPES[name], modified),
            hashlib.sha256(data).hexdigest()[:12])


def assets() -> html.Assets:
    # A versioned URL may be cached for a year: a changed file gets a new URL.
    def url(name: str) -> str:
        return f"/static/{name}?v={static_file(name)[1]}"

    return html.Assets(style=url("style.css"), favicon=url("favicon.svg"), script=url("page.js"))


@router.api_route("/static/{name}", methods=["GET", "HEAD"])
async def static(request: Request, name: str) -> Response:
    if name not in STATIC_TYPES:
        raise HttpProblem(404, f"No static file named '{name}'.")
    rendered, version = static_file(name)
    # Served without the data: a page's assets load even before the first sync.
    versioned = request.query_params.get("v") == version
    max_age = serving_of(request).settings.cache_max_age
    return respond(request, rendered,
                   cache_control=IMMUTABLE if versioned else f"public, max-age={max_age}")


# --- pages --------------------------------------------------------------------------------------


def _page(body: bytes, state: ServedState) -> Rendered:
    return render_result(body, HTML, day_last_modified(state), HTML_HEADERS)


@router.api_route("/", methods=["GET", "HEAD"])
async def index(request: Request) -> Response:
    """Upcoming entries by month, filters, and the subscribe panel for the current view."""
    return await _list(request, archive=False)


@router.api_route("/page/{number}", methods=["GET", "HEAD"])
async def index_page(request: Request, number: str) -> Response:
    """The later pages of the upcoming list, with the same filters."""
    return await _list(request, archive=False, number=number)


@router.api_route("/archive", methods=["GET", "HEAD"])
async def archive(request: Request) -> Response:
    """Entries that have ended (inside the feeds' window), newest first."""
    return await _list(request, archive=True)


@router.api_route("/archive/page/{number}", methods=["GET", "HEAD"])
async def archive_page(request: Request, number: str) -> Response:
    """The older pages of the archive, with the same filters."""
    return await _list(request, archive=True, number=number)


async def _list(request: Request, *, archive: bool, number: str | None = None) -> Response:
    async def answer(state: ServedState, vary: tuple[str, ...]) -> Response:
        snapshot = state.snapshot
        page = 1
        if number is not None:
            if not _PAGE.match(number):
                shown = number if len(number) <= 20 else number[:20] + "…"
                raise bad_parameter(
                    "page", f"'{shown}' is not a page number; the pages are /page/2, /page/3, …")
            page = int(number)
            if page == 1:  # page 1 is the list itself: one URL per page for caches and links
                query = request.url.query
                return RedirectResponse(urls.list_path(archive) + (f"?{query}" if query else ""),
                                        301)
        view = view_from_query(request, snapshot, one_feed(request, snapshot))
        q = search_words(request)

        def render(state: ServedState) -> Rendered:
            body = html.index_page(state.snapshot, state.context, view, archive=archive,
                                   page=page, assets=assets(), q=q)
            return _page(body, state)

        try:
            return await serve_cached(request, state, ("page", archive, view, page, q), render,
                                      vary=vary)
        except NoSuchPage as missing:
            # Not cached: the page count is only known by building the list, and a stale
            # link to a page past the end is rare enough to build it again.
            message = html.no_such_page_message(snapshot.calendar.language, missing)
            raise HttpProblem(404, message, parameter="page") from None

    return await as_page(request, answer)


@router.api_route("/events/{entry_id}", methods=["GET", "HEAD"])
async def entry(request: Request, entry_id: str) -> Response:
    """Everything about one entry, add-to-calendar links, and schema.org Event JSON-LD."""

    async def answer(state: ServedState, vary: tuple[str, ...]) -> Response:
        snapshot = state.snapshot
        published = snapshot.entry(entry_id) if _SLUG.match(entry_id) else None
        if published is None:
            raise HttpProblem(404, html.not_found_message(snapshot.calendar.language,
                                                          entry_id=entry_id))

        def render(state: ServedState) -> Rendered:
            return _page(html.entry_page(state.snapshot, state.context, published,
                                         assets=assets()), state)

        return await serve_cached(request, state, ("page", "entry", entry_id), render,
                                  vary=vary)

    return await as_page(request, answer)


PageAnswer = Callable[[ServedState, tuple[str, ...]], Awaitable[Response]]


async def as_page(request: Request, answer: PageAnswer) -> Response:
    """What every page route does around its own ``answer``: the served state read once, in
    the reader's language (``?lang=``, else Accept-Language, with the ``Vary`` that says so),
    and any HttpProblem raised on the way answered as an error page in that language."""
    state = await served(request)
    try:
        state, vary = for_page(request, state)
        return await answer(state, vary)
    except HttpProblem as problem:
        return await _error(request, state.snapshot, problem)


def one_feed(request: Request, snapshot: Snapshot) -> str:
    """The page's ``feed``: one name, of a feed the calendar has ("all" when not given)."""
    feeds = request.query_params.getlist("feed")
    if len(feeds) > 1:
        raise bad_parameter("feed", "give one feed name")
    feed = feeds[0] if feeds else "all"
    if feed not in snapshot.feeds:
        raise HttpProblem(404, html.not_found_message(snapshot.calendar.language, feed=feed),
                          parameter="feed")
    return feed


def search_words(request: Request) -> str:
    """The search box's ``q``: one value, spaces collapsed (one cache entry per search)."""
    values = request.query_params.getlist("q")
    if len(values) > 1:
        raise bad_parameter("q", "give the search words once")
    q = " ".join((values[0] if values else "").split())
    if len(q) > MAX_SEARCH:
        raise bad_parameter("q", f"at most {MAX_SEARCH} characters")
    return q


# --- errors: a page for people, problem+json for programs ---------------------------------------


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "json" not in accept


async def _error(request: Request, snapshot: Snapshot, problem: HttpProblem) -> Response:
    if not wants_html(request):
        return problem_response(problem.status, problem.detail, request.url.path,
                                parameter=problem.parameter, **problem.extra)
    body = await run_in_threadpool(
        html.error_page, snapshot.calendar, status=problem.status, message=problem.detail,
        changed_at=snapshot.changed_at, assets=assets())
    headers = {"Content-Security-Policy": CSP, "Cache-Control": "no-store"}
    return Response(body, status_code=problem.status, media_type=HTML, headers=headers)
