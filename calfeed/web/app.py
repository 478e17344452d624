"""The app factory: settings in, a FastAPI app out. Nothing is built at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import __version__
from ..publish import Clock, Watcher, system_clock
from ..publish.watch import first_line
from ..settings import Settings, configure_logging, get_settings
from ..store import create_db_engine
from . import openapi, problems
from .accesslog import AccessLog, LineWriter
from .cors import PublicCors
from .puller import PullScheduler
from .replay import ReplayCached
from .routes import api as api_routes
from .routes import docs as docs_routes
from .routes import embed as embed_routes
from .routes import feeds as feed_routes
from .routes import health
from .routes import ics as ics_routes
from .routes import month as month_routes
from .routes import pages as page_routes
from .security import SecurityHeaders
from .state import Serving

log = logging.getLogger("calfeed.serve")


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock,
               watch: bool = False, access_log: int | None = None) -> FastAPI:
    """Build the app. ``watch`` makes it publish the source file at start and whenever it
    changes (``serve``); either way it picks up what other processes published every
    ``watch_interval`` seconds. ``access_log`` is a file descriptor to write a line per
    request to (``serve`` gives standard output when ``settings.access_log``)."""
    settings = settings or get_settings()
    # Nothing connects yet: a database that is away at start does not stop the server (it
    # answers /healthz 503 with the cause, serves its static files, and the loop retries).
    engine = create_db_engine(settings.database_url, schema_now=False)
    serving = Serving(settings, engine, clock)
    log_writer = LineWriter(access_log) if access_log is not None else None
    watcher = Watcher(settings, engine, clock, serving.refresh)
    puller = PullScheduler(settings, engine, clock) if watch else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if watch:
            # Before taking traffic; a broken file is reported and the last good data
            # served, and so is a database another writer holds (the loop tries again).
            await run_in_threadpool(watcher.publish_at_start)
        try:
            await run_in_threadpool(serving.refresh)
        except SQLAlchemyError as exc:
            # Start anyway: /healthz says what failed, and the loop tries again.
            log.error("could not read the database (%s); trying again every %g s",
                      first_line(exc), settings.watch_interval)
        task = asyncio.create_task(_background(watcher, puller, settings.watch_interval,
                                               watch))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            engine.dispose()
            if log_writer is not None:
                log_writer.flush()

    app = _App(
        title="calfeed",
        version=__version__,
        description="Events and consultation deadlines as iCalendar, Atom/RSS and JSON.",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,  # routes/docs.py: Swagger UI from a package, with a CSP
        redoc_url=None,
    )
    app.state.serving = serving
    app.state.watcher = watcher
    app.state.puller = puller
    app.state.watching = watch
    app.state.settings = settings
    app.state.access_log = log_writer
    problems.install(app)
    openapi.install(app)
    app.add_middleware(PublicCors)
    app.add_middleware(SecurityHeaders)
    app.include_router(health.router)
    app.include_router(api_routes.router)
    app.include_router(docs_routes.router)
    app.include_router(embed_routes.router)
    app.include_router(feed_routes.router)
    app.include_router(ics_routes.router)
    app.include_router(month_routes.router)
    app.include_router(page_routes.router)  # after ics: /events/{id} must not take /events/{id}.ics
    return app


def create_serving_app() -> FastAPI:
    """The app of one `calfeed serve` worker process: settings from the environment, and the
    source file watched (each worker publishes it at start; their syncs take turns on the
    database's lock, so all but the first find nothing changed)."""
    settings = get_settings()
    configure_logging(settings)
    return create_app(settings, watch=True,
                      access_log=sys.stdout.fileno() if settings.access_log else None)


def operation_id(route: APIRoute) -> str:
    """FastAPI's operation id, with the method chosen in a fixed order: its own takes the
    first of a set ({"GET", "HEAD"}), so /openapi.json (and its ETag) changed from one process
    to the next."""
    name = re.sub(r"\W", "_", f"{route.name}{route.path_format}")
    return f"{name}_{sorted(route.methods or {'GET'})[0].lower()}"


class _App(FastAPI):
    """FastAPI with the replay fast path (web/replay.py) in front of everything it does per
    request (telemetry checks, middleware, error handling, routing): a repeat poll costs a
    dict lookup, and what it replays carries every header the layers inside added. The access
    log, when there is one, is outside both, so replayed answers are logged too."""

    _outer: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._outer is None:
            outer: ASGIApp = ReplayCached(super().__call__, self.state.serving.replays)
            if self.state.access_log is not None:
                outer = AccessLog(outer, self.state.access_log)
            self._outer = outer
        await self._outer(scope, receive, send)


async def _background(watcher: Watcher, puller: PullScheduler | None, interval: float,
                      watch: bool) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await run_in_threadpool(watcher.tick, watch=watch)
            if puller is not None:  # partner sources that are due, in a thread of their own
                await run_in_threadpool(puller.tick)
        except Exception:  # keep serving the last good data whatever happens
            log.exception("background refresh failed")
