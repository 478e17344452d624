"""Pieces in the database: a publish keeps every live entry's VEVENT, Atom entry, RSS item and
JSON item, rendering only what is new or stale. Runs on SQLite and PostgreSQL (conftest.py).
"""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from calfeed.formats.context import RenderContext
from calfeed.formats.pieces import KINDS
from calfeed.model import Published
from calfeed.publish import Publication, publish
from calfeed.publish.keys import PieceMaker, canonical_makers
from calfeed.settings import get_settings
from calfeed.source import parse_source
from calfeed.store import current_revision, load_snapshot
from calfeed.store.db import write_transaction
from calfeed.store.tables import PieceRow
from tests.conftest import DATA, NOW

BASE = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
SITE = "https://kalender.example.no"
IDS = {"kurs-ungdom", "webinar-rus", "horing-krisesenterloven", "rettsavgjorelser"}

Rows = dict[tuple[str, str], tuple[str, bytes]]


def apply(engine: Engine, text: str, now: datetime = NOW, site: str | None = SITE) -> Publication:
    """What `calfeed sync` does, with ``site`` as CALFEED_BASE_URL."""
    settings = get_settings(base_url=site)
    return publish(settings, engine, parse_source(text).source, now, "events.yaml")


def stored(engine: Engine) -> Rows:
    with engine.connect() as conn:
        return {(r.kind, r.entry_id): (r.digest, bytes(r.body)) for r in conn.execute(
            select(PieceRow.kind, PieceRow.entry_id, PieceRow.digest, PieceRow.body))}


def days(engine: Engine) -> dict[tuple[str, str], date | None]:
    with engine.connect() as conn:
        return {(r.kind, r.entry_id): r.day for r in conn.execute(
            select(PieceRow.kind, PieceRow.entry_id, PieceRow.day))}


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


def test_sync_stores_each_entrys_pieces_as_a_replica_would_render_them(engine):
    apply(engine, BASE)
    rows = stored(engine)
    assert rows.keys() == {(kind, entry_id) for kind in KINDS for entry_id in IDS}
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    ctx = RenderContext(SITE, NOW.date())
    for maker in canonical_makers(snapshot.calendar, ctx):
        for published in snapshot.entries:
            # Same digest and same bytes as the reader computes from the snapshot it loads.
            assert rows[(maker.kind, published.entry.id)] == \
                (maker.digest(published), maker.render(published))
    assert rows[("vevent", "kurs-ungdom")][1].startswith(b"BEGIN:VEVENT\r\n")
    assert rows[("atom", "kurs-ungdom")][1].startswith(b"  <entry>\n")
    assert rows[("rss", "kurs-ungdom")][1].startswith(b"    <item>\n")
    assert rows[("json", "kurs-ungdom")][1].startswith(b'{"id":"kurs-ungdom"')


def test_an_unchanged_sync_renders_nothing(engine, renders):
    assert apply(engine, BASE).pieces_rendered == 16
    assert rendered(renders) == ["rendered 16 pieces (atom 4, json 4, rss 4, vevent 4)"]
    before = stored(engine)
    assert apply(engine, BASE, NOW + timedelta(hours=1)).pieces_rendered == 0
    assert rendered(renders) == []
    assert stored(engine) == before
    # Not a day later either: the recurring entry's Atom/RSS title (its next date) is
    # rendered by whoever serves it on that day, in memory; the rows say which day they are.
    apply(engine, BASE, NOW + timedelta(days=1))
    assert rendered(renders) == []
    assert stored(engine) == before
    assert {key: day for key, day in days(engine).items() if day is not None} == {
        ("atom", "rettsavgjorelser"): NOW.date(), ("rss", "rettsavgjorelser"): NOW.date()}


def test_a_one_entry_edit_renders_one_piece_per_kind(engine, renders):
    apply(engine, BASE)
    before = stored(engine)
    rendered(renders)
    report = apply(engine, BASE.replace("title: Webinar «Rus, vold og utnyttelse»",
                                        "title: Webinar «Rus og vold»"), NOW + timedelta(hours=1))
    assert report.pieces_rendered == len(KINDS)
    assert rendered(renders) == ["rendered 4 pieces (atom 1, json 1, rss 1, vevent 1)"]
    after = stored(engine)
    assert changed(before, after) == {(kind, "webinar-rus") for kind in KINDS}
    assert b"Rus og vold" in after[("atom", "webinar-rus")][1]


def test_a_removed_entry_leaves_no_pieces(engine, renders):
    apply(engine, BASE)
    start = BASE.index("  - id: webinar-rus")
    end = BASE.index("  - id: horing-krisesenterloven")
    apply(engine, BASE[:start] + BASE[end:], NOW + timedelta(hours=1))
    assert {entry_id for _, entry_id in stored(engine)} == IDS - {"webinar-rus"}
    rendered(renders)
    apply(engine, BASE, NOW + timedelta(hours=2))  # restored: a new revision, new pieces
    assert rendered(renders) == ["rendered 4 pieces (atom 1, json 1, rss 1, vevent 1)"]
    assert {entry_id for _, entry_id in stored(engine)} == IDS


def test_another_site_url_renders_every_piece_again(engine, renders):
    apply(engine, BASE)
    rendered(renders)
    apply(engine, BASE, NOW + timedelta(hours=1), site="https://events.example.org")
    assert rendered(renders) == ["rendered 16 pieces (atom 4, json 4, rss 4, vevent 4)"]
    assert b"https://events.example.org/events/kurs-ungdom" in \
        stored(engine)[("vevent", "kurs-ungdom")][1]
    assert len(stored(engine)) == 16  # the old site's rows are gone


def test_other_writers_need_not_wait_while_a_sync_renders(engine, monkeypatch):
    rendering, release = threading.Event(), threading.Event()
    render = PieceMaker.render

    def slow_render(maker: PieceMaker, published: Published) -> bytes:
        rendering.set()
        assert release.wait(60), "the test never let rendering go on"
        return render(maker, published)

    monkeypatch.setattr(PieceMaker, "render", slow_render)
    reports: list[Publication] = []
    syncing = threading.Thread(target=lambda: reports.append(apply(engine, BASE)))
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
    assert reports[0].pieces_rendered == len(KINDS) * len(IDS)
    assert len(stored(engine)) == len(KINDS) * len(IDS)


def test_pieces_rendered_for_data_that_moved_on_are_not_stored(engine, renders):
    # Two syncs in a row, the second editing an entry: what is left is exactly the second's.
    apply(engine, BASE)
    edited = BASE.replace("title: Webinar «Rus, vold og utnyttelse»", "title: Webinar «Endret»")
    apply(engine, edited, NOW + timedelta(hours=1))
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    ctx = RenderContext(SITE, NOW.date())
    expected = {(maker.kind, p.entry.id): maker.digest(p)
                for maker in canonical_makers(snapshot.calendar, ctx) for p in snapshot.entries}
    assert {key: digest for key, (digest, _) in stored(engine).items()} == expected


def test_pieces_of_changed_rendering_code_are_rendered_again(engine, renders, monkeypatch):
    apply(engine, BASE)
    rendered(renders)
    # What a deploy of changed formats code does to renderer(): a sync with the same data
    # replaces every stored piece instead of serving the old code's bytes.
    from calfeed.publish import keys

    monkeypatch.setattr(keys, "renderer", lambda: "new code")
    report = apply(engine, BASE, NOW + timedelta(hours=1))
    assert report.pieces_rendered == len(KINDS) * len(IDS)
    assert not report.report.changed_anything  # the data itself did not change
    assert len(stored(engine)) == len(KINDS) * len(IDS)



def test_a_piece_that_fails_to_render_does_not_fail_the_sync(engine, monkeypatch, caplog):
    from calfeed.formats import atom

    render_entry = atom.render_entry

    def broken_for_one(published, *args, **kwargs):  # type: ignore[no-untyped-def]
        if published.entry.id == "webinar-rus":
            raise RuntimeError("a bug in the Atom renderer")
        return render_entry(published, *args, **kwargs)

    monkeypatch.setattr(atom, "render_entry", broken_for_one)
    report = apply(engine, BASE)
    assert report.report.added  # the data is synced
    assert load_snapshot(engine) is not None
    # Everything else is stored; the broken entry's Atom and RSS items are left to readers.
    assert report.pieces_rendered == len(KINDS) * len(IDS) - 2
    assert set(stored(engine)) == {(k, i) for k in KINDS for i in IDS} - {
        ("atom", "webinar-rus"), ("rss", "webinar-rus")}
    assert "could not render the atom piece of 'webinar-rus'" in caplog.text
