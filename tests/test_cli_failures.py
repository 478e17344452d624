"""Database and file-system failures on the command line (issue 12): one line naming the cause
and what to do, exit 6 (not 1, the code for an invalid file), no SQL, parameters or password;
`--debug` or CALFEED_LOG_LEVEL=DEBUG adds the traceback."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.test_cli import Runner, events, run  # noqa: F401 - fixtures

EXIT_STORAGE = 6


@pytest.fixture(autouse=True)
def _data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFEED_DATA", str(tmp_path / "events.yaml"))


def _one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "[SQL" not in err and "parameters" not in err, err
    return lines[0]


def test_a_database_that_cannot_be_opened(run: Runner, events: Path,  # noqa: F811
                                          monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()  # a folder where the database file should be
    monkeypatch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'db'}")
    for command in (("sync",), ("build", "site")):
        code, _, err = run(*command)
        line = _one_line(err)
        assert code == EXIT_STORAGE, (command, err)
        assert line.startswith(f"error: the database at sqlite:///{tmp_path}/db "
                               "failed: unable to open database file; check that it is "
                               "reachable"), line
        assert "--debug" in line


def test_a_file_that_is_not_a_database_prints_no_sql(run: Runner, events: Path,  # noqa: F811
                                                     tmp_path: Path) -> None:
    (tmp_path / "calfeed.db").write_bytes(b"not a database at all " * 200)
    code, out, err = run("sync")
    assert code == EXIT_STORAGE and out == ""
    assert "file is not a database" in _one_line(err)
    assert (tmp_path / "calfeed.db").read_bytes() == b"not a database at all " * 200


def test_an_unreachable_postgresql_hides_the_password(run: Runner, events: Path,  # noqa: F811
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFEED_DATABASE_URL",
                       "postgresql+psycopg://calfeed:s3cret@127.0.0.1:1/calfeed?connect_timeout=5")
    code, _, err = run("sync")
    line = _one_line(err)
    assert code == EXIT_STORAGE
    assert "s3cret" not in err and "calfeed:***@127.0.0.1:1" in line


def test_an_output_folder_that_cannot_be_written(run: Runner, events: Path,  # noqa: F811
                                                 tmp_path: Path) -> None:
    assert run("sync")[0] == 0
    (tmp_path / "blocker").write_text("a file where the folder should go")
    code, _, err = run("build", "blocker/site")
    assert code == EXIT_STORAGE
    line = _one_line(err)
    assert line.startswith("error: cannot read or write ") and "blocker" in line, line


@pytest.mark.parametrize("how", ["--debug", "CALFEED_LOG_LEVEL=DEBUG"])
def test_debug_shows_the_traceback(run: Runner, events: Path, tmp_path: Path,  # noqa: F811
                                   monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    (tmp_path / "db").mkdir()
    monkeypatch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'db'}")
    if how == "--debug":
        code, _, err = run("sync", "--debug")
    else:
        monkeypatch.setenv("CALFEED_LOG_LEVEL", "DEBUG")
        code, _, err = run("sync")
    assert code == EXIT_STORAGE
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().splitlines()[-1].startswith("error: the database at ")


def test_an_invalid_file_is_still_exit_1(run: Runner, tmp_path: Path) -> None:  # noqa: F811
    shutil.copy(DATA / "invalid" / "bad_sources.yaml", tmp_path / "events.yaml")
    assert run("check", "events.yaml")[0] == 1


def test_failures_speak_the_calendars_language(run: Runner, events: Path,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    # The calendar's language (nb: sync_base.yaml names none), unless CALFEED_LANGUAGE says.
    assert run("sync")[0] == 0
    (tmp_path / "blocker").write_text("a file where the folder should go")
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        said = {lang: _said(run, monkeypatch, lang, tmp_path, port) for lang in ("nb", "en")}
    debug = {"nb": "--debug eller CALFEED_LOG_LEVEL=DEBUG viser hele feilsporet",
             "en": "--debug or CALFEED_LOG_LEVEL=DEBUG shows the traceback"}
    assert said["nb"] == [
        (6, f"error: kan ikke lese eller skrive {tmp_path}/blocker: File exists; frigjør "
            "diskplass eller rett stien og tilgangen til den, og kjør kommandoen på nytt "
            f"({debug['nb']})"),
        (6, f"error: databasen på sqlite:///{tmp_path}/db feilet: unable to open database "
            "file; sjekk at den kan nås, at disken har plass og at den kan skrives til, og "
            f"kjør kommandoen på nytt (denne kjøringen endret ingenting; {debug['nb']})"),
        (2, f"error: kan ikke lytte på 127.0.0.1:{port} (Address already in use); stopp "
            "programmet som gjør det, eller velg en annen port med --port eller CALFEED_PORT"),
    ]
    assert said["en"] == [
        (6, f"error: cannot read or write {tmp_path}/blocker: File exists; free disk space or "
            "fix the path and its permissions, then run the command again "
            f"({debug['en']})"),
        (6, f"error: the database at sqlite:///{tmp_path}/db failed: unable to open database "
            "file; check that it is reachable, its disk has space and it may be written, then "
            f"run the command again (nothing was changed by this run; {debug['en']})"),
        (2, f"error: cannot listen on 127.0.0.1:{port} (Address already in use); stop the "
            "program that does, or choose another port with --port or CALFEED_PORT"),
    ]


def _said(run: Runner, monkeypatch: pytest.MonkeyPatch, lang: str,  # noqa: F811
          tmp_path: Path, port: int) -> list[tuple[int, str]]:
    """Exit code and line of: a build into a file's place, a sync onto a folder as the
    database, serve on a port in use; in the messages of ``lang`` (nb: the calendar's)."""
    if lang == "nb":
        monkeypatch.delenv("CALFEED_LANGUAGE")
    else:
        monkeypatch.setenv("CALFEED_LANGUAGE", lang)
    said = []
    code, _, err = run("build", "blocker/site")
    said.append((code, _one_line(err)))
    with monkeypatch.context() as patch:
        (tmp_path / "db").mkdir(exist_ok=True)
        patch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'db'}")
        code, _, err = run("sync")
        said.append((code, _one_line(err)))
    code, _, err = run("serve", "--port", str(port))
    said.append((code, _one_line(err)))
    return said
