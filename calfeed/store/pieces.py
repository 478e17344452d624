"""Rendered pieces in the database, as bytes: the table ``entry_fragments`` (the name of its
first release, kept so existing databases need no migration).

The store does not know what a piece is or how one is rendered (``calfeed.publish`` does):
it keeps rows of (kind, entry id, digest, day, body), says which digests it holds and which
entries are live at which revision, and gives back the bodies asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, insert, select

from ..model import CalendarInfo, Published
from .db import read_transaction
from .read import PUBLISHED_COLUMNS, calendar_from_state, published_from_row
from .tables import EntryRow, PieceRow, State

_CHUNK = 500  # ids per IN (...): well under every database's limit on parameters
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Revision:
    """A live entry's revision: what names its pieces."""

    entry_id: str
    sequence: int
    last_modified: datetime
    first_seen: datetime


def live_revisions(conn: Connection) -> tuple[CalendarInfo, list[Revision]]:
    """The calendar and every live entry's revision, by id."""
    state = conn.execute(select(State.calendar).where(State.id == 1)).scalar_one()
    calendar, _ = calendar_from_state(state)
    revisions = [Revision(row.id, row.sequence, row.last_modified, row.first_seen)
                 for row in conn.execute(
                     select(EntryRow.id, EntryRow.first_seen, EntryRow.last_modified,
                            EntryRow.sequence)
                     .where(EntryRow.deleted.is_(False)).order_by(EntryRow.id))]
    return calendar, revisions


def held_digests(conn: Connection) -> set[str]:
    return set(conn.execute(select(PieceRow.digest)).scalars())


def published_entries(conn: Connection, ids: Iterable[str]) -> dict[str, Published]:
    """Entries by id, as ``load_snapshot`` builds them."""
    result = {}
    for chunk in chunks(sorted(ids)):
        for row in conn.execute(select(EntryRow.id, *PUBLISHED_COLUMNS)
                                .where(EntryRow.id.in_(chunk))):
            result[row.id] = published_from_row(row)
    return result


def delete_pieces(conn: Connection, digests: Iterable[str]) -> None:
    for chunk in chunks(sorted(digests)):
        conn.execute(delete(PieceRow).where(PieceRow.digest.in_(chunk)))


def insert_pieces(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows of ``kind``, ``entry_id``, ``digest``, ``day`` and ``body``."""
    for batch in chunks(rows):
        conn.execute(insert(PieceRow), list(batch))


def load_pieces(engine: Engine, wanted: Mapping[str, Mapping[str, date | None]]
                ) -> dict[str, list[tuple[tuple[str, date | None], bytes]]]:
    """The stored pieces asked for as kind → {digest: day}, per kind: ((digest, day),
    bytes). A row rendered for another day is not one of them."""
    found: dict[str, list[tuple[tuple[str, date | None], bytes]]] = {}
    with read_transaction(engine) as conn:
        for kind, days in wanted.items():
            for chunk in chunks(sorted(days)):
                found.setdefault(kind, []).extend(
                    ((row.digest, row.day), bytes(row.body)) for row in conn.execute(
                        select(PieceRow.digest, PieceRow.day, PieceRow.body)
                        .where(PieceRow.kind == kind, PieceRow.digest.in_(chunk)))
                    if row.day == days[row.digest])
    return found


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start: start + _CHUNK]
