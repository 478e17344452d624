"""Fixtures shared by the whole suite: a source on disk, a database, an app and a client.

Every test gets its own temporary SQLite file (or, for the ``engine_url`` parametrised tests,
a real PostgreSQL schema), and a fixed clock, so outputs are deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calfeed.settings import Settings, get_settings
from calfeed.source import load_source
from calfeed.store import create_db_engine, sync
from calfeed.web import create_app
from tests.support.clock import MovableClock

pytest_plugins = ["tests.support.fixtures"]

DATA = Path(__file__).parent / "data"
SHIPPED = Path(__file__).parent.parent / "data" / "events.yaml"
# A fixed "now" for deterministic outputs: the day the seed's autumn events were upcoming.
NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return get_settings(
        data=tmp_path / "events.yaml",
        database_url=f"sqlite:///{tmp_path / 'calfeed.db'}",
        base_url="https://kalender.example.no",
        watch_interval=0.2,
        watch_settle=0.0,  # an edit is published on the next round (tests of settling set it)
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def publish(settings: Settings, engine: Engine) -> Callable[..., None]:
    """Write a source (a fixture name under tests/data, a path, or YAML text) and sync it."""

    def publish(source: str | Path, now: datetime = NOW) -> None:
        if isinstance(source, Path):
            text = source.read_text(encoding="utf-8")
        elif "\n" not in source and (DATA / source).exists():
            text = (DATA / source).read_text(encoding="utf-8")
        else:
            text = source
        settings.data.write_text(text, encoding="utf-8")
        sync(engine, load_source(settings.data).source, now, str(settings.data))

    return publish


@pytest.fixture
def clock() -> MovableClock:
    """NOW, until a test sets ``clock.now`` (to cross midnight, say)."""
    return MovableClock(NOW)


@pytest.fixture
def app(settings: Settings, clock: MovableClock) -> FastAPI:
    return create_app(settings, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def serve(publish: Callable[..., None], app: FastAPI,
          client: TestClient) -> Callable[..., TestClient]:
    """Publish a source and make the running app serve it now, not at its next refresh tick;
    returns the client."""

    def serve(source: str | Path, now: datetime = NOW) -> TestClient:
        publish(source, now=now)
        app.state.serving.refresh()
        return client

    return serve
