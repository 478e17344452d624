"""A hostile or careless file copied over the served one (issue 12): `calfeed serve` refuses
it at once, reports it at /healthz with its place, keeps serving the last good data, and picks
up the good file written after it. Before, a "billion laughs" file grew the server by ~60 MB/s
to 1.4 GB and the good file was never picked up, with /healthz "ok"; 500 levels of nesting
were a RecursionError."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from calfeed.publish import Watcher
from calfeed.settings import Settings
from tests.conftest import DATA
from tests.support.clock import MovableClock
from tests.web.test_watch import BASE, edit, served_locations, watching  # noqa: F401

HOSTILE = {
    "billion_laughs.yaml": ":7:9: aliases ('*name') repeat this value into more than 100,000",
    "deep_nesting.yaml": ":10:28: nested more than 20 levels deep",
    "out_of_bounds.yaml": ":5:14: '1000000' is more days than a calendar keeps",
}


@pytest.mark.timeout(60)  # a hang guard: the aliases alone ran for minutes before
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_and_the_next_good_one_served(
    watching: tuple[TestClient, Watcher], settings: Settings,  # noqa: F811
    clock: MovableClock, name: str,
) -> None:
    client, watcher = watching
    good = served_locations(client.app)
    clock.advance(minutes=5)
    edit(settings.data, (DATA / "invalid" / name).read_text(encoding="utf-8"))
    watcher.tick(watch=True)
    health = client.get("/healthz").json()
    assert (health["status"], health["revision"]) == ("degraded", 1)
    assert any(e.startswith(f"{settings.data}{HOSTILE[name]}")
               for e in health["last_sync"]["errors"]), health["last_sync"]["errors"]
    assert served_locations(client.app) == good
    assert client.get("/calendar.ics").status_code == 200
    clock.advance(minutes=5)
    edit(settings.data, BASE.replace("location: Digitalt", "location: Oslo"))
    watcher.tick(watch=True)
    assert client.get("/healthz").json()["status"] == "ok"
    assert served_locations(client.app)["kurs-ungdom"] == "Oslo"
