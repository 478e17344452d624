"""Rendered responses kept in memory are bounded in bytes (CALFEED_RESPONSE_CACHE_BYTES): many
distinct filter URLs (`/calendar.ics?tag=<tags>,u1`, `…,u2`, …) each render a full body, and
the process keeps at most the setting's worth of them per cache (issue 12: 267 such requests on
10,000 entries took a server from 159 MB to 919 MB). Bytes are counted from what is held."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from calfeed.settings import Settings

BUDGET = 60_000
TAGS = "ungdom,utnyttelse,internasjonalt,publikasjon"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"response_cache_bytes": BUDGET})


def _held(app: Any) -> tuple[int, int]:
    """Bytes of the bodies (and gzip twins) held by the response cache and by the replay
    layer, counted here from their contents."""
    state = app.state.serving.current()
    responses = sum(len(r.body) + len(r.gzipped or b"")
                    for r in state.responses._items.values())
    replays = 0
    for item in state.replays.items.values():
        for message in (*(item.ok or ()), item.not_modified):
            if message is not None:
                replays += len(message.get("body", b""))
    return responses, replays


def test_distinct_filter_urls_keep_at_most_the_budget(serve, app) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = serve("fixed.yaml")
    body_sizes = set()
    for n in range(120):
        for encoding in ("gzip", "identity"):
            response = client.get(f"/calendar.ics?tag={TAGS},u{n}",
                                  headers={"Accept-Encoding": encoding})
            assert response.status_code == 200
            body_sizes.add(len(response.content))
    assert min(body_sizes) * 120 > 3 * BUDGET  # unbounded, they would hold several budgets
    responses, replays = _held(app)
    assert 0 < responses <= BUDGET
    assert 0 < replays <= BUDGET


def test_the_latest_responses_are_still_kept_and_replayed(serve, app) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = serve("fixed.yaml")
    for n in range(60):
        client.get(f"/calendar.ics?tag={TAGS},u{n}")
    renders = app.state.serving.current().responses.renders
    latest = client.get(f"/calendar.ics?tag={TAGS},u59")
    again = client.get(f"/calendar.ics?tag={TAGS},u59",
                       headers={"If-None-Match": latest.headers["etag"]})
    assert again.status_code == 304
    assert app.state.serving.current().responses.renders == renders  # nothing rendered again

