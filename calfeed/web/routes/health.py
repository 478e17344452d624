"""/healthz: is the process alive, what is it serving, and how did the last sync go."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ...store import last_sync
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


class Health(BaseModel):
    status: str = Field(description="'ok', or 'degraded' when the last sync was rejected.")
    revision: int = Field(description="Data revision being served; 0 before the first sync.")
    entries: int = Field(description="Entries being served.")
    last_sync: LastSync | None


@router.api_route("/healthz", methods=["GET", "HEAD"], response_model=Health, tags=["meta"])
async def healthz(request: Request) -> Any:
    serving = serving_of(request)
    state = await run_in_threadpool(serving.load)
    status = await run_in_threadpool(last_sync, serving.engine)
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
    )
