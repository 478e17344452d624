"""A sync that cannot get the write lock (another sync, or `calfeed serve` syncing an edit, holds
it) waits ``lock_timeout`` seconds, then gives up with SyncBusyError naming the database and
what to do, having changed nothing. Before, SQLite said a bare "database is locked" after 30 s
and PostgreSQL waited for ever.

The holder is a second, real connection: on both backends another engine in the middle of its
own write transaction (as a second process would be); on SQLite also a plain sqlite3 connection
holding BEGIN IMMEDIATE, as the sqlite3 shell or a backup script would.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from calfeed.errors import Problem, SyncBusyError
from calfeed.settings import Settings
from calfeed.source import parse_source
from calfeed.store import create_db_engine, last_sync, load_snapshot, record_failure, sync
from calfeed.store.db import write_transaction
from tests.conftest import DATA, NOW

BASE = parse_source((DATA / "sync_base.yaml").read_text(encoding="utf-8")).source
EDITED = parse_source((DATA / "sync_base.yaml").read_text(encoding="utf-8")
                      .replace("location: Digitalt", "location: Oslo")).source
LATER = NOW + timedelta(minutes=5)
PATIENCE = 0.5


@contextmanager
def another_writer(engine_url: str) -> Iterator[None]:
    """Another process's sync, stopped half-way: its write transaction is open."""
    other = create_db_engine(engine_url)
    try:
        with write_transaction(other):
            yield
    finally:
        other.dispose()


def kurs_location(engine: Engine) -> str | None:
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    published = snapshot.entry("kurs-ungdom")
    assert published is not None
    return published.entry.location


def test_a_sync_gives_up_after_the_lock_timeout_and_says_who_holds_the_lock(
    engine: Engine, engine_url: str,
) -> None:
    sync(engine, BASE, NOW, "events.yaml")
    with another_writer(engine_url):
        started = time.monotonic()
        with pytest.raises(SyncBusyError) as raised:
            sync(engine, EDITED, LATER, "events.yaml", lock_timeout=PATIENCE)
        waited = time.monotonic() - started
    assert PATIENCE <= waited < PATIENCE + 5
    message = str(raised.value)
    assert "another `calfeed sync` or `calfeed serve` is writing to" in message
    assert "waited 0.5 s" in message
    assert "try again when it has, or stop it" in message
    # The database is named (a SQLite file by its path), but never with a password.
    url = make_url(engine_url)
    assert (url.database or "") in message
    assert "calfeed:calfeed@" not in message
    # Nothing changed, and once the other writer is done the same sync goes through.
    assert kurs_location(engine) == "Digitalt"
    assert sync(engine, EDITED, LATER, "events.yaml", lock_timeout=PATIENCE).changed == (
        "kurs-ungdom",)
    assert kurs_location(engine) == "Oslo"


def test_a_sync_waits_for_a_writer_that_finishes_within_the_timeout(
    engine: Engine, engine_url: str,
) -> None:
    sync(engine, BASE, NOW, "events.yaml")
    holding = threading.Event()
    release = threading.Event()

    def hold_briefly() -> None:
        with another_writer(engine_url):
            holding.set()
            release.wait(timeout=10)

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        threading.Timer(0.3, release.set).start()
        report = sync(engine, EDITED, LATER, "events.yaml", lock_timeout=10)
    finally:
        release.set()
        holder.join(timeout=10)
    assert report.changed == ("kurs-ungdom",)


def test_recording_a_rejected_file_is_bounded_too(engine: Engine, engine_url: str) -> None:
    sync(engine, BASE, NOW, "events.yaml")
    problem = Problem("events.yaml", 3, 5, "unknown key 'strat'")
    with another_writer(engine_url), pytest.raises(SyncBusyError):
        record_failure(engine, LATER, "events.yaml", [problem], lock_timeout=PATIENCE)
    status = last_sync(engine)
    assert status is not None and status.ok


def test_sqlite_held_by_a_plain_connection_with_begin_immediate(settings: Settings) -> None:
    engine = create_db_engine(settings.database_url)
    try:
        sync(engine, BASE, NOW, "events.yaml")
        path = make_url(settings.database_url).database
        assert path
        holder = sqlite3.connect(path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            with pytest.raises(SyncBusyError, match=f"is writing to {path} "):
                sync(engine, EDITED, LATER, "events.yaml", lock_timeout=PATIENCE)
            holder.execute("ROLLBACK")
        finally:
            holder.close()
        # The connection that gave up went back to the pool in working order.
        assert sync(engine, EDITED, LATER, "events.yaml").changed == ("kurs-ungdom",)
    finally:
        engine.dispose()


def test_postgresql_limits_only_the_wait_for_the_sync_lock(postgres_url: str) -> None:
    engine = create_db_engine(postgres_url)
    try:
        # Once the advisory lock is taken, the sync's own statements are not under the limit,
        # and the pooled connection keeps the server's setting.
        with write_transaction(engine, lock_timeout=PATIENCE) as conn:
            assert conn.execute(text("SHOW lock_timeout")).scalar_one() == "0"
        with engine.connect() as conn:
            assert conn.execute(text("SHOW lock_timeout")).scalar_one() == "0"
    finally:
        engine.dispose()
