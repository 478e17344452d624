"""The README is the reference: every setting, command and file key is in it, and nothing in
its tables is made up. (The way sqlite-utils keeps its docs honest.)"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from calfeed.cli import _parser
from calfeed.schema import CalendarIn, EntryIn, FeedIn
from calfeed.settings import Settings

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
