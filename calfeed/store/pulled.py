"""What partner pulls left: each source's last good entries and its last pull's outcome.

Sync merges the stored entries of the sources the file still lists with the editor's (see
``partners.with_pulled``), so a pulled entry gets revisions, tombstones and rendered pieces like any
other, and an editor's `calfeed sync` never drops what a pull brought.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from ..model import Entry
from ..partners import Provenance, PulledEntry
from .db import LOCK_TIMEOUT, read_transaction, write_transaction
from .tables import PulledEntryRow, PullSourceRow


@dataclass(frozen=True, slots=True)
class PullState:
    """A source's last pull, as /healthz and `calfeed pull` show it."""

    name: str
    url: str = ""
    etag: str | None = None
    last_modified: str | None = None
    attempted_at: datetime | None = None
    good_at: datetime | None = None
    outcome: str = ""  # "applied", "unchanged" or "kept" (last good entries kept: see problem)
    http: str = ""
    summary: str = ""
    problem: str | None = None
    entry_count: int = 0
    skipped: tuple[str, ...] = field(default=())
    # What the entries were read with (the source's settings): when it changes, the next
    # pull reads the body again instead of accepting a 304.
    settings: str = ""


def pull_states(engine: Engine) -> dict[str, PullState]:
    with read_transaction(engine) as conn:
        rows = conn.execute(select(*PullSourceRow.__table__.c)
                            .order_by(PullSourceRow.name)).all()
    return {row.name: PullState(
        row.name, row.url, row.etag, row.last_modified_header, row.attempted_at, row.good_at,
        row.outcome, row.http, row.summary, row.problem, row.entry_count,
        tuple((row.skipped or {}).get("items", ())), (row.skipped or {}).get("settings", ""))
        for row in rows}


def last_good(engine: Engine, sources: Collection[str]) -> dict[str, list[PulledEntry]]:
    """Each source's stored entries (one query for all of them)."""
    found: dict[str, list[PulledEntry]] = {name: [] for name in sources}
    if not sources:
        return found
    with read_transaction(engine) as conn:
        rows = conn.execute(select(*PulledEntryRow.__table__.c)
                            .where(PulledEntryRow.source.in_(sorted(sources)))
                            .order_by(PulledEntryRow.id)).all()
    for row in rows:
        found[row.source].append(PulledEntry(
            Entry.from_content(row.content),
            Provenance(row.source, row.upstream_uid, row.upstream_url, row.fetched_at),
            row.vanished_at))
    return found


def pulled_entries(conn: Connection, sources: Collection[str]) -> list[Entry]:
    """The stored entries of ``sources``, in id order (for sync, inside its transaction)."""
    if not sources:
        return []
    rows = conn.execute(select(PulledEntryRow.content)
                        .where(PulledEntryRow.source.in_(sorted(sources)))
                        .order_by(PulledEntryRow.id)).scalars().all()
    return [Entry.from_content(content) for content in rows]


Outcome = tuple[PullState, Sequence[PulledEntry] | None]


def record_pull(engine: Engine, state: PullState, entries: Sequence[PulledEntry] | None, *,
                lock_timeout: float = LOCK_TIMEOUT) -> None:
    record_pulls(engine, [(state, entries)], lock_timeout=lock_timeout)


def record_pulls(engine: Engine, outcomes: Sequence[Outcome], *,
                 lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Store pulls' outcomes in one transaction; for each whose entries are given, make them
    the source's last good set (replacing the one before). ``None`` keeps the stored ones."""
    with write_transaction(engine, lock_timeout) as conn:
        for state, entries in outcomes:
            _record(conn, state, entries)


def _record(conn: Connection, state: PullState, entries: Sequence[PulledEntry] | None) -> None:
    values: dict[str, Any] = {
        "url": state.url, "etag": state.etag, "last_modified_header": state.last_modified,
        "attempted_at": state.attempted_at, "good_at": state.good_at,
        "outcome": state.outcome, "http": state.http, "summary": state.summary,
        "problem": state.problem, "entry_count": state.entry_count,
        "skipped": {"items": list(state.skipped), "settings": state.settings},
        "claimed_until": None,
    }
    known = conn.execute(select(PullSourceRow.name)
                         .where(PullSourceRow.name == state.name)).first()
    if known is None:
        conn.execute(insert(PullSourceRow).values(name=state.name, **values))
    else:
        conn.execute(update(PullSourceRow).where(PullSourceRow.name == state.name)
                     .values(**values))
    if entries is None:
        return
    conn.execute(delete(PulledEntryRow).where(PulledEntryRow.source == state.name))
    if entries:
        conn.execute(insert(PulledEntryRow), [{
            "id": p.entry.id, "source": state.name, "content": p.entry.content(),
            "upstream_uid": p.provenance.upstream_uid,
            "upstream_url": p.provenance.upstream_url,
            "fetched_at": p.provenance.fetched, "vanished_at": p.vanished,
        } for p in entries])


def claim(engine: Engine, name: str, now: datetime, every: timedelta, lease: timedelta, *,
          lock_timeout: float = LOCK_TIMEOUT) -> bool:
    """Take the right to pull ``name`` now, if it is due (not attempted within ``every``) and
    no other process holds it. The check and the claim are one write transaction (SQLite's
    write lock, PostgreSQL's advisory lock), so of several replicas exactly one wins."""
    with write_transaction(engine, lock_timeout) as conn:
        row = conn.execute(select(PullSourceRow.attempted_at, PullSourceRow.claimed_until)
                           .where(PullSourceRow.name == name)).first()
        if row is not None:
            if row.claimed_until is not None and row.claimed_until > now:
                return False
            if row.attempted_at is not None and row.attempted_at + every > now:
                return False
            conn.execute(update(PullSourceRow).where(PullSourceRow.name == name)
                         .values(claimed_until=now + lease))
        else:
            conn.execute(insert(PullSourceRow).values(name=name, claimed_until=now + lease,
                                                      skipped={"items": []}))
        return True
