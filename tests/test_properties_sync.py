"""Properties that must hold for any file an editor can write.

1. Any valid file, synced twice, changes nothing the second time (no revision bump, no new
   SEQUENCE, not one row different), and what the store gives back equals what the file says.
2. Whatever the file's text, reading it gives a result or a SourceError with located problems;
   never a crash.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from calfeed.errors import SourceError
from calfeed.model import STATUSES, TYPES
from calfeed.source import parse_source
from calfeed.store import create_db_engine, load_snapshot, sync
from calfeed.store.tables import Base
from tests.conftest import NOW, SHIPPED

ZONES = ["Europe/Oslo", "America/New_York", "UTC", "Asia/Kolkata", "Australia/Sydney"]
SLUG = r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,3}"
TAG = r"[a-z0-9æøå]{1,10}(-[a-z0-9æøå]{1,6}){0,2}"

# Unicode text as editors paste it: letters in any script, punctuation, emoji, YAML's own
# special characters and words ("no", "null", "- ", ": ", "#"), but no control characters.
_characters = st.characters(blacklist_categories=("Cc", "Cs"))
_tricky = st.sampled_from(["no", "yes", "null", "~", "- a", "a: b", "# x", "'", '"', "&a", "*a",
                           "!tag", "%", "@", "`", "{", "[", "2024-08-21", "1e3", "0x1F", "\t"])
text = st.lists(st.one_of(st.text(_characters, min_size=1, max_size=12), _tricky),
                min_size=1, max_size=4).map(" ".join).filter(lambda s: s.strip() != "")
one_line = text.map(lambda s: s.replace("\n", " ").replace("\r", " ").replace("\u2028", " ")
                    .replace("\u2029", " ").replace("\x85", " ")).filter(lambda s: s.strip() != "")
multi_line = st.lists(one_line, min_size=1, max_size=3).map("\n".join)
url = st.from_regex(r"https://[a-z]{1,10}\.example\.no(/[a-z0-9æøå%-]{0,10}){0,3}", fullmatch=True)


def _wall(day: date, minutes: int) -> datetime:
    # 08:00–20:00: clear of every DST change in these zones, so every generated file is valid.
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=480 + minutes)


@st.composite
def entries(draw: st.DrawFn, entry_id: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(TYPES))
    entry: dict[str, Any] = {"id": entry_id, "type": kind, "title": draw(one_line)}
    day = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    timed = draw(st.booleans())
    start = _wall(day, draw(st.integers(0, 600))) if timed else day
    key = "due" if kind == "deadline" else "start"
    entry[key] = f"{start:%Y-%m-%d %H:%M}" if timed else start.isoformat()
    if kind != "deadline" and draw(st.booleans()):
        if timed:
            entry["end"] = f"{start + timedelta(minutes=draw(st.integers(0, 120))):%Y-%m-%d %H:%M}"
        else:
            entry["end"] = (day + timedelta(days=draw(st.integers(0, 3)))).isoformat()
    if timed and draw(st.booleans()):
        entry["timezone"] = draw(st.sampled_from(ZONES))
    optional: dict[str, st.SearchStrategy[Any]] = {
        "location": one_line, "organizer": one_line, "description": multi_line,
        "url": url, "online_url": url,
        "tags": st.lists(st.from_regex(TAG, fullmatch=True), max_size=4),
        "status": st.sampled_from(STATUSES),
        "published": st.dates(date(2020, 1, 1), date(2030, 1, 1)).map(date.isoformat),
        "repeat": st.sampled_from([
            "FREQ=WEEKLY;COUNT=3", "FREQ=YEARLY", "FREQ=MONTHLY;INTERVAL=2",
            "FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1",
            "FREQ=WEEKLY;UNTIL=20311231T230000Z" if timed else "FREQ=WEEKLY;UNTIL=20311231",
        ]),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            entry[name] = draw(strategy)
    return entry


@st.composite
def sources(draw: st.DrawFn) -> str:
    ids = draw(st.lists(st.from_regex(SLUG, fullmatch=True), unique=True, max_size=6))
    document = {
        "calendar": {"title": draw(one_line), "uid_domain": "kalender.example.no",
                     "timezone": draw(st.sampled_from(ZONES)),
                     "language": draw(st.sampled_from(["nb", "en"]))},
        "feeds": {"frister": {"title": draw(one_line), "types": ["deadline"]}},
        "entries": [draw(entries(i)) for i in ids],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=60)


def dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t))]
                for t in Base.metadata.sorted_tables if t.name != "sync_runs"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources())
def test_a_valid_file_synced_twice_changes_nothing_the_second_time(text: str) -> None:
    source = parse_source(text).source
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{Path(tmp) / 'calfeed.db'}")
        try:
            first = sync(engine, source, NOW)
            assert sorted(first.added) == sorted(e.id for e in source.entries)
            before = dump(engine)
            again = sync(engine, parse_source(text).source, NOW + timedelta(days=1))
            assert not again.changed_anything
            assert again.revision == first.revision == 1
            assert dump(engine) == before
            snapshot = load_snapshot(engine)
            assert snapshot is not None
            assert {p.entry.id: p.entry for p in snapshot.entries} == \
                {e.id: e for e in source.entries}
            assert {p.sequence for p in snapshot.entries} <= {0}
        finally:
            engine.dispose()


# --- mangled files ------------------------------------------------------------------------------

SHIPPED_LINES = SHIPPED.read_text(encoding="utf-8").splitlines(keepends=True)


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """The shipped file after a few careless edits: lines deleted, duplicated, moved, cut,
    re-indented, or with a stray character typed into them."""
    lines = list(SHIPPED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "move", "cut", "indent", "type"]))
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(i))
        elif edit == "cut":
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
        elif edit == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip(" ")
        else:
            at = draw(st.integers(0, len(lines[i])))
            char = draw(st.sampled_from([":", "-", "'", '"', "[", "{", "#", "&", "*", "!", "|",
                                         "\t", "\x00", "\ufeff", "ø", " "]))
            lines[i] = lines[i][:at] + char + lines[i][at:]
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=300, deadline=None)
@given(mangled())
def test_reading_a_mangled_file_gives_located_problems_never_a_crash(text: str) -> None:
    try:
        parse_source(text)
    except SourceError as exc:
        assert exc.problems
        lines = text.count("\n") + 2
        for problem in exc.problems:
            assert 1 <= problem.line <= lines and problem.column >= 1
            assert problem.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_reading_arbitrary_text_never_crashes(text: str) -> None:
    try:
        parse_source("calendar:\n  title: T\n  uid_domain: x.no\n" + text)
    except SourceError as exc:
        assert exc.problems
