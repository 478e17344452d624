"""The README is the reference: every setting, command and file key is in it, and nothing in
its tables is made up. (The way sqlite-utils keeps its docs honest.)"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from calfeed.cli import _parser
from calfeed.schema import CalendarIn, EntryIn, FeedIn
from calfeed.settings import Settings
from tests.conftest import SHIPPED
from tests.support.clock import MovableClock

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The README text under a heading, up to the next heading of the same or higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\s*$", README, flags=re.MULTILINE)
    assert match, f"README has no '{heading}' heading"
    level = len(match.group(1))
    rest = README[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.MULTILINE)
    return rest[:end.start()] if end else rest


def first_column(text: str) -> list[str]:
    """The `code` in the first cell of each table row."""
    return re.findall(r"^\|\s*`([^`]+)`", text, flags=re.MULTILINE)


def test_every_setting_is_in_the_settings_table_and_nothing_else() -> None:
    documented = first_column(section("Settings"))
    actual = [f"CALFEED_{name.upper()}" for name in Settings.model_fields]
    assert sorted(documented) == sorted(actual)


def test_the_settings_table_gives_the_real_defaults() -> None:
    rows = dict(re.findall(r"^\|\s*`(CALFEED_\w+)`\s*\|\s*([^|]*?)\s*\|", section("Settings"),
                           flags=re.MULTILINE))
    for name, field in Settings.model_fields.items():
        if field.default is None:
            continue
        assert rows[f"CALFEED_{name.upper()}"] == f"`{field.default}`", name


def commands() -> list[str]:
    subparsers = next(a for a in _parser()._actions
                      if isinstance(a, argparse._SubParsersAction))
    return list(subparsers.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_is_in_the_commands_table(command: str) -> None:
    assert re.search(rf"^\|\s*`calfeed {command}\b", section("Commands"), flags=re.MULTILINE)


def test_the_commands_table_lists_only_real_commands() -> None:
    documented = re.findall(r"^\|\s*`calfeed (\w+)", section("Commands"), flags=re.MULTILINE)
    assert sorted(documented) == sorted(commands())


@pytest.mark.parametrize(("heading", "model"), [
    ("Calendar keys", CalendarIn),
    ("Entry keys", EntryIn),
])
def test_every_key_is_in_its_table_and_nothing_else(heading: str, model: type[BaseModel]) -> None:
    assert sorted(first_column(section(heading))) == sorted(model.model_fields)


def test_every_feed_key_is_in_the_example() -> None:
    example = section("The source file: `data/events.yaml`")
    feeds = example[example.index("feeds:"):example.index("entries:")]
    for key in FeedIn.model_fields:
        assert re.search(rf"^\s+{key}:", feeds, flags=re.MULTILINE), key


# --- the API example answers what the shipped data answers --------------------------------------


def _like(documented: Any, actual: Any, where: str) -> None:
    """``actual`` says what ``documented`` shows; '…' in a documented string stands for any
    text, and a documented object may leave keys out (it is an excerpt)."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict), where
        for key, value in documented.items():
            assert key in actual, f"{where}.{key} is in the README but not in the answer"
            _like(value, actual[key], f"{where}.{key}")
    elif isinstance(documented, list):
        assert isinstance(actual, list) and len(actual) == len(documented), where
        for i, (doc, act) in enumerate(zip(documented, actual, strict=True)):
            _like(doc, act, f"{where}[{i}]")
    elif isinstance(documented, str) and "…" in documented:
        pattern = ".*".join(re.escape(part) for part in documented.split("…"))
        assert isinstance(actual, str) and re.fullmatch(pattern, actual, re.DOTALL), \
            f"{where}: {actual!r} is not like {documented!r}"
    else:
        assert documented == actual, f"{where}: the README shows {documented!r}, not {actual!r}"


def test_the_api_example_is_what_the_shipped_data_answers(
        serve: Callable[..., TestClient], clock: MovableClock) -> None:
    # Before: the example (feed=frister&limit=5, 'days_left: 46') was the answer on the test
    # suite's fixed day in 2024; the shipped data answers 'items: []' on any day after 2024.
    api = section("JSON API")
    url = re.search(r"^curl '(https://kalender\.example\.no)(/api/v1/events\?[^']+)'", api,
                    flags=re.MULTILINE)
    assert url, "no curl example"
    documented = json.loads(re.search(r"```json\n(.*?)```", api, flags=re.DOTALL).group(1))
    clock.now = datetime(2026, 1, 15, 9, tzinfo=UTC)  # any day after the last one shipped
    client = serve(SHIPPED, now=datetime(2024, 6, 28, 8, tzinfo=UTC))
    response = client.get(url.group(2))
    assert response.status_code == 200
    assert documented["items"], "the example should show items"
    _like(documented, response.json(), "answer")
