"""Apply a validated source to the database: one transaction, revisions, tombstones."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from ..errors import Problem
from ..model import Entry, Source
from ..partners import with_pulled
from ..recurrence import last_end, span_instants
from .db import LOCK_TIMEOUT, write_transaction
from .pulled import pulled_entries
from .tables import EntryRow, EntryTag, State, SyncRun


@dataclass(frozen=True, slots=True)
class SyncReport:
    revision: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = field(default=(), repr=False)
    calendar_changed: bool = False

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.restored
                    or self.calendar_changed)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed, {len(self.restored)} restored, "
                f"{len(self.unchanged)} unchanged (revision {self.revision})")


def content_hash(content: Any) -> str:
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def calendar_content(source: Source) -> dict[str, Any]:
    cal = source.calendar
    return {
        "calendar": {
            "title": cal.title, "uid_domain": cal.uid_domain, "description": cal.description,
            "timezone": cal.timezone, "language": cal.language, "base_url": cal.base_url,
            "author": {"name": cal.author.name, "email": cal.author.email},
            "past_days": cal.past_days,
            # Only when set, so a calendar in one language keeps its content (and revision).
            **({"languages": list(cal.languages)} if cal.languages else {}),
            **({"translations": [list(t) for t in cal.translations]} if cal.translations
               else {}),
            # only when declared, so a calendar without a vocabulary hashes as it always did
            **({"tag_labels": [list(t) for t in cal.tag_labels]} if cal.tag_labels else {}),
        },
        "feeds": {
            name: {"title": f.title, "description": f.description, "types": list(f.types),
                   "tags": list(f.tags),
                   **({"translations": [list(t) for t in f.translations]} if f.translations
                      else {})}
            for name, f in source.feeds.items() if name != "all"
        },
    }


Check = Callable[[SyncReport, int], None]


def sync(engine: Engine, source: Source, now: datetime, source_name: str = "", *,
         lock_timeout: float = LOCK_TIMEOUT, check: Check | None = None) -> SyncReport:
    """Make the database match ``source``. Unchanged input changes nothing but the run log.

    An edited entry gets ``sequence + 1`` and ``last_modified = now``; a missing one becomes a
    tombstone; a restored id continues its old sequence. Runs under the sync lock, so two syncs
    at once serialise instead of interleaving; SyncBusyError when the other one holds it for
    more than ``lock_timeout`` seconds. ``check`` sees the report and how many entries were
    live before, inside the transaction, and may refuse it by raising.
    """
    with write_transaction(engine, lock_timeout) as conn:
        live = conn.execute(select(func.count()).select_from(EntryRow)
                            .where(EntryRow.deleted.is_(False))).scalar_one()
        report = _apply(conn, source, now)
        if check is not None:
            check(report, live)  # raising rolls the whole sync back
        _log(conn, now, source_name, report=report)
    return report


def record_failure(engine: Engine, now: datetime, source_name: str,
                   problems: Sequence[Problem | str], *,
                   lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Remember a rejected sync (for /healthz) without touching any data."""
    with write_transaction(engine, lock_timeout) as conn:
        message = "\n".join(str(p) for p in problems) or "invalid source"
        _log(conn, now, source_name, message=message)


def _apply(conn: Connection, source: Source, now: datetime) -> SyncReport:
    source = with_pulled(source, pulled_entries(conn, source.sources))
    state = conn.execute(select(State).where(State.id == 1)).mappings().first()
    known = {row.id: row for row in conn.execute(
        select(EntryRow.id, EntryRow.content_hash, EntryRow.sequence, EntryRow.deleted,
               EntryRow.last_modified))}
    added: list[str] = []
    changed: list[str] = []
    restored: list[str] = []
    unchanged: list[str] = []
    inserts: list[dict[str, Any]] = []
    updates: list[tuple[str, dict[str, Any]]] = []

    for entry in source.entries:
        content = entry.content()
        digest = content_hash(content)
        row = known.get(entry.id)
        if row is None:
            added.append(entry.id)
            inserts.append({**_columns(entry, content, digest), "id": entry.id,
                            "first_seen": now, "last_modified": now, "sequence": 0,
                            "deleted": False})
        elif row.deleted or row.content_hash != digest:
            (restored if row.deleted else changed).append(entry.id)
            updates.append((entry.id, {**_columns(entry, content, digest), "deleted": False,
                                       "sequence": row.sequence + 1,
                                       "last_modified": max(now, row.last_modified)}))
        else:
            unchanged.append(entry.id)

    live_ids = {e.id for e in source.entries}
    removed = sorted(i for i, row in known.items() if not row.deleted and i not in live_ids)

    if inserts:
        conn.execute(insert(EntryRow), inserts)
    for entry_id, values in updates:
        conn.execute(update(EntryRow).where(EntryRow.id == entry_id).values(**values))
    if removed:
        conn.execute(update(EntryRow).where(EntryRow.id.in_(removed))
                     .values(deleted=True, last_modified=now))
    retagged = [*added, *changed, *restored]
    if retagged:
        by_id = {e.id: e for e in source.entries}
        conn.execute(delete(EntryTag).where(EntryTag.entry_id.in_(retagged)))
        tags = [{"entry_id": i, "tag": t} for i in retagged for t in sorted(set(by_id[i].tags))]
        if tags:
            conn.execute(insert(EntryTag), tags)

    calendar = calendar_content(source)
    calendar_digest = content_hash(calendar)
    calendar_changed = state is None or state["calendar_hash"] != calendar_digest
    revision = state["revision"] if state else 0
    if calendar_changed or inserts or updates or removed:
        revision += 1
        changed_at = max(now, state["changed_at"]) if state else now
        values = {"revision": revision, "changed_at": changed_at, "calendar": calendar,
                  "calendar_hash": calendar_digest}
        if state is None:
            conn.execute(insert(State).values(id=1, **values))
        else:
            conn.execute(update(State).where(State.id == 1).values(**values))
    return SyncReport(revision, tuple(added), tuple(changed), tuple(removed), tuple(restored),
                      tuple(unchanged), calendar_changed)


def _columns(entry: Entry, content: dict[str, Any], digest: str) -> dict[str, Any]:
    starts_at, _ = span_instants(entry.start, entry.end, entry.timezone)
    searchable = (entry.title, entry.description, entry.organizer, entry.location)
    return {
        "content": content,
        "content_hash": digest,
        "type": entry.type,
        "status": entry.status,
        "starts_at": starts_at,
        "ends_at": last_end(entry),
        "search_text": "\n".join(s for s in searchable if s).casefold(),
    }


def _log(conn: Connection, now: datetime, source_name: str, *,
         report: SyncReport | None = None, message: str = "") -> None:
    revision = report.revision if report else (
        conn.execute(select(State.revision).where(State.id == 1)).scalar() or 0)
    conn.execute(insert(SyncRun).values(
        started_at=now, finished_at=now, source=source_name[:500], ok=report is not None,
        revision=revision,
        added=len(report.added) + len(report.restored) if report else 0,
        changed=len(report.changed) if report else 0,
        removed=len(report.removed) if report else 0,
        unchanged=len(report.unchanged) if report else 0,
        message=message))
