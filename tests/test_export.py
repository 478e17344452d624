"""`calfeed build`: a static tree whose files equal what the app serves."""

from __future__ import annotations

import getpass
import gzip
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bench.generate import generate
from calfeed.cli import main
from calfeed.errors import CalfeedError
from calfeed.export import NGINX_SAMPLE, export, next_page, public_urls, target_path
from calfeed.settings import Settings
from tests.formats.pagecheck import document, listed_ids
from tests.support.require import require_executable
from tests.support.server import free_port, wait_until_answering


@pytest.fixture
def exported(publish, app: FastAPI, tmp_path: Path) -> tuple[Path, list]:  # type: ignore[no-untyped-def]
    from tests.conftest import SHIPPED

    publish(SHIPPED)
    serving = app.state.serving
    serving.refresh()
    outdir = tmp_path / "site"
    return outdir, export(app, serving.current().snapshot, outdir)


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
    app.state.serving.refresh()
    snapshot = app.state.serving.current().snapshot
    urls = set(public_urls(snapshot))
    for published in snapshot.entries:
        assert f"/events/{published.entry.id}.ics" in urls
    for name in snapshot.feeds:
        if name != "all":
            assert f"/feeds/{name}.atom" in urls
            assert f"/archive?feed={name}" in urls
    assert "/archive" in urls


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
    assert target_path(tmp_path, "/page/2", "text/html") == \
        (tmp_path / "page/2/index.html").resolve()
    assert target_path(tmp_path, "/archive/page/3?feed=frister", "text/html") == \
        (tmp_path / "view/feed-frister/archive/page/3/index.html").resolve()


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


# --- long lists: the archive and the later pages ------------------------------------------------


@pytest.fixture
def exported_big(publish, app: FastAPI, tmp_path: Path) -> tuple[Path, list]:  # type: ignore[no-untyped-def]
    publish(generate(500))
    serving = app.state.serving
    serving.refresh()
    outdir = tmp_path / "site"
    return outdir, export(app, serving.current().snapshot, outdir)


def follow(client: TestClient, url: str) -> list[str]:
    """The URLs a visitor reaches from ``url`` by clicking the pager's next link to the end."""
    urls = []
    while url:
        urls.append(url)
        links = document(client.get(url).content).cssselect('nav.pager a[rel="next"]')
        url = links[0].get("href") if links else ""
    return urls


def test_every_page_of_every_list_is_exported(exported_big, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    outdir, written = exported_big
    by_url = {item.url: item for item in written}
    for start in ("/", "/archive", "/?feed=arrangementer", "/archive?feed=arrangementer"):
        pages = follow(client, start)
        assert all(url in by_url for url in pages), (start, pages, sorted(by_url))
        for url in pages:
            assert by_url[url].path.read_bytes() == client.get(url).content
    assert len(follow(client, "/")) >= 3
    assert (outdir / "page/2/index.html").exists()
    assert (outdir / "archive/page/2/index.html").exists()
    assert (outdir / "view/feed-arrangementer/page/2/index.html").exists()
    assert not [url for url in by_url if url.startswith(("/page/1", "/archive/page/1"))]


def test_the_next_page_is_read_from_the_head() -> None:
    body = (b'<head><link rel="next" href="https://k.example.no/page/2?feed=x&amp;tag=b">'
            b"</head>")
    assert next_page(body) == "/page/2?feed=x&tag=b"


def test_the_next_page_of_a_site_under_a_path_is_the_apps_path() -> None:
    # Behind a proxy at /kalender, pages link to https://example.no/kalender/page/2, which the
    # app itself serves at /page/2.
    body = b'<head><link rel="next" href="https://example.no/kalender/archive/page/3"></head>'
    assert next_page(body, "https://example.no/kalender") == "/archive/page/3"
    assert next_page(b"<head></head>") is None


@pytest.fixture
def nginx(exported_big, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The export served by a real nginx with the sample config (root and port changed)."""
    executable = require_executable("nginx", "apt-get install nginx-light")
    outdir, _ = exported_big
    port = free_port()
    run = tmp_path / "nginx"
    run.mkdir()
    server = (NGINX_SAMPLE.replace("listen 80;", f"listen 127.0.0.1:{port};")
              .replace("root /srv/calfeed;", f"root {outdir};"))
    temp = "".join(f"    {kind}_temp_path {run}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (run / "nginx.conf").write_text(
        # As root, nginx's workers would run as nobody and could not read the private tmp dir.
        f"daemon off;\nuser {getpass.getuser()};\npid {run}/nginx.pid;\n"
        f"error_log {run}/error.log warn;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n    access_log off;\n{temp}{server}}}\n")
    proc = subprocess.Popen([executable, "-p", str(run), "-e", str(run / "error.log"),
                             "-c", str(run / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + "/", proc, within=20)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_nginx_serves_every_page_of_the_export_at_the_apps_urls(nginx: str,  # type: ignore[no-untyped-def]
                                                                client: TestClient) -> None:
    with httpx.Client(base_url=nginx, timeout=10) as static:
        for start in ("/", "/archive", "/?feed=arrangementer", "/archive?feed=arrangementer"):
            seen = []
            for url in follow(client, start):
                response = static.get(url)
                assert response.status_code == 200, url
                assert response.content == client.get(url).content, url
                seen += listed_ids(response.content)
            assert len(seen) == len(set(seen)) > 0
        assert static.get("/page/99").status_code == 404


def test_the_month_pages_of_the_entries_are_exported(exported) -> None:  # type: ignore[no-untyped-def]
    outdir, written = exported
    urls = {e.url for e in written}
    # The shipped data start in April 2024 and end in November 2024.
    months = sorted(u for u in urls if u.startswith("/month/"))
    assert months[0] == "/month/2024-04" and months[-1] == "/month/2024-11"
    assert len(months) == 8
    assert (outdir / "month" / "2024-08" / "index.html").is_file()
    # The front page's month link (the clock's August 2024) leads to an exported file.
    front = (outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="/month/2024-08"' in front
