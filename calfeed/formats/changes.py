"""What changed since an instant (the API's ``updated_since``), for partners who mirror the
data: changed entries are the live ones with a newer ``last_modified`` (a cancellation is a
change); removed ones are the snapshot's tombstones (which of them a view reports, and on
which page, is apiquery's ``changed_rows``). Pure."""

from __future__ import annotations

from datetime import UTC, datetime

from ..model import Removed


def utc_text(value: datetime) -> str:
    """An instant as the API writes it: UTC, whole seconds, "Z"."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tombstone(gone: Removed) -> dict[str, str]:
    """A removal as the API lists it: a mirror deletes this id."""
    return {"id": gone.id, "removed": utc_text(gone.at)}
