"""Engines and transactions: SQLite tuned for one writer and many readers, or PostgreSQL."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ..errors import SyncBusyError
from .tables import Base

# Any constant works; it only has to be the same in every process that syncs.
_SYNC_LOCK_KEY = 0x6361_6C66_6565_64  # "calfeed"
# Seconds a writer waits for another writer (a sync, or `calfeed serve` syncing an edit).
LOCK_TIMEOUT = 30.0
CONNECT_TIMEOUT = 5  # seconds to get a PostgreSQL connection, unless the URL says otherwise
_SQLITE_BUSY = 5  # sqlite3.SQLITE_BUSY: the busy timeout ran out
_PG_LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE when lock_timeout runs out


def create_db_engine(url: str, *, schema_now: bool = True) -> Engine:
    """Create an engine and the schema. SQLite files get their folder created and WAL mode.
    With ``schema_now=False`` (the server: it must start while the database is away) nothing
    connects yet; the schema is made by the first transaction that gets a connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, parsed.database)
    else:
        # libpq waits for ever for a server that accepts and never answers (a hung host, a
        # network cut that drops packets): the server would never start listening, and every
        # request would queue behind it. A URL's own connect_timeout wins.
        bounded = {} if "connect_timeout" in parsed.query else {
            "connect_timeout": CONNECT_TIMEOUT}
        engine = create_engine(url, pool_pre_ping=True, connect_args=bounded)
    if schema_now:
        ensure_schema(engine)
    return engine


_with_schema: weakref.WeakSet[Engine] = weakref.WeakSet()
_schema_lock = threading.Lock()


def ensure_schema(engine: Engine) -> None:
    """Create the tables that are missing, once per engine; raises SQLAlchemyError (and
    tries again next time) while the database cannot be reached."""
    if engine in _with_schema:
        return
    with _schema_lock:  # two threads of a server racing to create one table would fail one
        if engine not in _with_schema:
            Base.metadata.create_all(engine)
            _with_schema.add(engine)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False,
                                              "timeout": LOCK_TIMEOUT})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_millis(LOCK_TIMEOUT)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock up front, so two syncs queue instead of one failing
        # with "database is locked" halfway through.
        options = conn.get_execution_options()
        # Set every time: the pooled connection may come from a writer with another limit.
        timeout = options.get("calfeed_lock_timeout", LOCK_TIMEOUT)
        conn.exec_driver_sql(f"PRAGMA busy_timeout={_millis(timeout)}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("calfeed_write") else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine, lock_timeout: float = LOCK_TIMEOUT) -> Iterator[Connection]:
    """One transaction that is the only writer: SQLite's write lock or a PostgreSQL advisory
    lock, held until commit. Waits up to ``lock_timeout`` seconds for another writer to finish,
    then raises SyncBusyError (instead of SQLite's bare "database is locked", or PostgreSQL
    waiting for ever)."""
    ensure_schema(engine)
    try:
        with engine.connect().execution_options(
            calfeed_write=True, calfeed_lock_timeout=lock_timeout
        ) as conn, conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT set_config('lock_timeout', :limit, true)"),
                             {"limit": f"{_millis(lock_timeout)}ms"})
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SYNC_LOCK_KEY})
                # The limit is for waiting on another sync, not for the sync's own statements.
                conn.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")
            yield conn
    except DBAPIError as exc:
        if not _lock_wait_ran_out(exc):
            raise
        raise SyncBusyError(
            f"another `calfeed sync` or `calfeed serve` is writing to {describe(engine.url)} "
            f"(waited {lock_timeout:g} s for it to finish); try again when it has, or stop it"
        ) from exc


def describe(url: URL) -> str:
    """The database as an operator would name it: a SQLite file's path, else the URL without
    its password and connection options."""
    if url.get_backend_name() == "sqlite":
        return str(url.database or ":memory:")
    return url.set(query={}).render_as_string(hide_password=True)


def _lock_wait_ran_out(exc: DBAPIError) -> bool:
    original = exc.orig
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        return (code & 0xFF) == _SQLITE_BUSY  # extended codes keep the primary in the low byte
    return bool(getattr(original, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE)


def _millis(seconds: float) -> int:
    # At least 1: 0 means "wait for ever" to PostgreSQL and "never wait" to SQLite.
    return max(1, round(seconds * 1000))


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent read: everything read inside sees the same committed revision."""
    ensure_schema(engine)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn
