"""The one way routes answer with a cached body: look up, render on a miss, respond."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..formats.context import RenderContext
from ..model import Snapshot, local_midnight
from .http import Rendered, respond
from .problems import Problem
from .publisher import Current, Publisher

Render = Callable[[Snapshot, RenderContext], Rendered]


def day_last_modified(snapshot: Snapshot, ctx: RenderContext) -> datetime:
    """Last-Modified of a body that also changes at midnight (a window of days, "3 days
    left", a recurring entry's next date): a client asking "modified since yesterday?" must
    not be told no after midnight when the data did not change but the body did."""
    return max(snapshot.changed_at, local_midnight(ctx.today, snapshot.calendar.timezone))


def publisher(request: Request) -> Publisher:
    pub: Publisher = request.app.state.publisher
    return pub


async def _current(pub: Publisher) -> tuple[Current, Snapshot]:
    """What is served now; before the first sync, a 503 that says what to do."""
    current = pub.current if pub.current.snapshot is not None else \
        await run_in_threadpool(pub.ensure_loaded)
    if current.snapshot is None:
        raise Problem(503, "No data has been published yet: run 'calfeed sync' first.")
    return current, current.snapshot


async def served_snapshot(request: Request) -> Snapshot:
    """The snapshot being served, for checking a request against it before serve_cached."""
    _, snapshot = await _current(publisher(request))
    return snapshot


async def snapshot_and_context(request: Request) -> tuple[Snapshot, RenderContext]:
    pub = publisher(request)
    _, snapshot = await _current(pub)
    return snapshot, pub.context(snapshot)


async def serve_cached(request: Request, key: Hashable, render: Render, *,
                       cache_control: str | None = None) -> Response:
    """Serve the body for ``key`` at the current revision, rendering it at most once.

    ``render`` runs in a worker thread (never on the event loop) and must be pure: it gets the
    snapshot and context and returns a ``Rendered``. ``key`` must capture everything the body
    depends on besides those (path, normalised query).
    """
    pub = publisher(request)
    current, snapshot = await _current(pub)
    context = pub.context(snapshot)
    full_key = (key, context.today)
    rendered = current.cache.get(full_key)
    if rendered is None:
        rendered = await run_in_threadpool(
            current.cache.get_or_render, full_key, lambda: render(snapshot, context))
    if cache_control is None:
        cache_control = f"public, max-age={pub.settings.cache_max_age}"
    return respond(request, rendered, cache_control=cache_control)
