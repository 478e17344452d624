"""Long lists over HTTP: the front page and the archive show at most 100 entries, and their
"later"/"older" links (``/page/2``, ``/archive/page/2``) lead through every entry exactly once,
keeping the filters. Checked against what the source says, at 500 generated entries."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache

import pytest
from fastapi.testclient import TestClient

from bench.generate import generate
from calfeed.localtime import local_midnight
from calfeed.model import Entry, Source
from calfeed.recurrence import last_end, next_occurrences, span_instants
from calfeed.source import parse_source
from tests.conftest import SHIPPED
from tests.formats.pagecheck import document, expected_upcoming, listed_ids, months

TODAY = date(2024, 8, 1)
SITE = "https://kalender.example.no"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
N = 500  # about 350 upcoming and 150 past entries: four pages and two

Publish = Callable[..., None]


@cache
def big() -> str:
    return generate(N)


@cache
def big_source() -> Source:
    return parse_source(big()).source


def walk(client: TestClient, url: str, rel: str = "next") -> list[tuple[str, list[str]]]:
    """Follow the pager's ``rel`` links from ``url`` to the end: (url, ids listed) per page."""
    pages: list[tuple[str, list[str]]] = []
    next_url: str | None = url
    while next_url is not None:
        assert next_url not in [u for u, _ in pages], f"the pager loops back to {next_url}"
        response = client.get(next_url)
        assert response.status_code == 200, (next_url, response.text[:300])
        pages.append((next_url, listed_ids(response.content)))
        page = document(response.content)
        links = page.cssselect(f'nav.pager a[rel="{rel}"]')
        heads = page.cssselect(f'head link[rel="{rel}"]')
        assert len(links) == len(heads) <= 1
        next_url = links[0].get("href") if links else None
        if links:  # the head announces the same page, absolutely
            assert heads[0].get("href") == SITE + links[0].get("href")
    return pages


def only(source: Source, keep: Callable[[Entry], bool]) -> Source:
    return dataclasses.replace(source, entries=tuple(e for e in source.entries if keep(e)))


def upcoming_ids(source: Source) -> list[str]:
    return [i for ids in expected_upcoming(source, TODAY).values() for i in ids]


def past_ids(source: Source) -> list[str]:
    """What the archive lists, worked out from the source: entries over by the start of today
    and inside ``past_days`` (cancelled ones drop out once over), newest first."""
    tz = source.calendar.timezone
    today_start = local_midnight(TODAY, tz)
    days = source.calendar.past_days
    window = local_midnight(TODAY - timedelta(days=days), tz) if days is not None else None
    rows: list[tuple[datetime, str, str]] = []
    for entry in source.entries:
        end = last_end(entry)
        if end is None or entry.cancelled or (window is not None and end <= window):
            continue
        if end > today_start and (entry.repeat is None or
                                  next_occurrences(entry, today_start, 1)):
            continue
        rows.append((span_instants(entry.start, entry.end, entry.timezone)[0], entry.title,
                     entry.id))
    return [entry_id for _, _, entry_id in sorted(rows, reverse=True)]


# --- walking the pages --------------------------------------------------------------------------


def test_the_front_page_is_capped_and_later_links_walk_every_upcoming_entry_once(serve):
    client = serve(big())
    pages = walk(client, "/")
    assert [url for url, _ in pages] == ["/"] + [f"/page/{n}" for n in range(2, len(pages) + 1)]
    assert len(pages) >= 3
    assert all(0 < len(ids) <= 100 for _, ids in pages)
    assert [i for _, ids in pages for i in ids] == upcoming_ids(big_source())
    # And back again: the "earlier" links retrace the same pages.
    assert [url for url, _ in walk(client, pages[-1][0], rel="prev")] == \
        [url for url, _ in reversed(pages)]


def test_the_archive_pages_walk_every_past_entry_once_newest_first(serve):
    client = serve(big())
    pages = walk(client, "/archive")
    assert [url for url, _ in pages] == ["/archive", "/archive/page/2"]
    assert [i for _, ids in pages for i in ids] == past_ids(big_source())


TAGS = {"barn", "helse", "migrasjon", "nordisk"}


@pytest.mark.parametrize(("query", "keep", "count"), [
    ("type=conference&type=meeting", lambda e: e.type in ("meeting", "conference"), 2),
    ("feed=arrangementer", lambda e: e.type in ("course", "conference", "webinar", "seminar"), 2),
    ("tag=barn&tag=helse&tag=migrasjon&tag=nordisk", lambda e: bool(TAGS & set(e.tags)), 2),
    ("type=meeting&tag=barn", lambda e: e.type == "meeting" and "barn" in e.tags, 1),
])
def test_filters_survive_paging(serve, query, keep, count):
    """(The queries are written as the pages write them: types and tags in sorted order.)"""
    client = serve(big())
    pages = walk(client, f"/?{query}")
    for url, _ in pages[1:]:
        assert url.startswith("/page/") and url.endswith(f"?{query}")
    assert [i for _, ids in pages for i in ids] == upcoming_ids(only(big_source(), keep))
    assert len(pages) == count


def test_a_month_cut_by_a_full_page_carries_on_under_the_same_heading(serve):
    # 130 deadlines in one month do not fit on one page.
    entries = "\n".join(f"  - {{id: frist-{i:03d}, type: deadline, title: Frist {i:03d}, "
                        f"due: 2024-09-{1 + i % 30:02d}}}" for i in range(130))
    client = serve(f"calendar: {{title: Tett, uid_domain: t.example.no}}\nentries:\n{entries}\n")
    first, second = client.get("/"), client.get("/page/2")
    assert list(months(first.content)) == ["September 2024"]
    assert list(months(second.content)) == ["September 2024 (fortsatt)"]
    assert len(listed_ids(first.content)) == 100 and len(listed_ids(second.content)) == 30
    later = document(first.content).cssselect('nav.pager a[rel="next"]')[0]
    assert later.text_content() == "Senere: september 2024 →"


# --- what a visitor sees when the list is short, or the link is wrong ----------------------------


def test_a_short_list_has_no_pager(serve):
    client = serve(SHIPPED)
    page = document(client.get("/").content)
    assert not page.cssselect("nav.pager, link[rel=next], link[rel=prev]")
    assert not document(client.get("/archive").content).cssselect("nav.pager")


@pytest.mark.parametrize("url", ["/page/abc", "/page/0", "/page/-2", "/page/02", "/page/2.0",
                                 "/page/1234567", "/archive/page/x", "/page/%3Cb%3E"])
def test_a_bad_page_number_is_a_400_naming_the_parameter(serve, url):
    client = serve(big())
    page = client.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "'page'" in document(page.content).cssselect("main .lead")[0].text_content()
    assert b"<b>" not in page.content
    program = client.get(url, headers={"Accept": "application/json"})
    assert program.status_code == 400
    assert program.headers["content-type"] == "application/problem+json"
    assert program.json()["parameter"] == "page"


def test_a_page_past_the_end_is_a_404_that_says_how_many_there_are(serve):
    client = serve(big())
    last = len(walk(client, "/?feed=arrangementer"))
    response = client.get(f"/page/{last + 1}?feed=arrangementer",
                          headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store"
    lead = document(response.content).cssselect("main .lead")[0].text_content()
    assert f"{last} sider" in lead and f"side {last + 1}" in lead
    program = client.get("/archive/page/40", headers={"Accept": "application/json"})
    assert program.status_code == 404 and program.json()["parameter"] == "page"
    client = serve(SHIPPED)
    short = client.get("/page/2", headers={"Accept": BROWSER_ACCEPT})
    assert short.status_code == 404
    assert "én side" in document(short.content).cssselect("main .lead")[0].text_content()


def test_page_one_has_one_address(serve):
    client = serve(big())
    response = client.get("/page/1?type=course", follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"] == "/?type=course"
    archive = client.get("/archive/page/1", follow_redirects=False)
    assert archive.status_code == 301 and archive.headers["location"] == "/archive"


# --- caching ----------------------------------------------------------------------------------


def test_later_pages_are_cached_and_conditional_like_the_first(serve, app):
    client = serve(big())
    cache = app.state.serving.current().responses
    before = cache.renders
    second = client.get("/page/2?type=meeting&type=conference")
    same = client.get("/page/2?type=conference&type=meeting&utm_source=nyhetsbrev")
    assert second.content == same.content and second.headers["etag"] == same.headers["etag"]
    assert cache.renders == before + 1  # rendered once for both spellings
    assert client.get("/page/2?type=meeting&type=conference",
                      headers={"If-None-Match": second.headers["etag"]}).status_code == 304
    third = client.get("/page/3?type=meeting&type=conference")
    assert third.status_code in (200, 404)
    assert client.get("/page/2").headers["etag"] != client.get("/page/3").headers["etag"]
    head = client.head("/page/2")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == client.get("/page/2").headers["etag"]
    page = document(client.get("/page/2").content)
    assert page.cssselect('link[rel="canonical"]')[0].get("href") == SITE + "/page/2"
    assert page.cssselect("title")[0].text_content().endswith(" – Side 2 av 4")
