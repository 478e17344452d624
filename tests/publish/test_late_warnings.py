"""Warnings only a sync can give, as the watcher of `calfeed serve` logs them: an entry new to
a calendar published before that had already ended (a mistyped year, most often)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from calfeed.publish import publish_file
from calfeed.settings import Settings
from tests.conftest import DATA

NOW = datetime(2024, 10, 1, 10, 0, tzinfo=UTC)


def test_an_entry_added_after_it_ended_is_told_by_the_sync(
        settings: Settings, engine: Engine) -> None:
    shutil.copy(DATA / "sync_base.yaml", settings.data)
    # The first publish: entries already past (kurs-ungdom ended in August) are history.
    assert publish_file(settings, engine, NOW).late == ()
    text = settings.data.read_text(encoding="utf-8")
    settings.data.write_text(text + (
        "  - id: seminar-i-fjor\n    type: seminar\n    title: Seminar\n"
        "    start: 2023-09-12\n"), encoding="utf-8")
    first = publish_file(settings, engine, NOW)
    assert first.report.added == ("seminar-i-fjor",)
    (warning,) = first.late
    assert (Path(warning.file), warning.line, warning.column, warning.severity) == (
        settings.data, text.count("\n") + 1, 5, "warning")
    assert warning.message.startswith("'seminar-i-fjor' ended (2023-09-12) before it was")
    assert publish_file(settings, engine, NOW).late == ()  # not new any more
