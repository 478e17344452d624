"""/healthz: is the process alive, what is it serving, how did the last sync go, and every
failure it knows of (source, database, disk) with its cause."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from ...publish.watch import first_line
from ...store import last_sync
from ...store.db import describe
from ...store.pulled import PullState, pull_states
from ..serving import serving_of

router = APIRouter()


class LastSync(BaseModel):
    at: datetime
    ok: bool
    revision: int
    source: str
    added: int
    changed: int
    removed: int
    unchanged: int
    errors: list[str] = Field(description="The source's errors when the sync was rejected.")


class SourcePull(BaseModel):
    name: str = Field(description="The source's name under `sources:`.")
    attempted_at: datetime | None = Field(description="When it was last pulled.")
    good_at: datetime | None = Field(description="When it last gave a usable answer (or 304).")
    outcome: str = Field(description="'applied' (changes published), 'unchanged', or 'kept' "
                         "(it failed: its last good entries are still served; see `problem`).")
    http: str = Field(description="The HTTP outcome, e.g. 'HTTP 304 not modified'.")
    summary: str = Field(description="Added / changed / cancelled / unchanged / skipped.")
    problem: str | None = Field(description="Why the last good entries were kept.")
    entries: int = Field(description="Entries it brings now.")
    skipped: list[str] = Field(description="Items of its last good answer left out, and why.")


class Failure(BaseModel):
    part: Literal["source", "database", "disk", "access_log"] = Field(
        description="What failed: the source file (or its last publish), the database, the "
        "disk it is on, or the access log (standard output of `calfeed serve`).")
    cause: str = Field(description="What went wrong and, where known, what to do.")


class Health(BaseModel):
    status: Literal["ok", "degraded", "failing"] = Field(
        description="'ok'; 'degraded' (HTTP 200) when something failed or the last sync was "
        "rejected but the last good data is served; 'failing' (HTTP 503) when nothing can be "
        "served.")
    revision: int = Field(description="Data revision being served; 0 before the first sync.")
    entries: int = Field(description="Entries being served.")
    last_sync: LastSync | None
    sources: list[SourcePull] = Field(description="Each partner source's last pull.")
    problems: list[Failure] = Field(description="Every failure this process knows of now.")


@router.api_route("/healthz", methods=["GET", "HEAD"], response_model=Health, tags=["meta"],
                  responses={503: {"model": Health, "description": "Nothing can be served."}})
async def healthz(request: Request) -> Any:
    """Never an error of its own: each failure it finds is listed with its cause."""
    serving = serving_of(request)
    problems: list[Failure] = []
    state = serving.current()
    status = None
    pulls: dict[str, PullState] = {}
    try:
        state = await run_in_threadpool(serving.load)
        status = await run_in_threadpool(last_sync, serving.engine)
        pulls = await run_in_threadpool(pull_states, serving.engine)
    except SQLAlchemyError as exc:
        problems.append(Failure(part="database", cause=f"{describe(serving.engine.url)}: "
                                f"{first_line(exc)}"))
    watcher = request.app.state.watcher
    if request.app.state.watching:
        problems.extend(Failure(part="source", cause=cause)
                        for cause in _source_problems(serving.settings.data, watcher.problem))
    problems.extend(Failure(part="disk", cause=cause)
                    for cause in _disk_problems(serving.settings.data, serving.engine,
                                                serving.settings.min_free_mb))
    access_log = request.app.state.access_log
    if access_log is not None and access_log.problem:
        problems.append(Failure(part="access_log", cause=access_log.problem))
    snapshot = state.snapshot if state is not None else None
    last = None
    if status is not None:
        # The store's record as it is, with its message as the list of the source's errors.
        last = LastSync(**asdict(status),
                        errors=status.message.splitlines() if not status.ok else [])
    verdict: Literal["ok", "degraded", "failing"]
    if snapshot is None and problems:
        verdict = "failing"
    elif problems or (status is not None and not status.ok):
        verdict = "degraded"
    else:
        verdict = "ok"
    health = Health(status=verdict, revision=snapshot.revision if snapshot else 0,
                    entries=len(snapshot.entries) if snapshot else 0, last_sync=last,
                    sources=[SourcePull(name=s.name, attempted_at=s.attempted_at,
                                        good_at=s.good_at, outcome=s.outcome, http=s.http,
                                        summary=s.summary, problem=s.problem,
                                        entries=s.entry_count, skipped=list(s.skipped))
                             for s in pulls.values() if s.attempted_at is not None],
                    problems=problems)
    return JSONResponse(health.model_dump(mode="json"),
                        status_code=503 if verdict == "failing" else 200,
                        headers={"Cache-Control": "no-store"})


def _source_problems(path: Path, last: str | None) -> list[str]:
    found = [last] if last else []
    if path.is_dir():
        found.append(f"{path} is a directory, not the source file")
    elif not path.exists():
        found.append(f"{path} does not exist")
    return found


def _disk_problems(path: Path, engine: Engine, min_free_mb: int) -> list[str]:
    """Folders of the source and the SQLite database with less than ``min_free_mb`` free:
    below it a sync (or SQLite's journal) may fail half-way through writing."""
    folders = {path.resolve().parent}
    if engine.url.get_backend_name() == "sqlite" and engine.url.database:
        folders.add(Path(engine.url.database).resolve().parent)
    found = []
    for folder in sorted(folders):
        try:
            free = shutil.disk_usage(folder).free
        except OSError as exc:
            found.append(f"{folder}: {exc.strerror or exc}")
            continue
        if free < min_free_mb * 1024 * 1024:
            found.append(f"only {free // 1024 // 1024} MB free on {folder} (less than "
                         f"CALFEED_MIN_FREE_MB={min_free_mb}): syncs may fail; free some space")
    return found
