"""The one way routes answer: read the served state once, look up the body, render it on a
miss, respond."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..localtime import local_midnight
from .http import Rendered, respond
from .problems import HttpProblem
from .state import ServedState, Serving

Render = Callable[[ServedState], Rendered]


def day_last_modified(state: ServedState) -> datetime:
    """Last-Modified of a body that also changes at midnight (a window of days, "3 days
    left", a recurring entry's next date): a client asking "modified since yesterday?" must
    not be told no after midnight when the data did not change but the body did."""
    snapshot = state.snapshot
    return max(snapshot.changed_at,
               local_midnight(state.context.today, snapshot.calendar.timezone))


def serving_of(request: Request) -> Serving:
    found: Serving = request.app.state.serving
    return found


async def served(request: Request) -> ServedState:
    """What is served now, read once per request; before the first sync, a 503 that says
    what to do."""
    serving = serving_of(request)
    state = serving.current()
    if state is None:
        try:
            state = await run_in_threadpool(serving.load)
        except SQLAlchemyError:
            # Away since the start: nothing to serve yet. /healthz names the database and
            # the cause (not told to every visitor); the server keeps trying.
            raise HttpProblem(503, "The data cannot be read now: the database does not "
                              "answer. The server tries again; see /healthz.") from None
    if state is None:
        raise HttpProblem(503, "No data has been published yet: run 'calfeed sync' first.")
    return state


async def serve_cached(request: Request, state: ServedState, key: Hashable, render: Render, *,
                       cache_control: str | None = None,
                       vary: tuple[str, ...] = ()) -> Response:
    """Serve the body for ``key`` from ``state``, rendering it at most once per state.

    ``render`` runs in a worker thread (never on the event loop) and must be pure: it gets the
    state and returns a ``Rendered``. ``key`` must capture everything the body depends on
    besides the state (path, normalised query).
    """
    rendered = state.responses.get(key)
    if rendered is None:
        rendered = await run_in_threadpool(
            state.responses.get_or_render, key, lambda: render(state))
    if cache_control is None:
        cache_control = f"public, max-age={serving_of(request).settings.cache_max_age}"
    return respond(request, rendered, cache_control=cache_control, vary=vary)
