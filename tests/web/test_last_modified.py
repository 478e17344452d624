"""Last-Modified moves when the body can: at a sync, and at midnight for bodies that depend on
the day. A client asking "modified since …?" is never told no while its copy is stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

SYNCED = "Thu, 01 Aug 2024 10:00:00 GMT"
MIDNIGHT_OSLO = datetime(2024, 8, 1, 22, 0, tzinfo=UTC)  # 2 August 00:00 CEST
NEXT_DAY = "Thu, 01 Aug 2024 22:00:00 GMT"


def source(past_days: str) -> str:
    return f"""
calendar: {{title: Dager, uid_domain: d.example.no, timezone: Europe/Oslo, past_days: {past_days}}}
entries:
  - {{id: i-dag, type: course, title: "Kurs i dag", start: 2024-08-01}}
  - {{id: frist, type: deadline, title: "Høring", due: 2024-09-01}}
"""


def last_modified(client: TestClient, path: str) -> str:
    return client.get(path).headers["last-modified"]


@pytest.mark.parametrize("path", ["/feed.atom", "/feed.rss", "/api/v1/events", "/"])
def test_bodies_that_depend_on_the_day_are_modified_at_midnight(publish, client, clock, path):
    publish(source("null"))
    assert last_modified(client, path) == SYNCED
    clock.now = MIDNIGHT_OSLO
    assert last_modified(client, path) == NEXT_DAY
    since = client.get(path, headers={"If-Modified-Since": SYNCED})
    assert since.status_code == 200


def test_a_feed_with_a_window_of_past_days_is_modified_at_midnight(publish, client, clock):
    publish(source("0"))
    before = client.get("/calendar.ics")
    assert before.headers["last-modified"] == SYNCED
    clock.now = MIDNIGHT_OSLO
    after = client.get("/calendar.ics", headers={"If-Modified-Since": SYNCED})
    assert after.status_code == 200  # today's course has left the window
    assert "Kurs i dag" in before.text and "Kurs i dag" not in after.text
    assert after.headers["last-modified"] == NEXT_DAY


def test_a_cancelled_entry_leaves_a_feed_without_a_window_once_it_has_ended(
        publish, client, clock):
    publish(source("null").replace('title: "Kurs i dag"', 'title: "Kurs i dag", status: cancelled'))
    before = client.get("/calendar.ics")
    assert "Kurs i dag" in before.text
    clock.now = MIDNIGHT_OSLO
    after = client.get("/calendar.ics", headers={"If-Modified-Since": SYNCED})
    assert after.status_code == 200
    assert "Kurs i dag" not in after.text


def test_a_client_with_the_etag_still_gets_304_after_midnight(publish, client, clock):
    publish(source("null"))
    before = client.get("/calendar.ics")
    clock.now = MIDNIGHT_OSLO + timedelta(days=3)
    after = client.get("/calendar.ics", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 304  # the same bytes: nothing to fetch again
