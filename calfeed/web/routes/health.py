"""/healthz: is the process alive, what is it serving, and how did the last sync go."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ...store import last_sync
from ...store.pulled import pull_states
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


class Health(BaseModel):
    status: str = Field(description="'ok', or 'degraded' when the last sync was rejected.")
    revision: int = Field(description="Data revision being served; 0 before the first sync.")
    entries: int = Field(description="Entries being served.")
    last_sync: LastSync | None
    sources: list[SourcePull] = Field(description="Each partner source's last pull.")


@router.api_route("/healthz", methods=["GET", "HEAD"], response_model=Health, tags=["meta"])
async def healthz(request: Request) -> Any:
    serving = serving_of(request)
    state = await run_in_threadpool(serving.load)
    status = await run_in_threadpool(last_sync, serving.engine)
    pulls = await run_in_threadpool(pull_states, serving.engine)
    snapshot = state.snapshot if state is not None else None
    last = None
    if status is not None:
        # The store's record as it is, with its message as the list of the source's errors.
        last = LastSync(**asdict(status),
                        errors=status.message.splitlines() if not status.ok else [])
    return Health(
        status="ok" if status is None or status.ok else "degraded",
        revision=snapshot.revision if snapshot else 0,
        entries=len(snapshot.entries) if snapshot else 0,
        last_sync=last,
        sources=[SourcePull(name=s.name, attempted_at=s.attempted_at, good_at=s.good_at,
                            outcome=s.outcome, http=s.http, summary=s.summary,
                            problem=s.problem, entries=s.entry_count, skipped=list(s.skipped))
                 for s in pulls.values() if s.attempted_at is not None],
    )
