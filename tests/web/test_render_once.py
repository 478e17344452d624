"""Render once per revision: every feed is assembled from per-entry fragments (VEVENT, Atom
entry, RSS item, JSON item), so an unchanged sync re-renders nothing and a one-entry edit
re-renders exactly that entry, once per format."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import NOW

# Each format's own URL, and the filtered views of the same entries that reuse its fragments.
URLS = {
    "vevent": ["/calendar.ics", "/calendar.ics?type=course", "/feeds/kurs.ics", "/events/b.ics"],
    "atom": ["/feed.atom", "/feed.atom?tag=x", "/feeds/kurs.atom"],
    "rss": ["/feed.rss", "/feed.rss?type=course", "/feeds/kurs.rss"],
    "json": ["/api/v1/events", "/api/v1/events?type=course", "/api/v1/events?feed=kurs",
             "/api/v1/events?limit=2"],
}


def source(title_of_b: str) -> str:
    return f"""
calendar: {{title: Render once, uid_domain: r.example.no, past_days: null}}
feeds: {{kurs: {{title: Kurs, types: [course]}}}}
entries:
  - {{id: a, type: course, title: A, start: 2024-09-01, tags: [x]}}
  - {{id: b, type: course, title: "{title_of_b}", start: 2024-09-02}}
  - {{id: c, type: meeting, title: C, start: 2024-09-03 10:00, end: 2024-09-03 11:00}}
"""


def get_all(client: TestClient) -> dict[str, bytes]:
    bodies = {}
    for urls in URLS.values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.text)
            bodies[url] = response.content
    return bodies


def test_one_edit_re_renders_exactly_one_fragment_per_format(
    publish: Callable[..., None], app: FastAPI, client: TestClient
) -> None:
    publish(source("B"))
    fragments = app.state.serving.pieces
    first = get_all(client)  # the filtered views only reassemble: no new fragment
    assert fragments.renders == {"vevent": 3, "atom": 3, "rss": 3, "json": 3}

    publish(source("B"), now=NOW + timedelta(hours=1))  # unchanged sync
    app.state.serving.refresh()
    assert get_all(client) == first
    assert fragments.renders == {"vevent": 3, "atom": 3, "rss": 3, "json": 3}

    publish(source("B, moved"), now=NOW + timedelta(hours=2))
    app.state.serving.refresh()
    edited = get_all(client)
    assert b"SUMMARY:B\\, moved" in edited["/calendar.ics"]
    assert b"B, moved</title>" in edited["/feed.atom"]
    assert b"B, moved</title>" in edited["/feed.rss"]
    assert b'"title":"B, moved"' in edited["/api/v1/events"]
    assert fragments.renders == {"vevent": 4, "atom": 4, "rss": 4, "json": 4}


def test_a_recurring_entry_is_one_json_fragment_its_occurrences_share(
    publish: Callable[..., None], app: FastAPI, client: TestClient
) -> None:
    publish("""
calendar: {title: Gjentas, uid_domain: r.example.no}
entries:
  - {id: ukentlig, type: meeting, title: Ukemøte, start: 2024-08-05 09:00,
     end: 2024-08-05 10:00, repeat: "FREQ=WEEKLY;COUNT=4"}
""")
    fragments = app.state.serving.pieces
    items = client.get("/api/v1/events").json()["items"]
    assert [i["start"][:10] for i in items] == ["2024-08-05", "2024-08-12", "2024-08-19",
                                                "2024-08-26"]
    # One fragment (the entry's own, first occurrence); the other three only move its dates
    # and calendar-app links, and are kept too.
    assert fragments.renders["json"] == 1
    assert fragments.derived == 3
    client.get("/api/v1/events?to=2024-08-20")  # two of the same occurrences
    client.get("/api/v1/events?lang=en")  # another language is another fragment
    assert fragments.renders["json"] == 2
    assert fragments.derived == 6


def test_assembled_feeds_equal_a_full_build(
    publish: Callable[..., None], app: FastAPI, client: TestClient
) -> None:
    from calfeed.formats import apiquery, atom, ics, jsonapi
    from calfeed.formats.select import Filter, select

    publish(source("B"))
    client.get("/feeds/kurs.ics")  # warm some fragments first
    client.get("/feeds/kurs.atom")
    client.get("/api/v1/events?type=course")
    serving = app.state.serving
    snapshot = serving.current().snapshot
    ctx = serving.context(snapshot)
    entries = select(snapshot, Filter(), ctx.today)
    full = ics.build_calendar(snapshot, entries, "Render once", None,
                              "https://kalender.example.no/calendar.ics", ctx).to_ical()
    assert client.get("/calendar.ics").content == full
    for ext in ("atom", "rss"):
        assert client.get(f"/feed.{ext}").content == atom.build_feed(snapshot, ctx, Filter(), ext)
    query = apiquery.EventQuery(view=Filter(), start=ctx.today)
    assert client.get("/api/v1/events").content == \
        jsonapi.dumps(jsonapi.events_page(snapshot, ctx, query))
