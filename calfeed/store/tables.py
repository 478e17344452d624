"""The database schema. The YAML is the truth; these tables add what it cannot remember."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always gives back aware datetimes, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class EntryRow(Base):
    """One entry ever seen. ``deleted`` marks a tombstone: the id stays reserved and keeps its
    sequence, so restoring it continues where it left off."""

    __tablename__ = "entries"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    content: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime]
    # When the last occurrence ends; NULL for a rule that repeats forever.
    ends_at: Mapped[datetime | None]
    search_text: Mapped[str] = mapped_column(Text)  # lower-cased title, description, organizer…
    first_seen: Mapped[datetime]
    last_modified: Mapped[datetime]
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_entries_live_window", "deleted", "starts_at", "ends_at"),
        Index("ix_entries_live_type", "deleted", "type"),
    )


class EntryTag(Base):
    __tablename__ = "entry_tags"

    entry_id: Mapped[str] = mapped_column(
        ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class State(Base):
    """One row: the current data revision and the calendar-level settings of the source."""

    __tablename__ = "state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime]
    calendar: Mapped[dict[str, Any]]  # {"calendar": {...}, "feeds": {...}}
    calendar_hash: Mapped[str] = mapped_column(String(64))


class SyncRun(Base):
    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(500))
    ok: Mapped[bool]
    revision: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")


class PieceRow(Base):
    """Each live entry's rendered pieces (VEVENT, Atom entry, RSS item, JSON item) as bytes,
    written by the publishing pipeline (``calfeed.publish.stored``) so a replica that starts
    (or loads a new revision) serves without rendering. ``digest`` names everything the
    bytes depend on but the day; ``day`` is set for the few that also depend on the day they
    were rendered for (a recurring entry's Atom/RSS title). A reader uses a row only when
    both are what it would render. (The table keeps its first name, "fragments".)"""

    __tablename__ = "entry_fragments"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    entry_id: Mapped[str] = mapped_column(
        ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date | None] = mapped_column(Date)
    body: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_entry_fragments_digest", "digest"),)


class PullSourceRow(Base):
    """Each partner source's last pull: the HTTP validators of its last good answer, what
    happened, and who is pulling it now (``claimed_until``: replicas pull a source once)."""

    __tablename__ = "pull_sources"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    url: Mapped[str] = mapped_column(Text, default="")
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified_header: Mapped[str | None] = mapped_column(String(100))
    attempted_at: Mapped[datetime | None]
    good_at: Mapped[datetime | None]  # the last answer that was used (or was a 304)
    outcome: Mapped[str] = mapped_column(String(20), default="")  # applied/unchanged/kept
    http: Mapped[str] = mapped_column(Text, default="")  # "200, 12.3 kB", "failed: …"
    summary: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str | None] = mapped_column(Text)  # why the last good entries were kept
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    claimed_until: Mapped[datetime | None]


class PulledEntryRow(Base):
    """An entry a partner source brought, as its last good pull left it; merged with the
    editor's entries by every sync. ``vanished_at``: upstream stopped listing it, so it is
    kept as cancelled until it has ended."""

    __tablename__ = "pulled_entries"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    content: Mapped[dict[str, Any]]
    upstream_uid: Mapped[str] = mapped_column(Text)
    upstream_url: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime]
    vanished_at: Mapped[datetime | None]
