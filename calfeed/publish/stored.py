"""The database's copy of the pieces: the writer keeps every live entry's canonical pieces
(``keep_pieces``), so a replica that starts, or loads a new revision, assembles its feeds
without rendering (``warm``).

Only writers write: ``keep_pieces`` runs after sync's transaction and renders what is new or
stale (an unchanged sync renders nothing, whatever the day; a one-entry edit one piece per
kind); public endpoints only read. A reader matches rows by digest and day, so rows rendered
for another site URL, version or day (a recurring entry's Atom/RSS title names its next date)
are simply not used: the reader renders those in memory.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import SyncBusyError
from ..formats.context import RenderContext
from ..localtime import zone
from ..model import Snapshot
from ..store import pieces as stored
from ..store.db import LOCK_TIMEOUT, read_transaction, write_transaction
from .keys import PieceMaker, canonical_makers
from .memory import PieceCache
from .sites import site_url

log = logging.getLogger("calfeed.sync")


def _plan(conn: Connection, now: datetime, base_url: str | None
          ) -> tuple[set[str], set[str], list[tuple[PieceMaker, str]]]:
    """What the table should hold for the data as it is now (digests), what it holds, and
    the (maker, entry id) of each wanted piece it does not hold."""
    calendar, revisions = stored.live_revisions(conn)
    ctx = RenderContext(site_url(base_url, calendar),
                        now.astimezone(zone(calendar.timezone)).date())
    held = stored.held_digests(conn)
    wanted: set[str] = set()
    todo: list[tuple[PieceMaker, str]] = []
    for maker in canonical_makers(calendar, ctx):
        for rev in revisions:
            digest = maker.digest_of(rev.entry_id, rev.sequence, rev.last_modified,
                                     rev.first_seen)
            wanted.add(digest)
            if digest not in held:
                todo.append((maker, rev.entry_id))
    return wanted, held, todo


def keep_pieces(engine: Engine, now: datetime, base_url: str | None, *,
                lock_timeout: float = LOCK_TIMEOUT) -> Counter[str]:
    """Make the table hold exactly the canonical pieces of the live entries: render the
    missing and stale ones, delete the rest. Returns renders per kind.

    Runs after sync's own transaction and renders outside any lock (a first sync of 10,000
    entries renders for seconds; other writers need not wait), then stores, in a short write
    transaction, only what is still wanted then: a sync that landed meanwhile keeps its own.
    Until then a replica renders what it misses in memory, as it would anyway.
    """
    with read_transaction(engine) as conn:
        wanted, held, todo = _plan(conn, now, base_url)
        entries = stored.published_entries(conn, {entry_id for _, entry_id in todo})
    if not todo and held <= wanted:
        return Counter()
    rows: list[dict[str, Any]] = []
    rendered: Counter[str] = Counter()
    for maker, entry_id in todo:
        published = entries[entry_id]
        try:
            body = maker.render(published)
        except Exception:
            # Best effort: the data is synced whatever happens here. A reader renders what is
            # missing itself (and a bug there is then one feed's 500, not a stuck sync).
            log.exception("could not render the %s piece of '%s'", maker.kind, entry_id)
            continue
        rows.append({"kind": maker.kind, "entry_id": entry_id, "digest": maker.digest(published),
                     "day": maker.day(published), "body": body})
        rendered[maker.kind] += 1
    try:
        with write_transaction(engine, lock_timeout) as conn:
            wanted, held, _ = _plan(conn, now, base_url)
            # Rows of removed entries, of old revisions, or for another site URL.
            stored.delete_pieces(conn, held - wanted)
            stored.insert_pieces(conn, [r for r in rows
                                        if r["digest"] in wanted and r["digest"] not in held])
    except SyncBusyError as exc:
        # The data is synced; only the warm start of replicas waits for the next sync.
        log.warning("rendered pieces not stored: %s", exc)
    if rendered:
        log.info("rendered %d pieces (%s)", rendered.total(),
                 ", ".join(f"{kind} {n}" for kind, n in sorted(rendered.items())))
    return rendered


def warm(engine: Engine, cache: PieceCache, snapshot: Snapshot, ctx: RenderContext) -> None:
    """Put into ``cache`` the pieces the writer stored for this snapshot's entries, so the
    first requests assemble instead of render. Any that are missing or were rendered for
    another site URL or day are rendered in memory when first asked for; a database error
    here only costs those renders."""
    makers = canonical_makers(snapshot.calendar, ctx)
    try:
        found = stored.load_pieces(engine, {
            m.kind: cache.missing(m, snapshot.entries) for m in makers})
    except SQLAlchemyError:
        log.exception("could not load stored pieces; rendering them instead")
        return
    for maker in makers:
        cache.preload(maker, found.get(maker.kind, ()))
