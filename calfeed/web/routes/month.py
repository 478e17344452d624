"""``/month/{YYYY-MM}``: the month as a grid, with the list's filters (``?feed=``, ``?type=``,
``?tag=``). Cached and conditional like every page; no JavaScript needed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from ...formats.month import NoSuchMonth, parse_month
from ...formats.monthpage import month_page
from ..filters import view_from_query
from ..http import Rendered
from ..problems import bad_parameter
from ..serving import serve_cached
from ..state import ServedState
from .pages import _page, as_page, assets, one_feed

router = APIRouter(include_in_schema=False)


@router.api_route("/month/{month}", methods=["GET", "HEAD"])
async def month(request: Request, month: str) -> Response:
    """One month as a table of weeks; previous and next month keep the filters."""

    async def answer(state: ServedState, vary: tuple[str, ...]) -> Response:
        snapshot = state.snapshot
        try:
            year, number = parse_month(month)
        except NoSuchMonth:
            shown = month if len(month) <= 20 else month[:20] + "…"
            raise bad_parameter("month", f"'{shown}' is not a month; write it as YYYY-MM, "
                                "e.g. /month/2024-08") from None
        view = view_from_query(request, snapshot, one_feed(request, snapshot))

        def render(state: ServedState) -> Rendered:
            body = month_page(state.snapshot, state.context, view, year, number,
                              assets=assets())
            return _page(body, state)

        return await serve_cached(request, state, ("month", year, number, view), render,
                                  vary=vary)

    return await as_page(request, answer)
