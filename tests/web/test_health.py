"""/healthz: what the operator (and Docker's HEALTHCHECK) sees."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from calfeed.settings import Settings
from calfeed.web import create_app
from tests.conftest import DATA, NOW


def test_before_any_sync(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok", "revision": 0, "entries": 0, "last_sync": None,
                               "sources": [], "problems": []}


def test_reports_entries_revision_and_the_last_sync(
    publish: Callable[..., None], app: FastAPI, settings: Settings
) -> None:
    publish("sync_base.yaml")
    with TestClient(app) as client:
        health = client.get("/healthz").json()
    assert health == {
        "status": "ok",
        "revision": 1,
        "entries": 4,
        "last_sync": {
            "at": "2024-08-01T10:00:00Z", "ok": True, "revision": 1,
            "source": str(settings.data), "added": 4, "changed": 0, "removed": 0,
            "unchanged": 0, "errors": [],
        },
        "sources": [],
        "problems": [],
    }


def test_shows_a_sync_made_by_another_process(
    publish: Callable[..., None], client: TestClient, app: FastAPI
) -> None:
    # `calfeed sync` in another process while the app runs: it is served after the app's
    # next refresh (every CALFEED_WATCH_INTERVAL seconds; here one round by hand).
    publish("sync_base.yaml")
    app.state.watcher.tick(watch=False)
    assert client.get("/healthz").json()["revision"] == 1
    text = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
    publish(text.replace("location: Digitalt", "location: Oslo"), now=NOW + timedelta(hours=1))
    app.state.watcher.tick(watch=False)
    health = client.get("/healthz").json()
    assert (health["revision"], health["entries"]) == (2, 4)
    assert health["last_sync"]["changed"] == 1
    assert health["last_sync"]["at"] == "2024-08-01T11:00:00Z"


def test_head_answers_without_a_body(publish: Callable[..., None], client: TestClient) -> None:
    publish("sync_base.yaml")
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_reports_a_disk_with_less_free_space_than_the_operator_asked_for(
    publish: Callable[..., None], settings: Settings,
) -> None:
    # The real free space of the disk the source and the database are on, against the
    # threshold an operator sets (CALFEED_MIN_FREE_MB): just above it is "too little".
    publish("sync_base.yaml")
    folder = settings.data.resolve().parent
    free_mb = shutil.disk_usage(folder).free // 1024 // 1024
    for threshold, expected in ((free_mb + 1024, "degraded"), (0, "ok")):
        app = create_app(settings.model_copy(update={"min_free_mb": threshold}))
        with TestClient(app) as client:
            response = client.get("/healthz")
            assert client.get("/events/kurs-ungdom").status_code == 200  # still served
        health = response.json()
        assert (response.status_code, health["status"], health["entries"]) == (200, expected, 4)
        if expected == "ok":
            assert health["problems"] == []
            continue
        (problem,) = health["problems"]
        assert problem["part"] == "disk"
        assert re.fullmatch(
            rf"only \d+ MB free on {re.escape(str(folder))} \(less than "
            rf"CALFEED_MIN_FREE_MB={threshold}\): syncs may fail; free some space",
            problem["cause"]), problem["cause"]
