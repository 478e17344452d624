"""Two syncs at once (a deploy hook and `calfeed serve` noticing the same edit, or two
replicas) must queue behind the sync lock: no error, no lost update, no half-applied state,
and readers never see a mix of two revisions.

Runs on SQLite and PostgreSQL (see conftest.py); on SQLite also with two engines (as two
processes would have) on the same file.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from calfeed.model import Snapshot, Source
from calfeed.source import parse_source
from calfeed.store import SyncReport, create_db_engine, load_snapshot, sync
from calfeed.store.tables import SyncRun
from tests.conftest import DATA, NOW

# Enough entries that each sync takes long enough for the others to arrive while it runs.
FILLER = "".join(
    f"  - id: seminar-{i:03d}\n    type: seminar\n    title: Seminar {i}\n"
    f"    start: 2024-09-{1 + i % 28:02d} 09:00\n    end: 2024-09-{1 + i % 28:02d} 15:00\n"
    for i in range(300)
)
BASE = (DATA / "sync_base.yaml").read_text(encoding="utf-8") + FILLER
# Two versions of the file that differ in one entry: each sync of the other one is an edit.
VERSIONS = [parse_source(BASE).source,
            parse_source(BASE.replace("location: Digitalt", "location: Oslo")).source]
SYNCS = 8
ENTRIES = 4 + 300


def run_at_once(engines: list[Engine], sources: list[Source]) -> list[SyncReport]:
    """Start every sync at the same moment, each on the next engine in turn."""
    barrier = threading.Barrier(len(sources))

    def one(i: int) -> SyncReport:
        barrier.wait(timeout=30)
        return sync(engines[i % len(engines)], sources[i], NOW + timedelta(minutes=i), f"run {i}")

    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        return list(pool.map(one, range(len(sources))))


def assert_consistent(snapshot: Snapshot) -> None:
    """Every revision after the first toggled the course's location once, and nothing else."""
    by_id = {p.entry.id: p for p in snapshot.entries}
    assert len(by_id) == ENTRIES
    kurs = by_id["kurs-ungdom"]
    assert kurs.entry.location in ("Digitalt", "Oslo")
    assert kurs.sequence == snapshot.revision - 1
    assert {p.sequence for i, p in by_id.items() if i != "kurs-ungdom"} == {0}


def check_outcome(engine: Engine, reports: list[SyncReport]) -> None:
    changing = sorted(r.revision for r in reports if r.changed_anything)
    # Each sync saw the one before it: revisions 1, 2, 3 … with no gap and no repeat, and
    # exactly one sync found the empty database.
    assert changing == list(range(1, len(changing) + 1))
    assert sum(1 for r in reports if r.added) == 1
    snapshot = load_snapshot(engine)
    assert snapshot is not None and snapshot.revision == len(changing)
    assert_consistent(snapshot)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SyncRun)).scalar_one() == len(reports)


def alternating() -> list[Source]:
    return [VERSIONS[i % 2] for i in range(SYNCS)]


def test_syncs_at_once_in_threads_queue_behind_the_lock(engine: Engine) -> None:
    reports = run_at_once([engine], alternating())
    check_outcome(engine, reports)


def test_two_engines_on_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engines = [create_db_engine(url), create_db_engine(url)]
    try:
        reports = run_at_once(engines, alternating())
        check_outcome(engines[1], reports)
    finally:
        for e in engines:
            e.dispose()


def test_readers_never_see_a_half_applied_sync(engine: Engine) -> None:
    sync(engine, VERSIONS[0], NOW, "first")
    stop = threading.Event()
    seen: list[int] = []
    failures: list[BaseException] = []

    def read_until_stopped() -> None:
        while not stop.is_set():
            try:
                snapshot = load_snapshot(engine)
                assert snapshot is not None
                assert_consistent(snapshot)
                seen.append(snapshot.revision)
            except BaseException as exc:  # report in the main thread
                failures.append(exc)
                return

    readers = [threading.Thread(target=read_until_stopped) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for i in range(1, SYNCS):
            sync(engine, VERSIONS[i % 2], NOW + timedelta(minutes=i), f"run {i}")
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    if failures:
        raise failures[0]
    assert seen, "the readers never got a snapshot"
    assert max(seen) <= SYNCS


def test_an_unchanged_file_synced_twice_at_once_changes_nothing(engine: Engine) -> None:
    sync(engine, VERSIONS[0], NOW, "first")
    reports = run_at_once([engine], [VERSIONS[0]] * 2)
    assert [r.changed_anything for r in reports] == [False, False]
    snapshot = load_snapshot(engine)
    assert snapshot is not None and snapshot.revision == 1

