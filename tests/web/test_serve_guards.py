"""What stands between an edit and the subscribers while `calfeed serve` watches the file
(issue 12): a file still being written is not published, an edit that removes most entries is
held back until confirmed, a file that cannot be read at all does not stop the server, and
/healthz says what failed and why instead of answering 500.

Rounds of the watch loop are driven by hand (`watcher.tick(watch=True)`) on a clock the test
moves, so nothing depends on timing luck.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from calfeed.cli import EXIT_HELD, EXIT_OK, main
from calfeed.publish import Watcher
from calfeed.settings import Settings
from calfeed.web import create_app
from tests.conftest import DATA, SHIPPED
from tests.support.clock import MovableClock

BASE = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
EDITED = BASE.replace("location: Digitalt", "location: Oslo")
SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def only_first_entries(text: str, keep: int) -> str:
    """The file with only its first ``keep`` entries: what a truncated write leaves."""
    starts = [i for i in range(len(text)) if text.startswith("\n  - id: ", i)]
    return text[: starts[keep]] + "\n"


def served_ids(client: TestClient) -> set[str]:
    state = client.app.state.serving.load()  # type: ignore[attr-defined]
    return {p.entry.id for p in state.snapshot.entries}


@pytest.fixture
def serve_watching(settings: Settings, clock: MovableClock
                   ) -> Iterator[Callable[..., tuple[TestClient, Watcher]]]:
    """`serve_watching(text, **settings)`: the file written, `calfeed serve` started on it."""
    clients: list[TestClient] = []

    def start(text: str | None, **changes: object) -> tuple[TestClient, Watcher]:
        if text is not None:
            settings.data.write_text(text, encoding="utf-8")
        app = create_app(settings.model_copy(update=changes), clock=clock, watch=True)
        client = TestClient(app)
        client.__enter__()  # starting publishes the file, as `calfeed serve` does
        clients.append(client)
        return client, app.state.watcher

    yield start
    for client in clients:
        client.__exit__(None, None, None)


def test_a_file_written_in_two_steps_is_published_only_when_whole(
    serve_watching: Callable[..., tuple[TestClient, Watcher]], settings: Settings,
    clock: MovableClock,
) -> None:
    client, watcher = serve_watching(SHIPPED_TEXT, watch_settle=5.0)
    before = served_ids(client)
    revision = client.get("/healthz").json()["revision"]
    # The editor's program writes the first part (valid YAML on its own: the file cut after an
    # entry), then pauses.
    settings.data.write_text(only_first_entries(SHIPPED_TEXT, 2), encoding="utf-8")
    for _ in range(2):
        watcher.tick(watch=True)
        clock.advance(seconds=2)
        assert served_ids(client) == before  # not yet: it may still be being written
    # … then writes the whole file, with one change.
    title = "    title: Digitalt kurs «Ungdom utnyttet til kriminalitet»\n"
    edited = SHIPPED_TEXT.replace(title, title.replace("»", "» (oppdatert)"), 1)
    assert edited != SHIPPED_TEXT
    settings.data.write_text(edited, encoding="utf-8")
    watcher.tick(watch=True)
    clock.advance(seconds=3)
    watcher.tick(watch=True)
    assert client.get("/healthz").json()["revision"] == revision  # changed 3 s ago: waits
    clock.advance(seconds=3)
    watcher.tick(watch=True)  # unchanged for 6 s: published, whole
    health = client.get("/healthz").json()
    assert health["revision"] == revision + 1
    assert (health["last_sync"]["changed"], health["last_sync"]["removed"]) == (1, 0)
    assert served_ids(client) == before


def test_an_edit_removing_most_entries_is_held_back_until_the_file_stays_so(
    serve_watching: Callable[..., tuple[TestClient, Watcher]], settings: Settings,
    clock: MovableClock,
) -> None:
    client, watcher = serve_watching(SHIPPED_TEXT, removals_hold=600)
    before = served_ids(client)
    revision = client.get("/healthz").json()["revision"]
    settings.data.write_text(only_first_entries(SHIPPED_TEXT, 3), encoding="utf-8")
    clock.advance(seconds=5)
    watcher.tick(watch=True)
    health = client.get("/healthz").json()
    assert (health["status"], health["revision"]) == ("degraded", revision)
    (problem,) = health["problems"]
    assert problem["part"] == "source"
    assert f"would remove {len(before) - 3} of the {len(before)} published entries" \
        in problem["cause"]
    assert "--allow-removals" in problem["cause"]
    assert served_ids(client) == before  # subscribers still see every entry
    clock.advance(seconds=300)
    watcher.tick(watch=True)
    assert served_ids(client) == before  # not yet: the editor may still be restoring it
    clock.advance(seconds=301)
    watcher.tick(watch=True)  # the same file for over 600 s: the editor meant it
    health = client.get("/healthz").json()
    assert (health["status"], health["revision"], health["problems"]) == ("ok", revision + 1, [])
    assert len(served_ids(client)) == 3


def test_sync_that_would_remove_most_entries_asks_for_allow_removals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'calfeed.db'}")
    monkeypatch.setenv("CALFEED_LOG_LEVEL", "warning")
    monkeypatch.setenv("CALFEED_LANGUAGE", "en")
    source = tmp_path / "events.yaml"
    source.write_text(SHIPPED_TEXT, encoding="utf-8")
    assert main(["sync", str(source)]) == EXIT_OK
    capsys.readouterr()
    source.write_text(only_first_entries(SHIPPED_TEXT, 3), encoding="utf-8")
    assert main(["sync", str(source)]) == EXIT_HELD
    out, err = capsys.readouterr()
    assert out == ""
    assert "this sync would remove" in err and "nothing was changed" in err
    assert "--allow-removals" in err
    assert main(["sync", "--allow-removals", str(source)]) == EXIT_OK
    out, _ = capsys.readouterr()
    assert " 3 unchanged" in out and "removed: " in out


@pytest.mark.parametrize("breakage", ["a directory", "deep nesting"])
def test_serve_starts_and_serves_the_last_good_data_whatever_the_file_holds(
    serve_watching: Callable[..., tuple[TestClient, Watcher]], settings: Settings,
    breakage: str,
) -> None:
    client, _ = serve_watching(BASE)  # the database holds good data
    client.__exit__(None, None, None)
    settings.data.unlink()
    if breakage == "a directory":
        settings.data.mkdir()
    else:
        settings.data.write_text("entries: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    client, _ = serve_watching(None)  # a restart, e.g. after a deploy
    assert client.get("/events/kurs-ungdom").status_code == 200
    health = client.get("/healthz").json()
    assert (health["status"], health["entries"]) == ("degraded", 4)
    causes = [p["cause"] for p in health["problems"] if p["part"] == "source"]
    assert causes and all(str(settings.data) in cause for cause in causes)
    if breakage == "a directory":
        assert any("is a directory" in cause for cause in causes)


def test_healthz_names_a_failing_database_and_the_data_is_still_served(
    serve_watching: Callable[..., tuple[TestClient, Watcher]], settings: Settings,
) -> None:
    client, _ = serve_watching(BASE)
    assert client.get("/calendar.ics").status_code == 200
    # The database file goes away (a volume unmounted, a clean-up gone wrong).
    client.app.state.serving.engine.dispose()  # type: ignore[attr-defined]
    database = Path(settings.database_url.removeprefix("sqlite:///"))
    for leftover in database.parent.glob(database.name + "*"):
        leftover.unlink()
    database.mkdir()
    response = client.get("/healthz")
    assert response.status_code == 200
    health = response.json()
    assert (health["status"], health["entries"]) == ("degraded", 4)
    (problem,) = [p for p in health["problems"] if p["part"] == "database"]
    assert str(database) in problem["cause"] and "unable to open" in problem["cause"]
    assert client.get("/calendar.ics").status_code == 200  # from memory, as before


def test_healthz_before_any_data_while_the_database_fails_is_503_not_500(
    settings: Settings, app: FastAPI,
) -> None:
    with TestClient(app) as client:
        app.state.serving.engine.dispose()
        database = Path(settings.database_url.removeprefix("sqlite:///"))
        for leftover in database.parent.glob(database.name + "*"):
            leftover.unlink()
        database.mkdir()
        response = client.get("/healthz")
    assert response.status_code == 503
    health = response.json()
    assert (health["status"], health["entries"]) == ("failing", 0)
    (problem,) = health["problems"]
    assert problem["part"] == "database" and str(database) in problem["cause"]
