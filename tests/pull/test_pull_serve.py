"""`calfeed serve` pulls each source on its `every`, once among replicas sharing a database,
and /healthz shows each source's last pull."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from calfeed.settings import Settings
from calfeed.store import create_db_engine
from calfeed.store.pulled import PullState, claim, record_pull
from calfeed.web import create_app
from tests.conftest import NOW
from tests.support.clock import MovableClock
from tests.support.upstream import Upstream, serve_upstream

DATA = Path(__file__).parent.parent / "data" / "pull"


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[Upstream]:
    shutil.copytree(DATA, tmp_path / "up")
    with serve_upstream(tmp_path / "up") as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, settings: Settings) -> str:
    if request.param == "sqlite":
        return settings.database_url
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_of_replicas_claiming_a_due_source_exactly_one_wins(database_url: str) -> None:
    engine = create_db_engine(database_url)
    try:
        every, lease = timedelta(hours=6), timedelta(minutes=2)
        assert claim(engine, "rvts-ost", NOW, every, lease)
        assert not claim(engine, "rvts-ost", NOW, every, lease)  # another replica
        record_pull(engine, PullState("rvts-ost", attempted_at=NOW), None)  # done: released
        assert not claim(engine, "rvts-ost", NOW + timedelta(hours=1), every, lease)  # not due
        assert claim(engine, "rvts-ost", NOW + every, every, lease)
        # A claim whose puller died runs out with its lease.
        assert claim(engine, "rvts-ost", NOW + every + lease + timedelta(seconds=1), every,
                     lease)
    finally:
        engine.dispose()


def _file(upstream: Upstream) -> str:
    return f"""calendar:
  title: KOM
  uid_domain: kalender.example.no
sources:
  google:
    url: {upstream.url("google.ics")}
    format: ics
    every: 1h
  broken:
    url: {upstream.url("google.ics", "error")}
    format: ics
"""


def _until(check: Any, within: float = 30.0) -> Any:
    deadline = time.monotonic() + within
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError("not within the time")
        time.sleep(0.1)


def test_serve_pulls_due_sources_once_among_replicas_and_healthz_shows_each(
        upstream: Upstream, settings: Settings, database_url: str, tmp_path: Path) -> None:
    local = settings.model_copy(update={"pull_allow_private": True, "pull_timeout": 2.0,
                                        "database_url": database_url})
    local.data.write_text(_file(upstream), encoding="utf-8")
    first, second = (create_app(local, clock=MovableClock(NOW), watch=True) for _ in range(2))
    with TestClient(first) as one, TestClient(second) as two:
        health = _until(lambda: (lambda h: h if len(h["sources"]) == 2 else None)(
            one.get("/healthz").json()))
        by_name = {s["name"]: s for s in health["sources"]}
        assert by_name["google"]["outcome"] == "applied"
        assert by_name["google"]["http"].startswith("HTTP 200")
        assert by_name["google"]["entries"] == 7
        assert by_name["broken"]["outcome"] == "kept"
        assert by_name["broken"]["problem"] == "HTTP 500 Internal Server Error"
        # Both replicas serve what one of them pulled.
        for client in (one, two):
            _until(lambda c=client: len(c.get("/api/v1/events", params={
                "source": "google", "from": "2024-08-01"}).json()["items"]) == 7)
        for app in (first, second):
            app.state.puller.wait(10)
    # Each file was asked for once, by one of the two, though both ticked many times.
    assert len(upstream.statuses("google.ics")) == 2  # the plain one and the failing one
    assert sorted(upstream.statuses("google.ics")) == [200, 500]
