"""The one fixture every format test needs: a published source as the snapshot outputs read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from calfeed.model import Snapshot
from calfeed.store import load_snapshot
from tests.conftest import NOW


@pytest.fixture
def published(publish: Callable[..., None], engine: Engine) -> Callable[..., Snapshot]:
    """Publish a source (as ``publish`` does) and return the snapshot every output reads."""

    def published(source: str | Path, now: datetime = NOW) -> Snapshot:
        publish(source, now=now)
        snapshot = load_snapshot(engine)
        assert snapshot is not None
        return snapshot

    return published
