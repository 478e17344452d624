"""Every store test runs on SQLite and on a real PostgreSQL (skipped locally without a server,
required in CI): the ``engine`` fixture here overrides the suite's SQLite-only one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from calfeed.settings import Settings
from calfeed.store import create_db_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_url(request: pytest.FixtureRequest, settings: Settings) -> str:
    if request.param == "sqlite":
        return settings.database_url
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def engine(engine_url: str) -> Iterator[Engine]:
    engine = create_db_engine(engine_url)
    yield engine
    engine.dispose()
