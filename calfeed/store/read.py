"""Reading the published state: the whole snapshot, or just whether it moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from ..model import Author, CalendarInfo, Entry, FeedDef, Published, Removed, Snapshot, Texts
from .db import read_transaction
from .tables import EntryRow, State, SyncRun


def current_revision(engine: Engine) -> int:
    """The data revision, 0 before the first sync. Cheap: replicas poll it."""
    with read_transaction(engine) as conn:
        return conn.execute(select(State.revision).where(State.id == 1)).scalar() or 0


def load_snapshot(engine: Engine) -> Snapshot | None:
    """Everything published, read in one transaction; None before the first sync."""
    with read_transaction(engine) as conn:
        state = conn.execute(select(State).where(State.id == 1)).mappings().first()
        if state is None:
            return None
        rows = conn.execute(
            select(*PUBLISHED_COLUMNS)
            .where(EntryRow.deleted.is_(False))
            .order_by(EntryRow.starts_at, EntryRow.id)
        ).all()
        # A removal sets the tombstone's last_modified to when it happened, and keeps the
        # content it had (what a filtered view matches a tombstone against).
        gone = conn.execute(
            select(EntryRow.id, EntryRow.last_modified, EntryRow.content)
            .where(EntryRow.deleted.is_(True))
            .order_by(EntryRow.last_modified, EntryRow.id)
        ).all()
    calendar, feeds = calendar_from_state(state["calendar"])
    entries = tuple(published_from_row(row) for row in rows)
    removed = tuple(Removed(row.id, row.last_modified, Entry.from_content(row.content))
                    for row in gone)
    return Snapshot(state["revision"], state["changed_at"], calendar, feeds, entries, removed)


PUBLISHED_COLUMNS = (EntryRow.content, EntryRow.first_seen, EntryRow.last_modified,
                     EntryRow.sequence)


def published_from_row(row: Any) -> Published:
    """A published entry from a row with ``PUBLISHED_COLUMNS``."""
    return Published(Entry.from_content(row.content), row.first_seen, row.last_modified,
                     row.sequence)


def calendar_from_state(data: dict[str, object]) -> tuple[CalendarInfo, dict[str, FeedDef]]:
    """The calendar and its feeds from the state row, as sync stored them."""
    cal = dict(data["calendar"])  # type: ignore[call-overload]
    author = cal.pop("author") or {}
    cal["languages"] = tuple(cal.get("languages") or ())
    cal["translations"] = _texts(cal.get("translations"))
    cal["tag_labels"] = tuple(tuple(t) for t in cal.get("tag_labels") or ())
    info = CalendarInfo(**cal, author=Author(author.get("name"), author.get("email")))
    feeds = {"all": FeedDef("all", info.title, info.description,
                            translations=info.translations)}
    for name, f in dict(data["feeds"]).items():  # type: ignore[call-overload]
        feeds[name] = FeedDef(name, f["title"], f.get("description"), tuple(f["types"]),
                              tuple(f["tags"]), _texts(f.get("translations")))
    return info, feeds


def _texts(stored: Any) -> Texts:
    return tuple((lang, field, text) for lang, field, text in stored or ())


@dataclass(frozen=True, slots=True)
class SyncStatus:
    at: datetime
    ok: bool
    revision: int
    source: str
    added: int
    changed: int
    removed: int
    unchanged: int
    message: str


def last_sync(engine: Engine) -> SyncStatus | None:
    with read_transaction(engine) as conn:
        row = conn.execute(select(SyncRun).order_by(SyncRun.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    return SyncStatus(row["finished_at"], row["ok"], row["revision"], row["source"], row["added"],
                      row["changed"], row["removed"], row["unchanged"], row["message"])


def live_entry_count(engine: Engine) -> int:
    with read_transaction(engine) as conn:
        return conn.execute(
            select(func.count()).select_from(EntryRow).where(EntryRow.deleted.is_(False))
        ).scalar_one()
