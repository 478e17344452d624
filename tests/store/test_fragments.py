"""Fragments in the database: sync keeps every live entry's VEVENT, Atom entry, RSS item and
JSON item, rendering only what is new or stale. Runs on SQLite and PostgreSQL (conftest.py).
"""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from calfeed.formats.context import RenderContext
from calfeed.formats.fragments import KINDS, canonical_scopes
from calfeed.model import Published
from calfeed.source import parse_source
from calfeed.store import SyncReport, current_revision, load_snapshot, sync
from calfeed.store.db import write_transaction
from calfeed.store.tables import FragmentRow
from tests.conftest import DATA, NOW

BASE = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
SITE = "https://kalender.example.no"
IDS = {"kurs-ungdom", "webinar-rus", "horing-krisesenterloven", "rettsavgjorelser"}

Rows = dict[tuple[str, str], tuple[str, bytes]]


def apply(engine: Engine, text: str, now: datetime = NOW, site: str | None = SITE) -> SyncReport:
    return sync(engine, parse_source(text).source, now, "events.yaml", base_url=site)


def stored(engine: Engine) -> Rows:
    with engine.connect() as conn:
        return {(r.kind, r.entry_id): (r.digest, bytes(r.body)) for r in conn.execute(
            select(FragmentRow.kind, FragmentRow.entry_id, FragmentRow.digest, FragmentRow.body))}


def days(engine: Engine) -> dict[tuple[str, str], date | None]:
    with engine.connect() as conn:
        return {(r.kind, r.entry_id): r.day for r in conn.execute(
            select(FragmentRow.kind, FragmentRow.entry_id, FragmentRow.day))}


def changed(before: Rows, after: Rows) -> set[tuple[str, str]]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


@pytest.fixture
def renders(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="calfeed.sync")
    return caplog


def rendered(log: pytest.LogCaptureFixture) -> list[str]:
    messages = [r.getMessage() for r in log.records if r.getMessage().startswith("rendered ")]
    log.clear()
    return messages


def test_sync_stores_each_entrys_fragments_as_a_replica_would_render_them(engine):
    apply(engine, BASE)
    rows = stored(engine)
    assert rows.keys() == {(kind, entry_id) for kind in KINDS for entry_id in IDS}
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    ctx = RenderContext(SITE, NOW.date())
    for scope in canonical_scopes(snapshot.calendar, ctx):
        for published in snapshot.entries:
            # Same digest and same bytes as the reader computes from the snapshot it loads.
            assert rows[(scope.kind, published.entry.id)] == \
                (scope.digest(published), scope.render(published))
    assert rows[("vevent", "kurs-ungdom")][1].startswith(b"BEGIN:VEVENT\r\n")
    assert rows[("atom", "kurs-ungdom")][1].startswith(b"  <entry>\n")
    assert rows[("rss", "kurs-ungdom")][1].startswith(b"    <item>\n")
    assert rows[("json", "kurs-ungdom")][1].startswith(b'{"id":"kurs-ungdom"')


def test_an_unchanged_sync_renders_nothing(engine, renders):
    assert apply(engine, BASE).fragments_rendered == 16
    assert rendered(renders) == ["rendered 16 fragments (atom 4, json 4, rss 4, vevent 4)"]
    before = stored(engine)
    assert apply(engine, BASE, NOW + timedelta(hours=1)).fragments_rendered == 0
    assert rendered(renders) == []
    assert stored(engine) == before
    # Not a day later either: the recurring entry's Atom/RSS title (its next date) is
    # rendered by whoever serves it on that day, in memory; the rows say which day they are.
    apply(engine, BASE, NOW + timedelta(days=1))
    assert rendered(renders) == []
    assert stored(engine) == before
    assert {key: day for key, day in days(engine).items() if day is not None} == {
        ("atom", "rettsavgjorelser"): NOW.date(), ("rss", "rettsavgjorelser"): NOW.date()}


def test_a_one_entry_edit_renders_one_fragment_per_kind(engine, renders):
    apply(engine, BASE)
    before = stored(engine)
    rendered(renders)
    report = apply(engine, BASE.replace("title: Webinar «Rus, vold og utnyttelse»",
                                        "title: Webinar «Rus og vold»"), NOW + timedelta(hours=1))
    assert report.fragments_rendered == len(KINDS)
    assert rendered(renders) == ["rendered 4 fragments (atom 1, json 1, rss 1, vevent 1)"]
    after = stored(engine)
    assert changed(before, after) == {(kind, "webinar-rus") for kind in KINDS}
    assert b"Rus og vold" in after[("atom", "webinar-rus")][1]


def test_a_removed_entry_leaves_no_fragments(engine, renders):
    apply(engine, BASE)
    start = BASE.index("  - id: webinar-rus")
    end = BASE.index("  - id: horing-krisesenterloven")
    apply(engine, BASE[:start] + BASE[end:], NOW + timedelta(hours=1))
    assert {entry_id for _, entry_id in stored(engine)} == IDS - {"webinar-rus"}
    rendered(renders)
    apply(engine, BASE, NOW + timedelta(hours=2))  # restored: a new revision, new fragments
    assert rendered(renders) == ["rendered 4 fragments (atom 1, json 1, rss 1, vevent 1)"]
    assert {entry_id for _, entry_id in stored(engine)} == IDS


def test_another_site_url_renders_every_fragment_again(engine, renders):
    apply(engine, BASE)
    rendered(renders)
    apply(engine, BASE, NOW + timedelta(hours=1), site="https://events.example.org")
    assert rendered(renders) == ["rendered 16 fragments (atom 4, json 4, rss 4, vevent 4)"]
    assert b"https://events.example.org/events/kurs-ungdom" in \
        stored(engine)[("vevent", "kurs-ungdom")][1]
    assert len(stored(engine)) == 16  # the old site's rows are gone


def test_other_writers_need_not_wait_while_a_sync_renders(engine, monkeypatch):
    from calfeed.formats.fragments import Scope

    rendering, release = threading.Event(), threading.Event()
    render = Scope.render

    def slow_render(scope: Scope, published: Published) -> bytes:
        rendering.set()
        assert release.wait(60), "the test never let rendering go on"
        return render(scope, published)

    monkeypatch.setattr(Scope, "render", slow_render)
    reports: list[SyncReport] = []
    syncing = threading.Thread(target=lambda: reports.append(
        sync(engine, parse_source(BASE).source, NOW, base_url=SITE)))
    syncing.start()
    try:
        assert rendering.wait(60), "the sync never started rendering"
        # The sync is rendering, held up right here, and another writer gets the lock.
        with write_transaction(engine, lock_timeout=5):
            pass
        assert current_revision(engine) == 1  # the data was committed before rendering
    finally:
        release.set()
        syncing.join()
    assert reports[0].fragments_rendered == len(KINDS) * len(IDS)
    assert len(stored(engine)) == len(KINDS) * len(IDS)


def test_fragments_rendered_for_data_that_moved_on_are_not_stored(engine, renders):
    # Two syncs in a row, the second editing an entry: what is left is exactly the second's.
    apply(engine, BASE)
    edited = BASE.replace("title: Webinar «Rus, vold og utnyttelse»", "title: Webinar «Endret»")
    apply(engine, edited, NOW + timedelta(hours=1))
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    ctx = RenderContext(SITE, NOW.date())
    expected = {(scope.kind, p.entry.id): scope.digest(p)
                for scope in canonical_scopes(snapshot.calendar, ctx) for p in snapshot.entries}
    assert {key: digest for key, (digest, _) in stored(engine).items()} == expected


def test_fragments_of_changed_rendering_code_are_rendered_again(engine, renders, monkeypatch):
    apply(engine, BASE)
    rendered(renders)
    # What a deploy of changed formats code does to renderer(): a sync with the same data
    # replaces every stored fragment instead of serving the old code's bytes.
    from calfeed.formats import fragments

    monkeypatch.setattr(fragments, "renderer", lambda: "new code")
    report = apply(engine, BASE, NOW + timedelta(hours=1))
    assert report.fragments_rendered == len(KINDS) * len(IDS)
    assert not report.changed_anything  # the data itself did not change
    assert len(stored(engine)) == len(KINDS) * len(IDS)



def test_a_fragment_that_fails_to_render_does_not_fail_the_sync(engine, monkeypatch, caplog):
    from calfeed.formats import atom

    render_entry = atom.render_entry

    def broken_for_one(published, *args, **kwargs):  # type: ignore[no-untyped-def]
        if published.entry.id == "webinar-rus":
            raise RuntimeError("a bug in the Atom renderer")
        return render_entry(published, *args, **kwargs)

    monkeypatch.setattr(atom, "render_entry", broken_for_one)
    report = apply(engine, BASE)
    assert report.added  # the data is synced
    assert load_snapshot(engine) is not None
    # Everything else is stored; the broken entry's Atom and RSS items are left to readers.
    assert report.fragments_rendered == len(KINDS) * len(IDS) - 2
    assert set(stored(engine)) == {(k, i) for k in KINDS for i in IDS} - {
        ("atom", "webinar-rus"), ("rss", "webinar-rus")}
    assert "could not render the atom fragment of 'webinar-rus'" in caplog.text
