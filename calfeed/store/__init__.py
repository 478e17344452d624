"""The database: the only place that knows SQL. Derived from the source by ``sync``."""

from .db import create_db_engine
from .read import SyncStatus, current_revision, last_sync, live_entry_count, load_snapshot
from .sync import SyncReport, record_failure, sync

__all__ = [
    "SyncReport",
    "SyncStatus",
    "create_db_engine",
    "current_revision",
    "last_sync",
    "live_entry_count",
    "load_snapshot",
    "record_failure",
    "sync",
]
