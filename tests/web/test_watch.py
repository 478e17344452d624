"""`calfeed serve` watches the source: an edit is synced within seconds, a broken edit is
reported at /healthz while the last good data keeps being served, and fixing it recovers.

Most tests drive one round of the watch loop by hand (`watcher.tick(watch=True)`) so they
are deterministic; one runs the real background loop.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from calfeed.publish import Watcher
from calfeed.settings import Settings
from calfeed.web import create_app
from tests.conftest import DATA
from tests.support.clock import MovableClock

BASE = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
BROKEN = (DATA / "invalid" / "several_mistakes.yaml").read_text(encoding="utf-8")


@pytest.fixture
def watching(settings: Settings, clock: MovableClock) -> Iterator[tuple[TestClient, Watcher]]:
    """A serving app that watches settings.data, after its first sync (as `serve` does)."""
    settings.data.write_text(BASE, encoding="utf-8")
    app: FastAPI = create_app(settings, clock=clock, watch=True)
    watcher: Watcher = app.state.watcher
    with TestClient(app) as client:  # publishes the file at start, as `serve` does
        yield client, watcher


def edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def served_locations(app: FastAPI) -> dict[str, str | None]:
    state = app.state.serving.load()
    assert state is not None
    snapshot = state.snapshot
    return {p.entry.id: p.entry.location for p in snapshot.entries}


def test_an_edit_is_synced_on_the_next_round(
    watching: tuple[TestClient, Watcher], settings: Settings, clock: MovableClock
) -> None:
    client, watcher = watching
    clock.advance(minutes=5)
    edit(settings.data, BASE.replace("location: Digitalt", "location: Oslo"))
    watcher.tick(watch=True)
    health = client.get("/healthz").json()
    assert (health["status"], health["revision"]) == ("ok", 2)
    assert health["last_sync"]["changed"] == 1
    assert health["last_sync"]["at"] == "2024-08-01T10:05:00Z"
    assert served_locations(client.app)["kurs-ungdom"] == "Oslo"


def test_an_untouched_file_is_not_synced_again(
    watching: tuple[TestClient, Watcher], clock: MovableClock
) -> None:
    client, watcher = watching
    clock.advance(minutes=5)
    watcher.tick(watch=True)
    # The last sync is still the first one: nothing re-read, nothing logged.
    assert client.get("/healthz").json()["last_sync"]["at"] == "2024-08-01T10:00:00Z"


def test_a_broken_edit_is_reported_and_the_last_good_data_is_served(
    watching: tuple[TestClient, Watcher], settings: Settings, clock: MovableClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, watcher = watching
    good = served_locations(client.app)
    clock.advance(minutes=5)
    edit(settings.data, BROKEN)
    with caplog.at_level(logging.ERROR, logger="calfeed.serve"):
        watcher.tick(watch=True)
    health = client.get("/healthz").json()
    assert health["status"] == "degraded"
    assert (health["revision"], health["entries"]) == (1, 4)
    assert health["last_sync"]["ok"] is False
    assert health["last_sync"]["at"] == "2024-08-01T10:05:00Z"
    path = settings.data
    assert health["last_sync"]["errors"] == [
        f"{path}:9:5: unknown key 'strat' — did you mean 'start'?",
        f"{path}:13:10: '16.09.2024' is not a date; write 2024-08-21, or 2024-08-21 10:00 for "
        "a time",
        f"{path}:19:10: 'end' (2024-09-17) is before 'start' (2024-09-18); for a date, 'end' "
        "is the last day, inclusive",
        f"{path}:20:10: only http and https links are allowed (this one has 'javascript:'); "
        "write the full address, starting with https://",
        f"{path}:21:9: duplicate id 'horing-krisesenterloven-2024' (first used on line 10); "
        "every entry needs its own id",
    ]
    assert served_locations(client.app) == good
    # The log says so too, with the errors.
    assert "still serving the last good data" in caplog.text
    assert f"{path}:9:5: unknown key 'strat'" in caplog.text


def test_fixing_the_file_recovers(
    watching: tuple[TestClient, Watcher], settings: Settings, clock: MovableClock
) -> None:
    client, watcher = watching
    clock.advance(minutes=5)
    edit(settings.data, BROKEN)
    watcher.tick(watch=True)
    assert client.get("/healthz").json()["status"] == "degraded"
    clock.advance(minutes=5)
    edit(settings.data, BASE.replace("location: Digitalt", "location: Oslo"))
    watcher.tick(watch=True)
    health = client.get("/healthz").json()
    assert (health["status"], health["revision"]) == ("ok", 2)
    assert health["last_sync"]["errors"] == []
    assert served_locations(client.app)["kurs-ungdom"] == "Oslo"


def test_a_sync_that_fails_for_another_reason_is_tried_again(
    watching: tuple[TestClient, Watcher], settings: Settings, clock: MovableClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If the database is briefly away when an edit is noticed, the edit is not forgotten."""
    client, watcher = watching
    import calfeed.publish.pipeline as pipeline_module

    real_sync = pipeline_module.sync
    calls: list[datetime] = []

    def database_away_once(*args: object, **kwargs: object) -> object:
        calls.append(clock())
        if len(calls) == 1:
            raise OperationalError("UPDATE entries", {}, Exception("server closed the connection"))
        return real_sync(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_module, "sync", database_away_once)
    edit(settings.data, BASE.replace("location: Digitalt", "location: Oslo"))
    watcher.tick(watch=True)  # logged in one line and shown at /healthz; the loop goes on
    assert watcher.problem is not None and "server closed the connection" in watcher.problem
    clock.advance(seconds=2)
    watcher.tick(watch=True)
    assert len(calls) == 2
    assert served_locations(client.app)["kurs-ungdom"] == "Oslo"
    assert client.get("/healthz").json()["revision"] == 2


def test_the_background_loop_notices_an_edit_within_seconds(
    settings: Settings,
) -> None:
    settings.data.write_text(BASE, encoding="utf-8")
    app = create_app(settings, watch=True, clock=lambda: datetime.now(UTC))
    app.state.watcher.publish_source()
    with TestClient(app) as client:
        assert client.get("/healthz").json()["revision"] == 1
        edit(settings.data, BROKEN)
        health = wait_for(client, lambda h: h["status"] == "degraded")
        assert (health["revision"], health["entries"]) == (1, 4)
        edit(settings.data, BASE.replace("location: Digitalt", "location: Oslo"))
        # The sync's status is in the database a moment before this process serves its
        # revision: wait for both.
        health = wait_for(client, lambda h: h["status"] == "ok" and h["revision"] == 2)
        assert health["entries"] == 4


def wait_for(client: TestClient, ok: Callable[[dict[str, object]], bool],
             within: float = 5.0) -> dict[str, object]:
    """Poll /healthz until `ok` holds; the watch interval in tests is 0.2 s."""
    deadline = time.monotonic() + within
    while True:
        health: dict[str, object] = client.get("/healthz").json()
        if ok(health) or time.monotonic() > deadline:
            assert ok(health), f"not within {within} s: {health}"
            return health
        time.sleep(0.05)


def test_a_failing_sync_does_not_stop_this_process_serving_what_others_synced(
    watching: tuple[TestClient, Watcher], settings: Settings, clock: MovableClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, watcher = watching
    import calfeed.publish.pipeline as pipeline_module
    from calfeed.source import parse_source
    from calfeed.store import sync

    # Another process (a replica, `calfeed sync`) syncs an edit …
    clock.advance(minutes=1)
    sync(watcher.engine, parse_source(BASE.replace("location: Digitalt", "location: Bergen"))
         .source, clock())
    # … while this one's own sync of the file keeps failing with a bug.
    edit(settings.data, BASE.replace("location: Digitalt", "location: Oslo"))

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline_module, "sync", broken)
    with pytest.raises(RuntimeError):
        watcher.tick(watch=True)
    assert served_locations(client.app)["kurs-ungdom"] == "Bergen"
    assert client.get("/healthz").json()["revision"] == 2


def test_a_serve_worker_syncs_the_file_on_its_first_round(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With CALFEED_WORKERS > 1 each worker publishes the file as it starts (the first finds
    # what changed, the others nothing), though the file has not changed since it was read.
    from calfeed.web.app import create_serving_app

    settings.data.write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("CALFEED_DATA", str(settings.data))
    monkeypatch.setenv("CALFEED_DATABASE_URL", settings.database_url)
    with TestClient(create_serving_app()) as client:
        assert served_locations(client.app)["kurs-ungdom"] == "Digitalt"
        assert client.get("/healthz").json()["revision"] == 1
