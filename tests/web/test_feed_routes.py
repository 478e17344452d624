"""The Atom/RSS URLs over HTTP: media types, filters, errors, caching, and what a sync does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calfeed.formats.context import RenderContext
from calfeed.formats.select import Filter
from calfeed.settings import Settings
from calfeed.store import load_snapshot
from calfeed.web import create_app
from tests.conftest import NOW, SHIPPED
from tests.formats.feedcheck import check_feed, parse

Publish = Callable[..., None]
CTX = RenderContext("https://kalender.example.no", NOW.date())
MEDIA = {"atom": "application/atom+xml; charset=utf-8",
         "rss": "application/rss+xml; charset=utf-8"}
URLS = [("/feed.atom", "atom", "all"), ("/feed.rss", "rss", "all"),
        ("/feeds/frister.atom", "atom", "frister"), ("/feeds/moter.rss", "rss", "moter")]


@pytest.fixture
def shipped(serve: Callable[..., TestClient]) -> TestClient:
    return serve(SHIPPED)


@pytest.mark.parametrize(("path", "kind", "feed"), URLS)
def test_feeds_are_served_with_their_media_type_and_match_the_source(
        shipped, engine: Engine, path, kind, feed):
    response = shipped.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == MEDIA[kind]
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    check_feed(response.content, kind, snapshot, CTX, Filter(feed=feed))


def test_type_and_tag_filter_like_the_calendar(shipped, engine: Engine):
    response = shipped.get("/feed.atom?tag=ungdom&type=course&type=webinar")
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    view = Filter(types=("course", "webinar"), tags=("ungdom",))
    parsed = check_feed(response.content, "atom", snapshot, CTX, view)
    assert {e.title.split(" · ")[1] for e in parsed.entries} == {
        "Digitalt kurs «Ungdom utnyttet til kriminalitet»",
        "Frokostwebinar «Ungdom utnyttet til kriminalitet»",
    }
    links = {link.rel: link.href for link in parsed.feed.links}
    # The self link is the normalised form of what was asked for.
    assert links["self"] == \
        "https://kalender.example.no/feed.atom?type=course&type=webinar&tag=ungdom"
    assert links["alternate"] == "https://kalender.example.no/?type=course&type=webinar&tag=ungdom"
    # Spelled differently, the same view: the same bytes.
    same = shipped.get("/feed.atom?type=webinar,course&tag=ungdom")
    assert same.content == response.content


def test_named_feed_with_a_filter_links_its_page(shipped):
    parsed = parse(shipped.get("/feeds/frister.rss?tag=barn").content, "rss")
    assert parsed.feed.link == "https://kalender.example.no/?feed=frister&tag=barn"
    assert [e.title for e in parsed.entries] == [
        "2. juli 2024 · Frist: Forslag til endringer i barnevernsloven mv. (kvalitetsreform)"]


@pytest.mark.parametrize("path", ["/feeds/finnes-ikke.atom", "/feeds/finnes-ikke.rss"])
def test_an_unknown_feed_is_a_404_problem(shipped, path):
    response = shipped.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "finnes-ikke" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/feed.atom?type=party", "/feeds/frister.rss?type=party"])
def test_a_bad_type_is_a_400_naming_the_parameter(shipped, path):
    response = shipped.get(path)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["parameter"] == "type"
    assert "'party'" in problem["detail"]


def test_a_malformed_tag_is_a_400_naming_the_parameter(shipped):
    response = shipped.get("/feed.rss?tag=<script>")
    assert response.status_code == 400
    assert response.json()["parameter"] == "tag"


@pytest.mark.parametrize("path", ["/feed.atom", "/feed.rss"])
def test_etag_304_head_and_gzip(shipped, path):
    first = shipped.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert first.headers["last-modified"] == "Thu, 01 Aug 2024 10:00:00 GMT"
    assert first.headers["cache-control"].startswith("public, max-age=")

    assert shipped.get(path, headers={"If-None-Match": etag}).status_code == 304
    since = shipped.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304

    head = shipped.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == etag
    assert head.headers["content-type"] == first.headers["content-type"]

    zipped = shipped.get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == first.content  # httpx decodes it
    assert zipped.headers["vary"] == "Accept-Encoding"


def test_editing_one_entry_moves_exactly_it_to_the_top_with_a_new_updated(
        serve: Callable[..., TestClient], shipped: TestClient):
    before = {kind: parse(shipped.get(f"/feed.{kind}").content, kind) for kind in MEDIA}
    etag = shipped.get("/feed.atom").headers["etag"]

    later = datetime(2024, 8, 5, 8, 30, tzinfo=UTC)
    edited = SHIPPED.read_text(encoding="utf-8").replace(
        "title: Forslag til endringer i krisesenterloven",
        "title: Forslag til endringer i krisesenterloven (utsatt frist)")
    serve(edited, now=later)

    response = shipped.get("/feed.atom")
    assert response.headers["etag"] != etag
    assert response.headers["last-modified"] == "Mon, 05 Aug 2024 08:30:00 GMT"
    for kind in MEDIA:
        after = parse(shipped.get(f"/feed.{kind}").content, kind)
        top = after.entries[0]
        assert top.id == "tag:kalender.example.no,2024:entry/horing-krisesenterloven-2024"
        assert top.title == \
            "16. september 2024 · Frist: Forslag til endringer i krisesenterloven (utsatt frist)"
        # Everything else keeps its place and its dates.
        rest = [(e.id, e.title, e.published) for e in after.entries[1:]]
        assert rest == [(e.id, e.title, e.published) for e in before[kind].entries
                        if e.id != top.id]
        if kind == "atom":
            assert top.updated == "2024-08-05T08:30:00+00:00"
            assert after.feed.updated == "2024-08-05T08:30:00+00:00"
            assert top.published == "2024-08-01T10:00:00+00:00"  # first seen, unchanged
            assert {e.updated for e in after.entries[1:]} == {"2024-08-01T10:00:00+00:00"}


def test_syncing_an_unchanged_file_leaves_bytes_and_etag_as_they_were(
        serve: Callable[..., TestClient], shipped: TestClient):
    before = {path: shipped.get(path) for path, _, _ in URLS}
    serve(SHIPPED, now=datetime(2024, 8, 5, 8, 30, tzinfo=UTC))
    for path, response in before.items():
        again = shipped.get(path)
        assert again.content == response.content
        assert again.headers["etag"] == response.headers["etag"]
        assert again.headers["last-modified"] == response.headers["last-modified"]


def test_last_modified_moves_to_midnight_because_the_feed_depends_on_the_day(
        publish: Publish, settings: Settings):
    """Recurring entries are dated by their next occurrence and old entries leave the window,
    so a feed can change at midnight without a sync: If-Modified-Since must not hide that."""
    publish(SHIPPED)
    next_week = datetime(2024, 9, 2, 7, 0, tzinfo=UTC)  # 09:00 in Oslo
    with TestClient(create_app(settings, clock=lambda: next_week)) as client:
        response = client.get("/feeds/publikasjoner.atom")
        # Midnight in the calendar's zone (CEST), in GMT.
        assert response.headers["last-modified"] == "Sun, 01 Sep 2024 22:00:00 GMT"
        old = client.get("/feeds/publikasjoner.atom",
                         headers={"If-Modified-Since": "Thu, 01 Aug 2024 10:00:00 GMT"})
        assert old.status_code == 200
        titles = [e.title for e in parse(response.content, "atom").entries]
    # 31 August has passed: the next update of the court-decision overview is in December.
    assert "31. desember 2024 · Oppdatert oversikt over rettsavgjørelser om menneskehandel" \
        in titles
