"""``/month/{YYYY-MM}``: the month as a grid, with the list's filters (``?feed=``, ``?type=``,
``?tag=``). Cached and conditional like every page; no JavaScript needed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from ...formats import html
from ...formats.month import NoSuchMonth, parse_month
from ...formats.monthpage import month_page
from ..filters import view_from_query
from ..http import Rendered
from ..language import for_page
from ..problems import HttpProblem, bad_parameter
from ..serving import serve_cached, served
from ..state import ServedState
from .pages import _error, _page, assets

router = APIRouter(include_in_schema=False)


@router.api_route("/month/{month}", methods=["GET", "HEAD"])
async def month(request: Request, month: str) -> Response:
    """One month as a table of weeks; previous and next month keep the filters."""
    state = await served(request)
    try:
        state, vary = for_page(request, state)
    except HttpProblem as problem:
        return await _error(request, state.snapshot, problem)
    snapshot = state.snapshot
    try:
        year, number = parse_month(month)
    except NoSuchMonth:
        shown = month if len(month) <= 20 else month[:20] + "…"
        return await _error(request, snapshot, bad_parameter(
            "month", f"'{shown}' is not a month; write it as YYYY-MM, e.g. /month/2024-08"))
    feeds = request.query_params.getlist("feed")
    if len(feeds) > 1:
        return await _error(request, snapshot, bad_parameter("feed", "give one feed name"))
    feed = feeds[0] if feeds else "all"
    if feed not in snapshot.feeds:
        message = html.not_found_message(snapshot.calendar.language, feed=feed)
        return await _error(request, snapshot, HttpProblem(404, message, parameter="feed"))
    try:
        view = view_from_query(request, snapshot, feed)
    except HttpProblem as problem:
        return await _error(request, snapshot, problem)

    def render(state: ServedState) -> Rendered:
        body = month_page(state.snapshot, state.context, view, year, number, assets=assets())
        return _page(body, state)

    return await serve_cached(request, state, ("month", year, number, view), render,
                              vary=vary)
