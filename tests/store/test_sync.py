"""The sync rules, as a subscriber's calendar sees them: SEQUENCE and LAST-MODIFIED move only
when an entry really changed; removed entries disappear; a restored id continues its sequence.

Runs on SQLite and PostgreSQL (see conftest.py). Edits are made to the text of
tests/data/sync_base.yaml, the way an editor changes the file.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from calfeed.errors import Problem
from calfeed.model import Published, Snapshot
from calfeed.source import parse_source
from calfeed.store import (
    SyncReport,
    current_revision,
    last_sync,
    live_entry_count,
    load_snapshot,
    record_failure,
    sync,
)
from calfeed.store.tables import Base
from tests.conftest import DATA, NOW

BASE = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
LATER = NOW + timedelta(hours=1)
MUCH_LATER = NOW + timedelta(days=1)
IDS = ["rettsavgjorelser", "kurs-ungdom", "horing-krisesenterloven", "webinar-rus"]


def apply(engine: Engine, text: str, now: datetime = NOW) -> SyncReport:
    return sync(engine, parse_source(text).source, now, "events.yaml")


def snapshot(engine: Engine) -> Snapshot:
    snap = load_snapshot(engine)
    assert snap is not None
    return snap


def published(engine: Engine) -> dict[str, Published]:
    return {p.entry.id: p for p in snapshot(engine).entries}


def dump(engine: Engine) -> dict[str, list[Any]]:
    """Every row of every data table (not the sync log), to compare before and after."""
    with engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(
                select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables if table.name != "sync_runs"
        }


def without(text: str, entry_id: str) -> str:
    """The text with one entry (from its '- id:' line to the next) cut out."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {entry_id}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- id:")),
               len(lines))
    return "".join(lines[:start] + lines[end:])


# --- first sync ----------------------------------------------------------------------------------


def test_before_the_first_sync_there_is_nothing(engine: Engine) -> None:
    assert load_snapshot(engine) is None
    assert current_revision(engine) == 0
    assert last_sync(engine) is None


def test_the_first_sync_adds_everything_at_sequence_zero(engine: Engine) -> None:
    report = apply(engine, BASE)
    assert report.summary() == "4 added, 0 changed, 0 removed, 0 restored, 0 unchanged (revision 1)"
    snap = snapshot(engine)
    assert (snap.revision, snap.changed_at) == (1, NOW)
    assert [p.entry.id for p in snap.entries] == IDS  # in start order
    for p in snap.entries:
        assert (p.sequence, p.first_seen, p.last_modified) == (0, NOW, NOW)
    assert list(snap.feeds) == ["all", "frister"]
    assert snap.calendar.title == "KOM – kurs og frister"


def test_entries_read_back_equal_what_the_file_says(engine: Engine) -> None:
    apply(engine, BASE)
    expected = {e.id: e for e in parse_source(BASE).source.entries}
    assert {i: p.entry for i, p in published(engine).items()} == expected
    webinar = published(engine)["webinar-rus"].entry
    assert webinar.start.isoformat() == "2024-11-14T09:00:00+01:00"
    assert published(engine)["kurs-ungdom"].last_modified.tzinfo is not None


# --- unchanged -----------------------------------------------------------------------------------


def test_an_unchanged_file_changes_nothing_at_all(engine: Engine) -> None:
    apply(engine, BASE)
    before, entries_before = dump(engine), published(engine)
    report = apply(engine, BASE, now=LATER)
    assert not report.changed_anything
    assert report.summary() == "0 added, 0 changed, 0 removed, 0 restored, 4 unchanged (revision 1)"
    assert dump(engine) == before
    assert published(engine) == entries_before
    snap = snapshot(engine)
    assert (snap.revision, snap.changed_at) == (1, NOW)


def test_comments_reordering_and_blank_lines_are_not_changes(engine: Engine) -> None:
    apply(engine, BASE)
    before = dump(engine)
    kurs = BASE[BASE.index("  - id: kurs-ungdom"):BASE.index("  - id: webinar-rus")]
    reordered = without(BASE, "kurs-ungdom") + "\n  # moved to the end\n" + kurs
    reordered = reordered.replace("title: KOM", "title:   KOM")
    assert not apply(engine, reordered, now=LATER).changed_anything
    assert dump(engine) == before


# --- changed -------------------------------------------------------------------------------------


def test_a_changed_entry_gets_sequence_plus_one_and_a_new_last_modified(engine: Engine) -> None:
    apply(engine, BASE)
    before = published(engine)
    report = apply(engine, BASE.replace("start: 2024-11-14 09:00", "start: 2024-11-14 09:30"),
                   now=LATER)
    assert report.changed == ("webinar-rus",)
    assert report.summary() == "0 added, 1 changed, 0 removed, 0 restored, 3 unchanged (revision 2)"
    after = published(engine)
    moved = after["webinar-rus"]
    assert (moved.sequence, moved.last_modified, moved.first_seen) == (1, LATER, NOW)
    assert moved.entry.start.isoformat() == "2024-11-14T09:30:00+01:00"
    for other in ("kurs-ungdom", "horing-krisesenterloven", "rettsavgjorelser"):
        assert after[other] == before[other]
    snap = snapshot(engine)
    assert (snap.revision, snap.changed_at) == (2, LATER)


def test_every_edit_raises_the_sequence_again(engine: Engine) -> None:
    apply(engine, BASE)
    apply(engine, BASE.replace("location: Digitalt", "location: Oslo"), now=LATER)
    apply(engine, BASE.replace("location: Digitalt", "location: Bergen"), now=MUCH_LATER)
    kurs = published(engine)["kurs-ungdom"]
    assert (kurs.sequence, kurs.last_modified) == (2, MUCH_LATER)


def test_cancelling_an_entry_is_a_change(engine: Engine) -> None:
    apply(engine, BASE)
    cancelled = BASE.replace("    location: Digitalt\n",
                             "    location: Digitalt\n    status: cancelled\n")
    assert apply(engine, cancelled, now=LATER).changed == ("kurs-ungdom",)
    kurs = published(engine)["kurs-ungdom"]
    assert kurs.entry.cancelled and kurs.sequence == 1


def test_a_tag_change_is_a_change(engine: Engine) -> None:
    apply(engine, BASE)
    report = apply(engine, BASE.replace("tags: [ungdom, utnyttelse]", "tags: [ungdom]"), now=LATER)
    assert report.changed == ("kurs-ungdom",)
    assert published(engine)["kurs-ungdom"].entry.tags == ("ungdom",)


def test_last_modified_never_goes_back_when_the_clock_does(engine: Engine) -> None:
    apply(engine, BASE, now=LATER)
    apply(engine, BASE.replace("location: Digitalt", "location: Oslo"), now=NOW)
    kurs = published(engine)["kurs-ungdom"]
    assert kurs.sequence == 1 and kurs.last_modified == LATER
    assert snapshot(engine).changed_at == LATER


# --- removed and restored ------------------------------------------------------------------------


def test_a_removed_entry_disappears_but_the_others_stay(engine: Engine) -> None:
    apply(engine, BASE)
    before = published(engine)
    report = apply(engine, without(BASE, "webinar-rus"), now=LATER)
    assert report.removed == ("webinar-rus",)
    assert report.summary() == "0 added, 0 changed, 1 removed, 0 restored, 3 unchanged (revision 2)"
    after = published(engine)
    assert "webinar-rus" not in after
    assert snapshot(engine).entry("webinar-rus") is None
    assert live_entry_count(engine) == 3
    assert {i: after[i] for i in after} == {i: before[i] for i in after}
    assert snapshot(engine).revision == 2


def test_a_removed_entry_stays_removed_on_the_next_sync(engine: Engine) -> None:
    apply(engine, BASE)
    apply(engine, without(BASE, "webinar-rus"), now=LATER)
    report = apply(engine, without(BASE, "webinar-rus"), now=MUCH_LATER)
    assert not report.changed_anything and report.removed == ()
    assert snapshot(engine).revision == 2


def test_a_restored_id_continues_its_sequence(engine: Engine) -> None:
    apply(engine, BASE)
    apply(engine, BASE.replace("start: 2024-11-14 09:00", "start: 2024-11-14 09:30"), now=LATER)
    assert published(engine)["webinar-rus"].sequence == 1
    apply(engine, without(BASE, "webinar-rus"), now=LATER + timedelta(hours=1))
    report = apply(engine, BASE, now=MUCH_LATER)
    assert report.restored == ("webinar-rus",) and report.added == ()
    back = published(engine)["webinar-rus"]
    # Higher than any SEQUENCE a subscriber saw, so calendars take the restored version.
    assert back.sequence == 2
    assert (back.first_seen, back.last_modified) == (NOW, MUCH_LATER)
    assert back.entry.start.isoformat() == "2024-11-14T09:00:00+01:00"
    assert snapshot(engine).revision == 4


def test_a_new_entry_is_added_without_touching_the_others(engine: Engine) -> None:
    apply(engine, BASE)
    before = published(engine)
    extra = ("  - id: nytt-kurs\n    type: course\n    title: Nytt kurs\n"
             "    start: 2024-12-01\n")
    report = apply(engine, BASE + extra, now=LATER)
    assert report.added == ("nytt-kurs",)
    after = published(engine)
    assert (after["nytt-kurs"].sequence, after["nytt-kurs"].first_seen) == (0, LATER)
    assert {i: after[i] for i in before} == before


# --- calendar-level changes ----------------------------------------------------------------------


def test_a_calendar_change_bumps_the_revision_but_no_entry(engine: Engine) -> None:
    apply(engine, BASE)
    before = published(engine)
    report = apply(engine, BASE.replace("title: KOM – kurs og frister", "title: KOM – kalender"),
                   now=LATER)
    assert report.calendar_changed and report.changed_anything
    assert report.summary() == "0 added, 0 changed, 0 removed, 0 restored, 4 unchanged (revision 2)"
    snap = snapshot(engine)
    assert (snap.revision, snap.changed_at, snap.calendar.title) == (2, LATER, "KOM – kalender")
    assert published(engine) == before


def test_a_new_feed_is_a_calendar_change(engine: Engine) -> None:
    apply(engine, BASE)
    with_feed = BASE.replace(
        "feeds:\n", "feeds:\n  kurs:\n    title: Kurs\n    types: [course, webinar]\n")
    assert apply(engine, with_feed, now=LATER).calendar_changed
    feeds = snapshot(engine).feeds
    assert list(feeds) == ["all", "kurs", "frister"]  # in file order
    assert feeds["kurs"].types == ("course", "webinar")


# --- failures ------------------------------------------------------------------------------------


def test_a_recorded_failure_keeps_the_data_and_is_reported(engine: Engine) -> None:
    apply(engine, BASE)
    before, snap_before = dump(engine), snapshot(engine)
    problem = Problem("events.yaml", 13, 10, "'16.09.2024' is not a date")
    record_failure(engine, LATER, "events.yaml", [problem])
    assert dump(engine) == before
    assert snapshot(engine) == snap_before
    status = last_sync(engine)
    assert status is not None
    assert (status.ok, status.at, status.revision) == (False, LATER, 1)
    assert status.message == "events.yaml:13:10: '16.09.2024' is not a date"


def test_the_sync_log_counts_what_happened(engine: Engine) -> None:
    apply(engine, BASE)
    apply(engine, without(BASE, "webinar-rus").replace("location: Digitalt", "location: Oslo"),
          now=LATER)
    status = last_sync(engine)
    assert status is not None and status.ok
    assert (status.added, status.changed, status.removed, status.unchanged) == (0, 1, 1, 2)
    assert (status.at, status.revision, status.source) == (LATER, 2, "events.yaml")
