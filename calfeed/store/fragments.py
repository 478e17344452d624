"""Fragments in the database: ``sync`` keeps every live entry's rendered fragments, so a replica
that starts, or loads a new revision, assembles its feeds without rendering.

Only writers write: ``keep_fragments`` runs after sync's transaction and renders what is new
or stale (an unchanged sync renders nothing, whatever the day; a one-entry edit one fragment
per kind); public endpoints only read (``load_fragments``). A reader matches rows by digest and
day, so rows rendered for another site URL, version or day (a recurring entry's Atom/RSS title
names its next date) are simply not used: the reader renders those in memory.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, insert, select

from ..errors import SyncBusyError
from ..formats.context import RenderContext
from ..formats.fragments import FragmentKey, Scope, canonical_scopes, site_url
from ..model import Published, zone
from .db import LOCK_TIMEOUT, read_transaction, write_transaction
from .read import PUBLISHED_COLUMNS, calendar_from_state, published_from_row
from .tables import EntryRow, FragmentRow, State

log = logging.getLogger("calfeed.sync")
_CHUNK = 500  # ids per IN (...): well under every database's limit on parameters
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the table should hold for the data as it is now, and what it holds."""

    wanted: set[str]  # digests of every live entry's canonical fragments
    held: set[str]  # digests in the table
    todo: list[tuple[Scope, str]]  # (scope, entry id) of wanted fragments not held


def keep_fragments(engine: Engine, now: datetime, base_url: str | None, *,
                   lock_timeout: float = LOCK_TIMEOUT) -> Counter[str]:
    """Make the table hold exactly the canonical fragments of the live entries: render the
    missing and stale ones, delete the rest. Returns renders per kind.

    Runs after sync's own transaction and renders outside any lock (a first sync of 10,000
    entries renders for seconds; other writers need not wait), then stores, in a short write
    transaction, only what is still wanted then: a sync that landed meanwhile keeps its own.
    Until then a replica renders what it misses in memory, as it would anyway.
    """
    with read_transaction(engine) as conn:
        plan = _plan(conn, now, base_url)
        stored = _stored_entries(conn, {entry_id for _, entry_id in plan.todo})
    if not plan.todo and plan.held <= plan.wanted:
        return Counter()
    rows: list[dict[str, Any]] = []
    rendered: Counter[str] = Counter()
    for scope, entry_id in plan.todo:
        published = stored[entry_id]
        try:
            body = scope.render(published)
        except Exception:
            # Best effort: the data is synced whatever happens here. A reader renders what is
            # missing itself (and a bug there is then one feed's 500, not a stuck sync).
            log.exception("could not render the %s fragment of '%s'", scope.kind, entry_id)
            continue
        rows.append({"kind": scope.kind, "entry_id": entry_id, "digest": scope.digest(published),
                     "day": scope.day(published), "body": body})
        rendered[scope.kind] += 1
    try:
        with write_transaction(engine, lock_timeout) as conn:
            plan = _plan(conn, now, base_url)
            # Rows of removed entries, of old revisions, or for another site URL.
            for chunk in _chunks(sorted(plan.held - plan.wanted)):
                conn.execute(delete(FragmentRow).where(FragmentRow.digest.in_(chunk)))
            fresh = [r for r in rows if r["digest"] in plan.wanted and r["digest"] not in plan.held]
            for batch in _chunks(fresh):
                conn.execute(insert(FragmentRow), batch)
    except SyncBusyError as exc:
        # The data is synced; only the warm start of replicas waits for the next sync.
        log.warning("rendered fragments not stored: %s", exc)
    if rendered:
        log.info("rendered %d fragments (%s)", rendered.total(),
                 ", ".join(f"{kind} {n}" for kind, n in sorted(rendered.items())))
    return rendered


def _plan(conn: Connection, now: datetime, base_url: str | None) -> _Plan:
    state = conn.execute(select(State.calendar).where(State.id == 1)).scalar_one()
    calendar, _ = calendar_from_state(state)
    ctx = RenderContext(site_url(base_url, calendar),
                        now.astimezone(zone(calendar.timezone)).date())
    stamps = {row.id: row for row in conn.execute(
        select(EntryRow.id, EntryRow.first_seen, EntryRow.last_modified, EntryRow.sequence)
        .where(EntryRow.deleted.is_(False)).order_by(EntryRow.id))}
    held = set(conn.execute(select(FragmentRow.digest)).scalars())
    wanted: set[str] = set()
    todo: list[tuple[Scope, str]] = []
    for scope in canonical_scopes(calendar, ctx):
        for entry_id, stamp in stamps.items():
            digest = scope.digest_of(entry_id, stamp.sequence, stamp.last_modified,
                                     stamp.first_seen)
            wanted.add(digest)
            if digest not in held:
                todo.append((scope, entry_id))
    return _Plan(wanted, held, todo)


def load_fragments(engine: Engine, wanted: Mapping[str, Mapping[str, date | None]]
                   ) -> dict[str, list[tuple[FragmentKey, bytes]]]:
    """The stored fragments asked for as kind → {digest: day}, per kind: ((digest, day),
    bytes). A row rendered for another day is not one of them."""
    found: dict[str, list[tuple[FragmentKey, bytes]]] = {}
    with read_transaction(engine) as conn:
        for kind, days in wanted.items():
            for chunk in _chunks(sorted(days)):
                found.setdefault(kind, []).extend(
                    ((row.digest, row.day), bytes(row.body)) for row in conn.execute(
                        select(FragmentRow.digest, FragmentRow.day, FragmentRow.body)
                        .where(FragmentRow.kind == kind, FragmentRow.digest.in_(chunk)))
                    if row.day == days[row.digest])
    return found


def _stored_entries(conn: Connection, ids: set[str]) -> dict[str, Published]:
    """Entries as ``load_snapshot`` builds them."""
    result = {}
    for chunk in _chunks(sorted(ids)):
        for row in conn.execute(select(EntryRow.id, *PUBLISHED_COLUMNS)
                                .where(EntryRow.id.in_(chunk))):
            result[row.id] = published_from_row(row)
    return result


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start: start + _CHUNK]
