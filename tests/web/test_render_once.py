"""Render once per revision: a feed is assembled from per-entry VEVENTs, so an unchanged sync
re-renders nothing and a one-entry edit re-renders exactly that entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import NOW


def source(title_of_b: str) -> str:
    return f"""
calendar: {{title: Render once, uid_domain: r.example.no, past_days: null}}
feeds: {{kurs: {{title: Kurs, types: [course]}}}}
entries:
  - {{id: a, type: course, title: A, start: 2024-09-01}}
  - {{id: b, type: course, title: "{title_of_b}", start: 2024-09-02}}
  - {{id: c, type: meeting, title: C, start: 2024-09-03 10:00, end: 2024-09-03 11:00}}
"""


def test_one_edit_re_renders_exactly_one_entry(
    publish: Callable[..., None], app: FastAPI, client: TestClient
) -> None:
    publish(source("B"))
    fragments = app.state.publisher.fragments
    first = client.get("/calendar.ics")
    assert fragments.renders == 3
    client.get("/calendar.ics?type=course")  # a new view of the same entries: no new VEVENT
    client.get("/feeds/kurs.ics")
    assert fragments.renders == 3

    publish(source("B"), now=NOW + timedelta(hours=1))  # unchanged sync
    app.state.publisher.refresh()
    assert client.get("/calendar.ics").content == first.content
    assert fragments.renders == 3

    publish(source("B, moved"), now=NOW + timedelta(hours=2))
    app.state.publisher.refresh()
    edited = client.get("/calendar.ics")
    assert b"SUMMARY:B\\, moved" in edited.content
    assert fragments.renders == 4


def test_assembled_feed_equals_a_full_build(
    publish: Callable[..., None], app: FastAPI, client: TestClient
) -> None:
    from calfeed.formats import ics
    from calfeed.formats.select import Filter, select

    publish(source("B"))
    client.get("/feeds/kurs.ics")  # warm some fragments first
    served = client.get("/calendar.ics").content
    publisher = app.state.publisher
    snapshot = publisher.current.snapshot
    ctx = publisher.context(snapshot)
    entries = select(snapshot, Filter(), ctx.today)
    full = ics.build_calendar(snapshot, entries, "Render once", None,
                              "https://kalender.example.no/calendar.ics", ctx).to_ical()
    assert served == full
