"""A new replica starts warm: after `calfeed sync`, a fresh app on the same database serves
every format from the pieces the publish stored, rendering none itself. On SQLite and on a real
PostgreSQL (skipped locally without one; required in CI)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calfeed.formats import apiquery, atom, ics, jsonapi
from calfeed.formats.select import Filter, select
from calfeed.publish import publish
from calfeed.settings import Settings, get_settings
from calfeed.source import parse_source
from calfeed.store import create_db_engine
from calfeed.web import create_app
from tests.conftest import DATA, NOW

SOURCE = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
URLS = ("/calendar.ics", "/feed.atom", "/feed.rss", "/api/v1/events")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'calfeed.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def replica_settings(db_url: str, tmp_path: Path) -> Settings:
    return get_settings(data=tmp_path / "events.yaml", database_url=db_url,
                        base_url="https://kalender.example.no", watch_interval=60)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    yield engine
    engine.dispose()


def calfeed_sync(engine: Engine, settings: Settings, text: str, now: datetime = NOW) -> None:
    """What `calfeed sync` does: the operator's base URL goes into the stored pieces."""
    publish(settings, engine, parse_source(text).source, now, "events.yaml")


def replica(settings: Settings, now: datetime = NOW) -> TestClient:
    return TestClient(create_app(settings, clock=lambda: now))


def test_a_new_replica_serves_every_format_without_rendering(engine, replica_settings):
    calfeed_sync(engine, replica_settings, SOURCE)
    with replica(replica_settings) as client:
        pieces = client.app.state.serving.pieces  # type: ignore[attr-defined]
        bodies = {url: client.get(url) for url in URLS}
        assert all(r.status_code == 200 for r in bodies.values())
        assert sum(pieces.renders.values()) == 0
        assert pieces.preloaded == 16  # 4 entries × 4 kinds, from the database

        # The bytes are the ones a full build from scratch gives.
        serving = client.app.state.serving  # type: ignore[attr-defined]
        snapshot = serving.current().snapshot
        ctx = serving.context(snapshot)
        entries = select(snapshot, Filter(), ctx.today)
        assert bodies["/calendar.ics"].content == ics.build_calendar(
            snapshot, entries, snapshot.calendar.title, None,
            "https://kalender.example.no/calendar.ics", ctx).to_ical()
        assert bodies["/feed.atom"].content == atom.build_feed(snapshot, ctx, Filter(), "atom")
        assert bodies["/feed.rss"].content == atom.build_feed(snapshot, ctx, Filter(), "rss")
        query = apiquery.EventQuery(view=Filter(), start=ctx.today)
        assert bodies["/api/v1/events"].content == \
            jsonapi.dumps(jsonapi.events_page(snapshot, ctx, query))


def test_a_replica_picks_up_an_edit_without_rendering(engine, replica_settings):
    calfeed_sync(engine, replica_settings, SOURCE)
    with replica(replica_settings) as client:
        serving = client.app.state.serving  # type: ignore[attr-defined]
        for url in URLS:
            client.get(url)
        calfeed_sync(engine, replica_settings,
                     SOURCE.replace("title: Webinar «Rus, vold og utnyttelse»",
                                    "title: Webinar «Rus og vold»"), NOW + timedelta(hours=1))
        serving.refresh()  # what the background loop does within watch_interval
        assert "Rus og vold" in client.get("/feed.atom").text
        for url in URLS:
            client.get(url)
        assert sum(serving.pieces.renders.values()) == 0
        assert serving.pieces.preloaded == 16 + 4  # only the edited entry's, once more


def test_a_replica_at_another_address_renders_its_own(engine, replica_settings, tmp_path):
    calfeed_sync(engine, replica_settings, SOURCE)
    elsewhere = get_settings(data=replica_settings.data,
                             database_url=replica_settings.database_url,
                             base_url="https://events.example.org", watch_interval=60)
    with replica(elsewhere) as client:
        for url in URLS:
            assert "https://events.example.org/events/" in client.get(url).text
        renders = client.app.state.serving.pieces.renders  # type: ignore[attr-defined]
        assert renders == {"vevent": 4, "atom": 4, "rss": 4, "json": 4}


def test_a_replica_a_day_later_renders_only_what_names_the_day(engine, replica_settings):
    calfeed_sync(engine, replica_settings, SOURCE)
    with replica(replica_settings, NOW + timedelta(days=40)) as client:
        for url in URLS:
            assert client.get(url).status_code == 200
        # The recurring entry's Atom and RSS titles name its next date from the new day.
        renders = client.app.state.serving.pieces.renders  # type: ignore[attr-defined]
        assert renders == {"atom": 1, "rss": 1}
        assert "31. desember 2024 · " in client.get("/feed.atom").text
