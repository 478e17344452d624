"""The command line as the editor uses it: exact output and exit codes of `calfeed check` and
`calfeed sync`, proof that a broken file changes nothing in the database, and `calfeed serve`
syncing and serving the file."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from calfeed.cli import main
from calfeed.source import load_source
from calfeed.store import create_db_engine, last_sync, load_snapshot
from calfeed.store.tables import Base
from tests.conftest import DATA, SHIPPED
from tests.support.server import free_port

Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Runner:
    """`run("check", path)` -> (exit code, stdout, stderr), with a database in tmp_path."""
    monkeypatch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'calfeed.db'}")
    monkeypatch.setenv("CALFEED_LOG_LEVEL", "warning")
    # The messages pinned below are the English ones; the calendars here say 'language: nb',
    # whose wording tests/test_messages.py checks.
    monkeypatch.setenv("CALFEED_LANGUAGE", "en")
    monkeypatch.chdir(tmp_path)

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def events(tmp_path: Path) -> Path:
    """An editable copy of tests/data/sync_base.yaml named events.yaml, in the working dir."""
    path = tmp_path / "events.yaml"
    shutil.copy(DATA / "sync_base.yaml", path)
    return path


def database(tmp_path: Path) -> dict[str, list[tuple[object, ...]]]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'calfeed.db'}")
    try:
        with engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(select(t))]
                    for t in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


# --- check ---------------------------------------------------------------------------------------


def test_check_prints_every_mistake_sorted_and_exits_1(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    shutil.copy(DATA / "invalid" / "several_mistakes.yaml", path)
    code, out, err = run("check", "events.yaml")
    assert code == 1
    assert out == ""
    assert err == (
        "events.yaml:9:5: unknown key 'strat' — did you mean 'start'?\n"
        "events.yaml:13:10: '16.09.2024' is not a date; write 2024-08-21, or 2024-08-21 10:00 "
        "for a time\n"
        "events.yaml:19:10: 'end' (2024-09-17) is before 'start' (2024-09-18); for a date, "
        "'end' is the last day, inclusive\n"
        "events.yaml:20:10: only http and https links are allowed (this one has "
        "'javascript:'); write the full address, starting with https://\n"
        "events.yaml:21:9: duplicate id 'horing-krisesenterloven-2024' (first used on line "
        "10); every entry needs its own id\n"
        "5 errors; nothing was changed.\n"
    )


def test_check_a_valid_file_prints_a_one_line_summary(run: Runner, events: Path) -> None:
    code, out, err = run("check", "events.yaml")
    assert (code, err) == (0, "")
    assert out == "events.yaml: ok — 4 entries (1 deadline, 1 recurring), 2 feeds\n"


def test_check_the_shipped_data(run: Runner) -> None:
    source = load_source(SHIPPED).source
    deadlines = sum(1 for e in source.entries if e.is_deadline)
    recurring = sum(1 for e in source.entries if e.repeat)
    code, out, err = run("check", SHIPPED)
    assert (code, err) == (0, "")
    assert out == (f"{SHIPPED}: ok — {len(source.entries)} entries ({deadlines} deadlines, "
                   f"{recurring} recurring), {len(source.feeds)} feeds\n")
    # The summary is counted the same way as above; pin the numbers so the test checks them.
    assert (len(source.entries), deadlines, recurring, len(source.feeds)) == (33, 4, 1, 5)


def test_check_reads_calfeed_data_when_no_file_is_given(
    run: Runner, events: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALFEED_DATA", str(events))
    code, out, _ = run("check")
    assert code == 0 and out.startswith(f"{events}: ok — 4 entries")


def test_check_warns_about_a_time_in_the_dst_gap_without_failing(
    run: Runner, tmp_path: Path
) -> None:
    shutil.copy(DATA / "dst_gap.yaml", tmp_path / "events.yaml")
    code, out, err = run("check", "events.yaml")
    assert code == 0
    assert err == ("events.yaml:10:12: warning: 2026-03-29 02:30 does not exist in "
                   "Europe/Oslo; read as 03:30 CEST\n")
    assert out == "events.yaml: ok — 1 entry (0 deadlines, 0 recurring), 1 feed\n"


def test_check_warns_about_an_ambiguous_autumn_time(run: Runner, tmp_path: Path) -> None:
    shutil.copy(DATA / "dst_overlap.yaml", tmp_path / "events.yaml")
    code, _, err = run("check", "events.yaml")
    assert code == 0
    assert err == ("events.yaml:10:12: warning: 2026-10-25 02:30 occurs twice in Europe/Oslo; "
                   "read as the first, 02:30 CEST\n")


def test_check_a_missing_file(run: Runner) -> None:
    code, out, err = run("check", "nowhere.yaml")
    assert (code, out) == (1, "")
    assert err == "nowhere.yaml:1:1: file not found\n1 error; nothing was changed.\n"


# --- sync ----------------------------------------------------------------------------------------


def test_sync_prints_what_it_added_then_that_nothing_changed(
    run: Runner, events: Path
) -> None:
    code, out, err = run("sync", "events.yaml")
    assert (code, err) == (0, "")
    assert out == (
        "added: kurs-ungdom\n"
        "added: webinar-rus\n"
        "added: horing-krisesenterloven\n"
        "added: rettsavgjorelser\n"
        "events.yaml: 4 added, 0 changed, 0 removed, 0 restored, 0 unchanged (revision 1)\n"
    )
    code, out, _ = run("sync", "events.yaml")
    assert (code, out) == (
        0, "events.yaml: 0 added, 0 changed, 0 removed, 0 restored, 4 unchanged (revision 1)\n")


def test_sync_after_an_edit(run: Runner, events: Path) -> None:
    run("sync", "events.yaml")
    text = events.read_text(encoding="utf-8").replace("location: Digitalt", "location: Oslo")
    cut = text.index("  - id: webinar-rus")
    events.write_text(text[:cut] + text[text.index("  - id: horing-krisesenterloven"):],
                      encoding="utf-8")
    code, out, _ = run("sync", "events.yaml")
    assert (code, out) == (0, (
        "changed: kurs-ungdom\n"
        "removed: webinar-rus\n"
        "events.yaml: 0 added, 1 changed, 1 removed, 0 restored, 2 unchanged (revision 2)\n"
    ))


ADDED_LATER = """\
  - id: kurs-feil-aar
    type: course
    title: Kurs med feil årstall
    start: 2025-03-04
  - id: mote-hver-mandag
    type: meeting
    title: Ukemøte
    start: 2020-01-06 09:00
    end: 2020-01-06 10:00
    repeat: FREQ=WEEKLY
  - id: kurs-i-2099
    type: course
    title: Kurs langt fram
    start: 2099-03-04
"""


@pytest.mark.parametrize(("language", "said"), [
    ("en", "'kurs-feil-aar' ended (2025-03-04) before it was first synced; subscribers never "
           "saw it coming: check its year"),
    ("nb", "'kurs-feil-aar' var over (2025-03-04) før den ble synkronisert første gang; "
           "abonnentene fikk den aldri på forhånd: sjekk årstallet"),
])
def test_an_entry_added_after_it_ended_is_a_warning(
        run: Runner, events: Path, monkeypatch: pytest.MonkeyPatch, language: str,
        said: str) -> None:
    monkeypatch.setenv("CALFEED_LANGUAGE", language)
    # The first sync of a calendar publishes its history without a word (all of 2024 here).
    code, _, err = run("sync", "events.yaml")
    assert (code, err) == (0, "")
    text = events.read_text(encoding="utf-8")
    events.write_text(text + ADDED_LATER, encoding="utf-8")
    line = text.count("\n") + 1  # where "- id: kurs-feil-aar" is
    code, out, err = run("sync", "events.yaml")
    # Published all the same (a warning, not an error); a weekly series that began in 2020 and
    # an entry ahead are what an editor means.
    assert code == 0
    assert out.startswith("lagt til: kurs-feil-aar\n" if language == "nb"
                          else "added: kurs-feil-aar\n")
    assert err == f"events.yaml:{line}:5: warning: {said}\n"  # "warning:" stays, for tools
    code, _, err = run("sync", "events.yaml")  # nothing new: nothing to say
    assert (code, err) == (0, "")


def test_sync_of_a_broken_file_changes_nothing_in_the_database(
    run: Runner, events: Path, tmp_path: Path
) -> None:
    run("sync", "events.yaml")
    before = database(tmp_path)
    shutil.copy(DATA / "invalid" / "several_mistakes.yaml", events)
    code, out, err = run("sync", "events.yaml")
    assert (code, out) == (1, "")
    assert err.endswith("5 errors; nothing was changed.\n")
    assert len(err.splitlines()) == 6
    assert database(tmp_path) == before  # every table, the sync log too
    engine = create_db_engine(f"sqlite:///{tmp_path / 'calfeed.db'}")
    try:
        snapshot = load_snapshot(engine)
        assert snapshot is not None and snapshot.revision == 1
        assert [p.entry.id for p in snapshot.entries][:2] == ["rettsavgjorelser", "kurs-ungdom"]
        status = last_sync(engine)
        assert status is not None and status.ok
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", ["out_of_bounds.yaml", "billion_laughs.yaml"])
def test_sync_of_values_outputs_cannot_hold_is_refused_with_located_errors(
    run: Runner, events: Path, tmp_path: Path, name: str
) -> None:
    # Before: `check` said ok, and `sync` ended in an OverflowError or TypeError traceback
    # (or, for the aliases, ran for minutes while memory grew by gigabytes).
    run("sync", "events.yaml")
    before = database(tmp_path)
    shutil.copy(DATA / "invalid" / name, events)
    for command in ("check", "sync"):
        code, out, err = run(command, "events.yaml")
        assert (code, out) == (1, "")
        assert all(line.startswith("events.yaml:") for line in err.splitlines()[:-1]), err
        assert err.endswith("; nothing was changed.\n") and "Traceback" not in err
    assert database(tmp_path) == before


def test_sync_of_a_broken_file_before_any_sync_creates_no_data(
    run: Runner, tmp_path: Path
) -> None:
    shutil.copy(DATA / "invalid" / "bad_urls.yaml", tmp_path / "events.yaml")
    code, _, err = run("sync", "events.yaml")
    assert code == 1 and err.endswith("5 errors; nothing was changed.\n")
    assert not (tmp_path / "calfeed.db").exists() or not any(database(tmp_path).values())


def test_sync_while_another_writer_holds_the_database_says_so_and_exits_3(
    run: Runner, events: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("sync", "events.yaml")
    before = database(tmp_path)
    events.write_text(events.read_text(encoding="utf-8").replace(
        "location: Digitalt", "location: Oslo"), encoding="utf-8")
    monkeypatch.setenv("CALFEED_LOCK_TIMEOUT", "0.5")
    # Another process in the middle of writing (a sync, `calfeed serve`, the sqlite3 shell).
    holder = sqlite3.connect(tmp_path / "calfeed.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        code, out, err = run("sync", "events.yaml")
    finally:
        holder.close()
    assert (code, out) == (3, "")
    assert err == (
        f"error: another `calfeed sync` or `calfeed serve` is writing to "
        f"{tmp_path / 'calfeed.db'} (waited 0.5 s for it to finish); try again when it has, "
        "or stop it; nothing was changed.\n"
    )
    assert database(tmp_path) == before
    # Tried again once the other writer is gone, it goes through.
    code, out, _ = run("sync", "events.yaml")
    assert (code, out.splitlines()[0]) == (0, "changed: kurs-ungdom")


# --- the command itself --------------------------------------------------------------------------


def test_no_command_prints_help_and_exits_2(run: Runner) -> None:
    code, out, _ = run()
    assert code == 2
    assert "check" in out and "sync" in out and "serve" in out


def test_an_unknown_command_is_a_usage_error(run: Runner) -> None:
    with pytest.raises(SystemExit) as exited:
        run("publish")
    assert exited.value.code == 2


def test_python_dash_m_calfeed_works_like_the_calfeed_command(tmp_path: Path) -> None:
    shutil.copy(DATA / "invalid" / "duplicate_ids.yaml", tmp_path / "events.yaml")
    done = subprocess.run([sys.executable, "-m", "calfeed", "check", "events.yaml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stdout == ""
    # the file's calendar says 'language: nb', and so does the command
    assert done.stderr == (
        "events.yaml:14:9: id-en 'kurs-2024' er brukt før (første gang på linje 6); hver "
        "oppføring trenger sin egen id\n1 feil; ingenting ble endret.\n"
    )


@pytest.mark.parametrize(("access_log", "workers"), [("true", 1), ("false", 1), ("true", 2)])
def test_serve_syncs_the_file_and_serves_it_logging_requests_unless_told_not_to(
    tmp_path: Path, access_log: str, workers: int
) -> None:
    shutil.copy(SHIPPED, tmp_path / "events.yaml")
    port = free_port()
    env = {**os.environ, "CALFEED_DATA": "events.yaml", "CALFEED_ACCESS_LOG": access_log,
           "CALFEED_WORKERS": str(workers),
           "CALFEED_DATABASE_URL": f"sqlite:///{tmp_path / 'calfeed.db'}"}
    log = tmp_path / "serve.log"
    serving = "INFO calfeed.serve: serving revision 1 (33 entries)"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "calfeed", "serve", "--port", str(port)],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        body = b""
        # Until every worker has started and one of them has answered.
        while not body or log.read_text().count(serving) < workers:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/calendar.ics") as answer:
                    body = answer.read()
                    assert answer.headers["server"] is None  # the software is not advertised
            except OSError:
                pass  # not listening yet
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = log.read_text()
    assert b"BEGIN:VEVENT" in body
    assert output.count("synced events.yaml: 33 added") == 1  # once, before taking traffic
    # Each process answering requests logs what it serves, in calfeed's format.
    assert output.count(serving) == workers
    assert ('"GET /calendar.ics HTTP/1.1" 200' in output) == (access_log == "true")


def test_a_bad_setting_is_named_with_what_it_should_be(
        run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFEED_PORT", "70000")
    code, out, err = run("check", SHIPPED)
    assert out == ""
    assert code == 2
    assert err == "error: CALFEED_PORT: Input should be less than or equal to 65535\n"


@pytest.mark.parametrize("port", ["70000", "0", "http"])
def test_serve_refuses_a_port_that_is_not_one(run: Runner, port: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run("serve", "--port", port)
    assert exited.value.code == 2
    assert f"argument --port: '{port}' is not a port number (1-65535)" in capsys.readouterr().err


def test_serve_on_a_port_in_use_says_so_in_one_line_and_exits_2(run: Runner, events: Path,
                                                                  tmp_path: Path) -> None:
    # Before: uvicorn's startup failure, exit 3, which the README keeps for a busy database.
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        code, out, err = run("serve", "--port", str(port))
    assert (code, out) == (2, "")
    assert err == (f"error: cannot listen on 127.0.0.1:{port} (Address already in use); stop "
                   "the program that does, or choose another port with --port or "
                   "CALFEED_PORT\n")
    assert not (tmp_path / "calfeed.db").exists()  # refused before touching anything


def test_sync_and_build_of_a_file_at_every_bound(run: Runner, tmp_path: Path) -> None:
    # Before the bounds, check accepted 9999-12-31 23:30 in Pacific/Kiritimati, and `build`
    # then failed; at the bounds every command works.
    shutil.copy(DATA / "bounds" / "at_the_bounds.yaml", tmp_path / "events.yaml")
    for command in (("check", "events.yaml"), ("sync", "events.yaml"), ("build", "site")):
        code, _, err = run(*command)
        assert (code, err) == (0, ""), command
    assert (tmp_path / "site" / "events" / "siste-tid.ics").exists()
