"""A pull end to end: partner files served from 127.0.0.1, `sources:` in the file, entries
stored per source and published with the editor's; revisions, vanished entries, failures that
keep the last good entries, the editor's `hide:` and same-id entries, and `calfeed pull`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calfeed.settings import Settings
from calfeed.source import load_source
from calfeed.store import load_snapshot, sync
from calfeed.store.pulled import pull_states
from calfeed.web import create_app
from tests.conftest import NOW
from tests.pull.conftest import Puller, sources
from tests.support.clock import MovableClock
from tests.support.upstream import Upstream


def live(engine: Engine) -> dict[str, tuple[str, str, int]]:
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    return {p.entry.id: (p.entry.title, p.entry.status, p.sequence) for p in snapshot.entries}


def test_a_pull_publishes_every_format_with_its_source_named(
        run_pull: Puller, upstream: Upstream, engine: Engine) -> None:
    result = run_pull(sources(upstream))
    assert [s.outcome for s in result.sources] == ["applied"] * 3
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    by_source: dict[str | None, list[str]] = {}
    for published in snapshot.entries:
        by_source.setdefault(published.entry.source, []).append(published.entry.title)
    assert sorted(by_source) == ["dep", "google", "rvts-sor"]
    assert "Høring om ny handlingsplan mot menneskehandel" in by_source["dep"]
    assert len(by_source["google"]) == 7  # 3 single events and a series of 4
    assert all(re.fullmatch(r"(google|dep|rvts-sor)-[0-9a-f]{8,}", p.entry.id)
               for p in snapshot.entries)


def test_a_second_pull_with_nothing_changed_publishes_nothing(
        run_pull: Puller, upstream: Upstream, engine: Engine) -> None:
    run_pull(sources(upstream))
    before = load_snapshot(engine)
    again = run_pull(sources(upstream), NOW + timedelta(hours=6))
    assert [s.http for s in again.sources] == ["HTTP 304 not modified"] * 3
    assert again.published is None  # nothing synced, nothing rendered
    assert load_snapshot(engine) == before


def test_an_upstream_change_raises_the_sequence(
        run_pull: Puller, upstream: Upstream, engine: Engine) -> None:
    run_pull(sources(upstream))
    path = upstream.directory / "google.ics"
    path.write_bytes(path.read_bytes().replace(b"SUMMARY:Ungdom utnyttet til kriminalitet",
                                               b"SUMMARY:Ungdom utnyttet - nytt sted"))
    result = run_pull(sources(upstream))
    google = result.sources[0]
    assert (len(google.revision.changed), len(google.revision.added)) == (1, 0)
    assert result.published is not None and len(result.published.report.changed) == 1
    changed = [v for v in live(engine).values() if v[0] == "Ungdom utnyttet - nytt sted"]
    assert changed == [("Ungdom utnyttet - nytt sted", "confirmed", 1)]


def test_a_future_entry_that_vanishes_stays_cancelled_until_it_has_ended(
        run_pull: Puller, upstream: Upstream, engine: Engine) -> None:
    run_pull(sources(upstream))
    path = upstream.directory / "google.ics"
    text = path.read_bytes().decode()
    webinar = re.search(r"BEGIN:VEVENT\r\nDTSTART:20240912.*?END:VEVENT\r\n", text, re.S)
    assert webinar is not None
    path.write_bytes(text.replace(webinar.group(), "").encode())
    result = run_pull(sources(upstream))
    assert len(result.sources[0].revision.cancelled) == 1
    title = "Tvangsarbeid og menneskehandel – webinar"
    assert [v for v in live(engine).values() if v[0] == title] == [(title, "cancelled", 1)]
    # After it has ended (12 September), the next pull that reads the file lets it go.
    path.write_bytes(path.read_bytes().replace(b"SEQUENCE:3", b"SEQUENCE:4"))
    later = run_pull(sources(upstream), datetime(2024, 9, 13, tzinfo=UTC))
    assert later.sources[0].revision.dropped
    assert all(v[0] != title for v in live(engine).values())


@pytest.mark.parametrize(("behaviour", "reason"), [
    ("error", "HTTP 500"),
    ("slow", "timed out"),
    ("big", "larger than"),
])
def test_a_failing_source_keeps_its_last_good_entries_and_says_why(
        run_pull: Puller, upstream: Upstream, engine: Engine, behaviour: str,
        reason: str) -> None:
    run_pull(sources(upstream))
    before = live(engine)
    upstream.delay = 6.0  # twice the pull's time limit
    result = run_pull(sources(upstream, behaviour))
    google = result.sources[0]
    assert google.outcome == "kept" and reason in (google.problem or "")
    assert google.kept == 7
    assert live(engine) == before
    state = pull_states(engine)["google"]
    assert state.outcome == "kept" and reason in (state.problem or "")
    assert pull_states(engine)["dep"].outcome == "unchanged"  # the others went on


def test_a_malformed_answer_or_far_fewer_items_keeps_the_last_good_entries(
        run_pull: Puller, upstream: Upstream, engine: Engine) -> None:
    run_pull(sources(upstream))
    before = live(engine)
    path = upstream.directory / "google.ics"
    good = path.read_bytes()
    path.write_bytes(b"<html>Vedlikehold</html>")
    malformed = run_pull(sources(upstream)).sources[0]
    assert malformed.outcome == "kept" and "not an iCalendar file" in (malformed.problem or "")
    events = re.findall(rb"BEGIN:VEVENT.*?END:VEVENT\r\n", good, flags=re.S)
    # Only the first of its events: one instead of seven.
    path.write_bytes(re.sub(rb"BEGIN:VEVENT.*END:VEVENT\r\n", lambda _: events[0], good,
                            flags=re.S))
    fewer = run_pull(sources(upstream)).sources[0]
    assert fewer.outcome == "kept" and "far fewer" in (fewer.problem or "")
    assert live(engine) == before
    forced = run_pull(sources(upstream), names=("google",), force=True).sources[0]
    # Taken: the one still listed is unchanged, the six future ones gone are cancelled.
    assert forced.outcome == "applied"
    assert (len(forced.revision.unchanged), len(forced.revision.cancelled)) == (1, 6)


def test_hide_and_an_editors_entry_with_the_same_id(
        run_pull: Puller, upstream: Upstream, engine: Engine, local: Settings) -> None:
    run_pull(sources(upstream))
    ids = {title: i for i, (title, _, _) in live(engine).items()}
    hidden = ids["Høring om ny handlingsplan mot menneskehandel"]
    replaced = ids["Ungdom utnyttet til kriminalitet"]
    text = sources(upstream, hide=f"[{hidden}]") + f"""entries:
  - id: {replaced}
    type: course
    title: Ungdom utnyttet til kriminalitet (redaksjonens tekst)
    start: 2024-08-21
"""
    local.data.write_text(text, encoding="utf-8")
    sync(local_engine := engine, load_source(local.data).source, NOW)
    now_live = live(local_engine)
    assert hidden not in now_live
    assert now_live[replaced][0] == "Ungdom utnyttet til kriminalitet (redaksjonens tekst)"
    snapshot = load_snapshot(engine)
    assert snapshot is not None and snapshot.entry(replaced).entry.source is None  # type: ignore[union-attr]


def test_an_editors_sync_keeps_what_pulls_brought_until_the_source_is_removed(
        run_pull: Puller, upstream: Upstream, engine: Engine, local: Settings) -> None:
    run_pull(sources(upstream))
    count = len(live(engine))
    sync(engine, load_source(local.data).source, NOW + timedelta(minutes=1))
    assert len(live(engine)) == count
    without_google = re.sub(r"  google:\n(    .*\n)+", "", sources(upstream))
    local.data.write_text(without_google, encoding="utf-8")
    sync(engine, load_source(local.data).source, NOW + timedelta(minutes=2))
    assert not any(i.startswith("google-") for i in live(engine))
    assert len(live(engine)) == count - 7


def test_pulled_entries_name_their_source_on_pages_in_the_api_and_in_atom(
        run_pull: Puller, upstream: Upstream, local: Settings, clock: MovableClock) -> None:
    run_pull(sources(upstream))
    with TestClient(create_app(local, clock=clock)) as client:
        api = client.get("/api/v1/events", params={"source": "dep", "limit": 500})
        assert api.status_code == 200
        items = api.json()["items"]
        assert {i["source"] for i in items} == {"dep"}
        assert {i["title"] for i in items} == {
            "Høring – forslag til endringer i krisesenterloven",
            "Høring om ny handlingsplan mot menneskehandel",
            "Høring – endringer i utlendingsforskriften (ofre for menneskehandel)"}
        everything = client.get("/api/v1/events", params={"limit": 500}).json()["items"]
        assert {i["source"] for i in everything} == {"dep", "google", "rvts-sor"}
        bad = client.get("/api/v1/events", params={"source": "Not a name"})
        assert bad.status_code == 400 and bad.json()["parameter"] == "source"
        item = items[0]
        page = client.get(f"/events/{item['id']}").text
        assert "<dt>Hentet fra</dt>" in page
        assert "dep · <a href=\"https://www.regjeringen.no/no/dokumenter/" in page
        atom = client.get("/feed.atom").text
        assert "Hentet fra:&lt;/strong&gt; dep" in atom
        ics = client.get("/calendar.ics", params={"source": "google"}).text
        assert ics.count("BEGIN:VEVENT") == 7


def test_a_feed_item_that_scrolled_off_stays_as_it_was_not_cancelled(
        run_pull: Puller, upstream: Upstream, engine: Engine) -> None:
    # Ministries' feeds list only their latest items: an open consultation that is no longer
    # among them has not been withdrawn.
    run_pull(sources(upstream))
    path = upstream.directory / "regjeringen.rss"
    text = path.read_text(encoding="utf-8")
    item = re.search(r"<item>\s*<title>Høring om ny handlingsplan.*?</item>", text, re.S)
    assert item is not None
    path.write_text(text.replace(item.group(), ""), encoding="utf-8")
    result = run_pull(sources(upstream))
    dep = result.sources[1]
    assert dep.outcome == "unchanged" and not dep.revision.cancelled
    title = "Høring om ny handlingsplan mot menneskehandel"
    assert [v for v in live(engine).values() if v[0] == title] == [(title, "confirmed", 0)]


def test_changed_settings_read_the_source_again_and_left_out_items_go(
        run_pull: Puller, upstream: Upstream, engine: Engine) -> None:
    run_pull(sources(upstream))
    narrowed = sources(upstream).replace("    tags: [menneskehandel]\n",
                                         "    tags: [menneskehandel]\n    include: [webinar]\n")
    result = run_pull(narrowed)
    google = result.sources[0]
    assert google.http.startswith("HTTP 200")  # not a 304: the settings changed
    assert google.filtered == 6 and not google.revision.cancelled
    assert len(google.revision.dropped) == 6  # left out on purpose: gone, not cancelled
    titles = [v[0] for i, v in live(engine).items() if i.startswith("google-")]
    assert titles == ["Tvangsarbeid og menneskehandel – webinar"]
    assert run_pull(narrowed).sources[0].http == "HTTP 304 not modified"


def test_a_calendar_is_read_again_after_a_week_so_its_series_do_not_run_out(
        run_pull: Puller, upstream: Upstream) -> None:
    run_pull(sources(upstream))
    assert run_pull(sources(upstream), NOW + timedelta(days=6)).sources[0].http == \
        "HTTP 304 not modified"
    later = run_pull(sources(upstream), NOW + timedelta(days=8))
    assert later.sources[0].http.startswith("HTTP 200")  # the calendar, read again
    assert later.sources[1].http == "HTTP 304 not modified"  # a feed has no series
