"""Messages in nb and en: every message the invalid fixtures produce has a Norwegian
wording, and the commands speak the calendar's language (a setting overrides it), with the
same locations and exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from calfeed.cli import main
from calfeed.errors import SourceError
from calfeed.messages import known, say
from calfeed.source import load_source
from tests.conftest import DATA

INVALID = sorted((DATA / "invalid").glob("*.yaml"))


def _messages(path: Path) -> list[str]:
    try:
        loaded = load_source(path)
    except SourceError as exc:
        return [p.message for p in exc.problems + exc.warnings]
    return [p.message for p in loaded.warnings]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_every_message_has_a_norwegian_wording(path: Path) -> None:
    messages = _messages(path)
    assert messages
    assert [m for m in messages if not known(m)] == []


def test_warnings_have_norwegian_wordings_too() -> None:
    for path in (DATA / "dst_gap.yaml", DATA / "dst_overlap.yaml", DATA / "warnings.yaml"):
        messages = _messages(path)
        assert messages
        assert all(known(m) and say(m, "nb") != m for m in messages)


def test_values_stay_as_written() -> None:
    assert say("unknown key 'strat' — did you mean 'start'?", "nb") == (
        "ukjent nøkkel 'strat' — mente du 'start'?")
    assert say("title: must be a single line", "nb") == "title: må stå på én linje"
    assert say("unknown key 'strat' — did you mean 'start'?", "en") == (
        "unknown key 'strat' — did you mean 'start'?")


@pytest.fixture
def nb_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'calfeed.db'}")
    monkeypatch.delenv("CALFEED_LANGUAGE", raising=False)
    shutil.copy(DATA / "invalid" / "several_mistakes.yaml", tmp_path / "events.yaml")
    return tmp_path / "events.yaml"


def test_check_speaks_the_calendars_language(nb_file: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["check", "events.yaml"]) == 1
    nb = capsys.readouterr().err.splitlines()
    monkeypatch.setenv("CALFEED_LANGUAGE", "en")
    assert main(["check", "events.yaml"]) == 1
    en = capsys.readouterr().err.splitlines()
    # the same places, in the same order, in other words
    assert [line.split(": ", 1)[0] for line in nb[:-1]] == [
        line.split(": ", 1)[0] for line in en[:-1]]
    assert nb != en
    assert nb[-1].endswith("feil; ingenting ble endret.")
    assert en[-1].endswith("; nothing was changed.")
    assert "ukjent nøkkel 'strat' — mente du 'start'?" in "\n".join(nb)


def test_sync_summary_in_norwegian(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'calfeed.db'}")
    monkeypatch.delenv("CALFEED_LANGUAGE", raising=False)
    shutil.copy(DATA / "sync_base.yaml", tmp_path / "events.yaml")
    assert main(["check", "events.yaml"]) == 0
    assert capsys.readouterr().out == (
        "events.yaml: ok — 4 oppføringer (1 frist, 1 gjentas), 2 feeder\n")
    assert main(["sync", "events.yaml"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "events.yaml: 4 lagt til, 0 endret, 0 fjernet, 0 gjenopprettet, 0 uendret (revisjon 1)")
