"""A real feed reader follows the feeds: newsboat fetches them from a real server and keeps
every entry in its cache, with the title and link a reader sees.

Skipped without newsboat locally; a failure under CALFEED_REQUIRE_ALL=1 (CI installs it).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from calfeed.formats import urls
from calfeed.formats.context import RenderContext
from calfeed.formats.select import Filter
from calfeed.store import load_snapshot
from tests.conftest import NOW, SHIPPED
from tests.formats.feedcheck import expected_entries, expected_title
from tests.support.newsboat import read_feed_items_with_newsboat
from tests.support.server import serve_app

CTX = RenderContext("https://kalender.example.no", NOW.date())


@pytest.mark.parametrize(("path", "feed"), [
    ("/feed.atom", "all"), ("/feed.rss", "all"),
    ("/feeds/frister.atom", "frister"), ("/feeds/arrangementer.rss", "arrangementer"),
])
def test_newsboat_reads_every_entry(publish: Callable[..., None], app: FastAPI,
                                    engine: Engine, path: str, feed: str) -> None:
    publish(SHIPPED)
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    wanted = expected_entries(snapshot, CTX, Filter(feed=feed))
    assert wanted

    with serve_app(app) as base_url:
        items = read_feed_items_with_newsboat(base_url + path)

    by_guid = {item.guid: item for item in items}
    assert len(items) == len(wanted)
    for published in wanted:
        item = by_guid[f"tag:kalender.example.no,2024:entry/{published.entry.id}"]
        assert item.title == expected_title(published, snapshot, CTX)
        assert item.link == urls.entry_url(CTX, published.entry.id)
        assert item.published == int(published.first_seen.timestamp())
        assert urls.entry_url(CTX, published.entry.id) + ".ics" in item.content


def test_newsboat_shows_markup_in_a_title_as_text(publish: Callable[..., None],
                                                  app: FastAPI) -> None:
    publish("markup_in_text.yaml")
    with serve_app(app) as base_url:
        items = read_feed_items_with_newsboat(base_url + "/feed.atom")
    titles = {item.title for item in items}
    assert '10. september 2024 10:00–12:30 CEST · <script>alert("tittel")</script> ' \
        "Seminar om A & B" in titles
    assert '20. september 2024 · Frist: Høring om "§ 1-2" & <forskrift>' in titles
