"""Several `calfeed serve` processes on one PostgreSQL: same bytes, and a sync reaches all.

Two real processes against a real PostgreSQL server (skipped locally without one; required
in CI). Each replica polls the data revision every CALFEED_WATCH_INTERVAL seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DATA
from tests.support.server import free_port, wait_until_answering

WATCH_INTERVAL = 0.5
VISIBLE_WITHIN = 5.0  # "within a few seconds"


def _calfeed(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "calfeed", *args], env=env, check=True,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def replica_env(postgres_url: str, tmp_path: Path) -> dict[str, str]:
    source = tmp_path / "events.yaml"
    source.write_text((DATA / "replicas.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return {**os.environ, "CALFEED_DATABASE_URL": postgres_url, "CALFEED_DATA": str(source),
            "CALFEED_WATCH_INTERVAL": str(WATCH_INTERVAL), "CALFEED_LOG_LEVEL": "warning",
            "CALFEED_BASE_URL": "https://kalender.example.no"}


@pytest.fixture
def replicas(replica_env: dict[str, str]) -> Iterator[list[str]]:
    _calfeed("sync", env=replica_env)
    processes, urls = [], []
    try:
        for _ in range(2):
            port = free_port()
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "calfeed", "serve", "--port", str(port)],
                env=replica_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_until_answering(f"{url}/healthz", process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _calendar(url: str) -> httpx.Response:
    response = httpx.get(f"{url}/calendar.ics", timeout=5)
    assert response.status_code == 200
    return response


def test_replicas_serve_identical_bytes_and_etags(replicas: list[str]) -> None:
    first, second = (_calendar(url) for url in replicas)
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert b"Replica test event" in first.content


def test_a_sync_by_any_process_reaches_every_replica_within_seconds(
    replicas: list[str], replica_env: dict[str, str]
) -> None:
    before = _calendar(replicas[0]).headers["etag"]
    source = Path(replica_env["CALFEED_DATA"])
    source.write_text(source.read_text().replace("Replica test event", "Moved replica event"))
    _calfeed("sync", env=replica_env)
    synced_at = time.monotonic()

    pending = set(replicas)
    seen: dict[str, httpx.Response] = {}
    while pending and time.monotonic() - synced_at < VISIBLE_WITHIN:
        for url in list(pending):
            response = _calendar(url)
            if b"Moved replica event" in response.content:
                seen[url] = response
                pending.discard(url)
        time.sleep(0.1)
    assert not pending, f"still stale after {VISIBLE_WITHIN}s: {pending}"
    first, second = (seen[url] for url in replicas)
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"] != before
    # The replicas watch the file too, so whichever synced first did the change; the rest
    # found nothing to do. Either way both serve the new revision.
    healths = [httpx.get(f"{url}/healthz", timeout=5).json() for url in replicas]
    assert all(h["last_sync"]["ok"] for h in healths)
    assert healths[0]["revision"] == healths[1]["revision"] == 2
