"""`calfeed build`: a static tree whose files equal what the app serves."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from calfeed.cli import main
from calfeed.errors import CalfeedError
from calfeed.export import export, public_urls, target_path
from calfeed.settings import Settings


@pytest.fixture
def exported(publish, app: FastAPI, tmp_path: Path) -> tuple[Path, list]:  # type: ignore[no-untyped-def]
    from tests.conftest import SHIPPED

    publish(SHIPPED)
    publisher = app.state.publisher
    publisher.refresh()
    outdir = tmp_path / "site"
    return outdir, export(app, publisher.current.snapshot, outdir)


def test_every_exported_file_equals_what_is_served(exported, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    outdir, written = exported
    assert written, "nothing was exported"
    for item in written:
        served = client.get(item.url)
        assert served.status_code == 200
        assert item.path.read_bytes() == served.content, item.url
        assert item.path.is_relative_to(outdir.resolve())


def test_text_files_have_gzip_twins_with_the_same_content(exported) -> None:  # type: ignore[no-untyped-def]
    _, written = exported
    twins = [item for item in written if Path(f"{item.path}.gz").exists()]
    assert twins
    for item in twins:
        assert gzip.decompress(Path(f"{item.path}.gz").read_bytes()) == item.path.read_bytes()


def test_a_sample_nginx_config_is_written(exported) -> None:  # type: ignore[no-untyped-def]
    outdir, _ = exported
    sample = (outdir / "nginx.conf.sample").read_text()
    assert "gzip_static on" in sample and "try_files" in sample


def test_every_entry_and_feed_has_a_url(publish, app: FastAPI) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SHIPPED

    publish(SHIPPED)
    app.state.publisher.refresh()
    snapshot = app.state.publisher.current.snapshot
    urls = set(public_urls(snapshot))
    for published in snapshot.entries:
        assert f"/events/{published.entry.id}.ics" in urls
    for name in snapshot.feeds:
        if name != "all":
            assert f"/feeds/{name}.atom" in urls


@pytest.mark.parametrize("url", ["/../../etc/passwd", "/events/..%2F..", "/a/../../b",
                                 "/x\\..\\y"])
def test_urls_that_would_leave_the_folder_are_refused(tmp_path: Path, url: str) -> None:
    from urllib.parse import unquote

    with pytest.raises(CalfeedError, match="leaves the output folder"):
        target_path(tmp_path, unquote(url), "text/html")


def test_pages_and_api_lists_become_index_files(tmp_path: Path) -> None:
    assert target_path(tmp_path, "/", "text/html") == (tmp_path / "index.html").resolve()
    assert target_path(tmp_path, "/events/x", "text/html; charset=utf-8") == \
        (tmp_path / "events/x/index.html").resolve()
    assert target_path(tmp_path, "/api/v1/events", "application/json") == \
        (tmp_path / "api/v1/events/index.json").resolve()
    assert target_path(tmp_path, "/calendar.ics", "text/calendar") == \
        (tmp_path / "calendar.ics").resolve()
    assert target_path(tmp_path, "/?feed=frister", "text/html") == \
        (tmp_path / "view/feed-frister/index.html").resolve()


def test_build_command_exports_the_synced_data(settings: Settings, publish, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import SHIPPED

    publish(SHIPPED)
    monkeypatch.setenv("CALFEED_DATABASE_URL", settings.database_url)
    outdir = tmp_path / "out"
    assert main(["build", str(outdir)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert (outdir / "openapi.json").exists()


def test_build_before_any_sync_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["build", str(tmp_path / "out")]) == 1
    assert "calfeed sync" in capsys.readouterr().err
