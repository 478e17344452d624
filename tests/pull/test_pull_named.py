"""Pulled entries name their source wherever a reader meets them (issue 13): the FullCalendar
event source (``extendedProps.source``, as the API's items have ``source``; FullCalendar itself
reads it in tests/web/test_fullcalendar_browser.py), and the .ics DESCRIPTION a calendar app
shows (read by the strict parser and ical.js), in the calendar's language; the editor's own
entries say nothing of the kind. A ``?source=`` page's subscribe panel subscribes to that
source's entries alone, and a mirror of one source (``updated_since``) is told of its removals
alone."""

from __future__ import annotations

from datetime import timedelta

import feedparser
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calfeed.settings import Settings
from calfeed.source import load_source
from calfeed.store import sync
from calfeed.web import create_app
from tests.conftest import NOW
from tests.formats.pagecheck import document
from tests.pull.conftest import OWN, SOURCES, Puller, sources
from tests.support.clock import MovableClock
from tests.support.icaljs import parse_with_icaljs
from tests.support.strict_ical import parse_strict
from tests.support.upstream import Upstream

BASE = "https://kalender.example.no"
# What FullCalendar sends for a year in Oslo (it adds start, end and timeZone itself).
RANGE = {"start": "2024-08-01T00:00:00+02:00", "end": "2025-08-01T00:00:00+02:00",
         "timeZone": "Europe/Oslo"}


def _app_client(run_pull: Puller, upstream: Upstream, local: Settings, clock: MovableClock,
                language: str = "nb") -> TestClient:
    """The three partner sources pulled, plus one entry of the editor's own."""
    text = sources(upstream) + OWN
    if language != "nb":
        text = text.replace("  timezone: Europe/Oslo\n",
                            f"  timezone: Europe/Oslo\n  language: {language}\n", 1)
    result = run_pull(text)
    assert [s.outcome for s in result.sources] == ["applied"] * 3
    return TestClient(create_app(local, clock=clock))


def test_fullcalendar_events_carry_the_source_as_the_api_items_do(
        run_pull: Puller, upstream: Upstream, local: Settings, clock: MovableClock) -> None:
    with _app_client(run_pull, upstream, local, clock) as client:
        response = client.get("/api/v1/fullcalendar", params=RANGE)
        assert response.status_code == 200
        events = response.json()
        api = client.get("/api/v1/events", params={"from": "2024-08-01", "limit": 500}).json()
    named = {e["id"]: e["extendedProps"]["source"] for e in events}
    assert named["kurs-redaksjonen"] is None
    assert {s for s in named.values() if s} == SOURCES
    assert all(i.startswith(f"{s}-") for i, s in named.items() if s)
    # The same name for the same entry in both.
    assert {i["id"]: i["source"] for i in api["items"] if i["id"] in named} == named


def _descriptions(ics: bytes) -> dict[str, str]:
    return {e["uid"].split("@")[0]: e["description"] or "" for e in parse_strict(ics)}


def test_ics_description_names_the_source_and_the_original_in_the_calendars_language(
        run_pull: Puller, upstream: Upstream, local: Settings, clock: MovableClock) -> None:
    with _app_client(run_pull, upstream, local, clock) as client:
        ics = client.get("/calendar.ics").content
        api = client.get("/api/v1/events", params={"from": "2024-01-01", "limit": 500}).json()
        english = client.get("/calendar.ics", params={"lang": "en"}).content
    urls = {i["id"]: i["url"] for i in api["items"]}
    described = _descriptions(ics)
    assert "Hentet fra" not in described["kurs-redaksjonen"]
    pulled = {i: d for i, d in described.items() if i != "kurs-redaksjonen"}
    assert {i.rsplit("-", 1)[0] for i in pulled} == SOURCES
    for entry_id, text in pulled.items():
        source = entry_id.rsplit("-", 1)[0]
        line = f"Hentet fra {source}: {urls[entry_id]}" if urls[entry_id] else \
            f"Hentet fra {source}"
        assert line in text.split("\n"), (entry_id, text)
    # ical.js (Thunderbird) reads the same line.
    parsed = parse_with_icaljs(ics, "2024-01-01", "2026-01-01")["events"]
    dep = next(e for e in parsed if e["uid"].startswith("dep-"))
    assert f"Hentet fra dep: {urls[dep['uid'].split('@')[0]]}" in dep["description"]
    # Asked for in English (?lang=en), it says so in English.
    assert any(line.startswith("Pulled from google")
               for text in _descriptions(english).values() for line in text.split("\n"))


def test_ics_description_in_an_english_calendar(
        run_pull: Puller, upstream: Upstream, local: Settings, clock: MovableClock) -> None:
    with _app_client(run_pull, upstream, local, clock, language="en") as client:
        described = _descriptions(client.get("/calendar.ics").content)
    assert "Pulled from" not in described["kurs-redaksjonen"]
    assert all(any(line.startswith(f"Pulled from {i.rsplit('-', 1)[0]}")
                   for line in text.split("\n"))
               for i, text in described.items() if i != "kurs-redaksjonen")


def test_the_subscribe_panel_of_a_source_view_keeps_the_source(
        run_pull: Puller, upstream: Upstream, local: Settings, clock: MovableClock) -> None:
    # The issue-13 gap: /?source=google offered the whole calendar to subscribe to.
    with _app_client(run_pull, upstream, local, clock) as client:
        everything = parse_strict(client.get("/calendar.ics").content)  # cached first
        page = document(client.get("/", params={"source": "google"}).content)
        panel = page.cssselect("#subscribe")[0]
        https = panel.cssselect("#url-https")[0].get("value")
        webcal = panel.cssselect("#url-webcal")[0].get("value")
        assert "source=google" in https and webcal == "webcal://" + https.split("://", 1)[1]
        assert "google" in panel.cssselect(".view-name")[0].text_content()
        followed = parse_strict(client.get(https.removeprefix(BASE)).content)
        reader = {kind: panel.cssselect(f"a[type='application/{kind}+xml']")[0].get("href")
                  for kind in ("atom", "rss")}
        feeds = {kind: feedparser.parse(client.get(url.removeprefix(BASE)).content)
                 for kind, url in reader.items()}
        # The page's own links (other types, the archive, the month) keep it too.
        other = [a.get("href") for a in page.cssselect("a[href^='/archive'], a[href^='/month/']")]
        # As does the API's subscribe block for the same view.
        api = client.get("/api/v1/events", params={"source": "google"}).json()["subscribe"]
    assert api["https"] == https and api["webcal"] == webcal
    uids = {e["uid"].split("@")[0] for e in followed}
    assert uids and all(uid.startswith("google-") for uid in uids)
    assert uids == {e["uid"].split("@")[0] for e in everything if e["uid"].startswith("google-")}
    for kind, feed in feeds.items():
        assert not feed.bozo, (kind, feed.bozo_exception)
        links = [entry.link for entry in feed.entries]
        assert links and all("/events/google-" in link for link in links), (kind, links)
        assert "google" in feed.feed.title
    assert other and all("source=google" in href for href in other)


def test_a_mirror_of_one_source_is_told_only_of_that_sources_removals(
        run_pull: Puller, upstream: Upstream, local: Settings, clock: MovableClock,
        engine: Engine) -> None:
    with _app_client(run_pull, upstream, local, clock) as client:
        dep = client.get("/api/v1/events", params={"source": "dep"}).json()["items"]
    hidden = dep[0]["id"]
    # The editor hides one of dep's entries: a removal, an hour after the pull.
    local.data.write_text(sources(upstream, hide=f"[{hidden}]") + OWN, encoding="utf-8")
    sync(engine, load_source(local.data).source, NOW + timedelta(hours=1))
    since = {"updated_since": "2024-08-01T10:30:00Z", "from": "2024-01-01"}
    with TestClient(create_app(local, clock=clock)) as client:
        def removed(**query: str) -> list[str]:
            data = client.get("/api/v1/events", params={**since, **query}).json()
            return [r["id"] for r in data["removed"]]

        assert removed(source="dep") == [hidden]
        assert removed(source="google") == []
        assert removed() == [hidden]
