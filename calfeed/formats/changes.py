"""What changed since an instant (the API's ``updated_since``), for partners who mirror the
data: changed entries are the live ones with a newer ``last_modified`` (a cancellation is a
change); removed ones are the snapshot's tombstones. Pure."""

from __future__ import annotations

from datetime import UTC, datetime

from ..model import Snapshot


def utc_text(value: datetime) -> str:
    """An instant as the API writes it: UTC, whole seconds, "Z"."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def removed_since(snapshot: Snapshot, since: datetime) -> list[dict[str, str]]:
    """Tombstones of entries removed after ``since``, oldest first: a mirror deletes these.
    Not narrowed by a query's filters (a removed entry's content is gone); an id the mirror
    never had is one it can ignore."""
    return [{"id": gone.id, "removed": utc_text(gone.at)}
            for gone in snapshot.removed if gone.at > since]
