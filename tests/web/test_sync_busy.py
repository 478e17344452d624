"""`calfeed serve` when another writer holds the database (a `calfeed sync` from a deploy hook,
another replica): its sync gives up after CALFEED_LOCK_TIMEOUT, says so in the log, keeps
serving the last good data, and syncs the edit on a later round of the watch loop.

Rounds of the loop are driven by hand (`watcher.tick(watch=True)`), as in test_watch.py; the
other writer is a real sqlite3 connection holding BEGIN IMMEDIATE on the same file.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from calfeed.publish import Watcher
from calfeed.settings import Settings
from calfeed.web import create_app
from tests.conftest import DATA

BASE = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
EDITED = BASE.replace("location: Digitalt", "location: Oslo")


@pytest.fixture
def busy_settings(settings: Settings) -> Settings:
    # Only the rounds the test drives: the real loop would race it to the retry.
    return settings.model_copy(update={"lock_timeout": 0.3, "watch_interval": 3600})


@pytest.fixture
def other_writer(busy_settings: Settings) -> Iterator[sqlite3.Connection]:
    """A connection to the same database file, ready to take the write lock."""
    path = make_url(busy_settings.database_url).database
    assert path
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    holder = sqlite3.connect(path, isolation_level=None)
    yield holder
    holder.close()


def location(client: TestClient) -> str:
    item = client.get("/api/v1/events/kurs-ungdom").json()
    return str(item["location"])


def test_a_busy_database_is_logged_the_old_data_served_and_the_edit_synced_later(
    busy_settings: Settings, other_writer: sqlite3.Connection, caplog: pytest.LogCaptureFixture,
) -> None:
    busy_settings.data.write_text(BASE, encoding="utf-8")
    app = create_app(busy_settings, watch=True)
    watcher: Watcher = app.state.watcher
    with TestClient(app) as client:  # publishes the file at start
        busy_settings.data.write_text(EDITED, encoding="utf-8")
        other_writer.execute("BEGIN IMMEDIATE")
        with caplog.at_level(logging.WARNING, logger="calfeed.serve"):
            watcher.tick(watch=True)  # does not raise
        other_writer.execute("ROLLBACK")

        (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert record.getMessage().startswith(
            f"could not sync {busy_settings.data}: another `calfeed sync` or `calfeed serve` "
            "is writing to ")
        assert record.exc_info is None  # a message for the operator, not a traceback
        assert location(client) == "Digitalt"
        assert client.get("/healthz").json()["revision"] == 1

        watcher.tick(watch=True)  # the file has not changed since, but was never synced
        assert location(client) == "Oslo"
        assert client.get("/healthz").json()["revision"] == 2


def test_serve_starts_serving_while_the_database_is_busy(
    busy_settings: Settings, other_writer: sqlite3.Connection, caplog: pytest.LogCaptureFixture,
) -> None:
    busy_settings.data.write_text(BASE, encoding="utf-8")
    first = create_app(busy_settings)
    first.state.watcher.publish_source()

    busy_settings.data.write_text(EDITED, encoding="utf-8")
    app = create_app(busy_settings, watch=True)
    watcher: Watcher = app.state.watcher
    other_writer.execute("BEGIN IMMEDIATE")
    # Starting publishes the file before taking traffic, as `calfeed serve` does.
    with caplog.at_level(logging.WARNING, logger="calfeed.serve"), TestClient(app) as client:
        assert "is writing to" in caplog.text
        assert location(client) == "Digitalt"
        other_writer.execute("ROLLBACK")
        watcher.tick(watch=True)
        assert location(client) == "Oslo"
