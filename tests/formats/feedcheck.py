"""What every Atom/RSS feed must say, checked with feedparser against the published entries.

Shared by the builder tests and the route tests, so both hold a feed to the same contract.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

import feedparser
from lxml import etree

from calfeed.formats import labels, urls
from calfeed.formats.context import RenderContext
from calfeed.formats.select import Filter, newest_first, select
from calfeed.localtime import local_midnight
from calfeed.model import Published, Snapshot
from calfeed.recurrence import next_occurrences

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(body: bytes, kind: str) -> Any:
    """Parse with feedparser and insist it had nothing to complain about."""
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("atom10" if kind == "atom" else "rss20")
    return parsed


def timestamp(struct: Any) -> int:
    return calendar.timegm(struct)


def expected_entries(snapshot: Snapshot, ctx: RenderContext, view: Filter) -> list[Published]:
    return newest_first(select(snapshot, view, ctx.today))[: ctx.feed_entries]


def expected_title(published: Published, snapshot: Snapshot, ctx: RenderContext) -> str:
    """The date people read first, then the title with its calendar prefixes; a recurring
    entry is dated by its next occurrence."""
    entry = published.entry
    lang = snapshot.calendar.language
    start, end = entry.start, entry.end
    if entry.repeat is not None:
        after = local_midnight(ctx.today, snapshot.calendar.timezone)
        coming = next_occurrences(entry, after, 1)
        if coming:
            start, end = coming[0].start, coming[0].end
    if entry.month_only:  # "juli 2024, dato kommer": the month, and that the day is not known
        later = {"nb": "dato kommer", "en": "date to be announced"}[lang]
        when = f"{labels.month_name(lang, entry.start.month)} {entry.start.year}, {later}"
        return f"{when} · {labels.summary(entry, lang)}"
    return f"{labels.format_span(lang, start, end)} · {labels.summary(entry, lang)}"


def expected_published(published: Published, snapshot: Snapshot) -> datetime:
    if published.entry.published is not None:
        return local_midnight(published.entry.published, snapshot.calendar.timezone)
    return published.first_seen


def check_feed(body: bytes, kind: str, snapshot: Snapshot, ctx: RenderContext,
               view: Filter) -> Any:
    """Parse ``body`` and compare every entry's id, title, dates, link and categories with
    what was published. Returns the parsed feed for further checks."""
    parsed = parse(body, kind)
    cal = snapshot.calendar
    lang = cal.language
    wanted = expected_entries(snapshot, ctx, view)
    domain = cal.uid_domain

    assert [e.id for e in parsed.entries] == [
        f"tag:{domain},2024:entry/{p.entry.id}" for p in wanted
    ], "entries (by id) in newest-first order"
    raw_titles = _raw_item_titles(body, kind)
    for item, raw_title, published in zip(parsed.entries, raw_titles, wanted, strict=True):
        entry = published.entry
        title = expected_title(published, snapshot, ctx)
        assert raw_title == title, "the title, as plain text in the XML"
        if kind == "rss" and item.title_detail.type == "text/html":
            # RSS never says whether a title is text or HTML, and feedparser guesses HTML when
            # the text contains closing tags it knows (a title like "<b>fet</b>"), then
            # sanitises it. The spec and other readers (newsboat) read it as the text it is.
            assert "<script" not in item.title and "onerror" not in item.title
        else:
            assert item.title == title
        assert item.link == urls.entry_url(ctx, entry.id)
        assert timestamp(item.published_parsed) == \
            int(expected_published(published, snapshot).timestamp())
        if kind == "atom":
            assert timestamp(item.updated_parsed) == int(published.last_modified.timestamp())
            assert [(t.term, t.scheme, t.label) for t in item.tags] == [
                (entry.type, ctx.url("/?type="), labels.type_label(lang, entry.type)),
                # a tag's label, where the calendar's vocabulary gives one
                *[(tag, ctx.url("/?tag="), cal.tag_label(tag, lang)) for tag in entry.tags],
            ]
        else:
            # RSS has one word per category: the label people read; the domain says which kind.
            assert [(t.term, t.scheme) for t in item.tags] == [
                (labels.type_label(lang, entry.type), ctx.url("/?type=")),
                *[(cal.tag_label(tag, lang), ctx.url("/?tag=")) for tag in entry.tags],
            ]
        content = item.content[0].value if kind == "atom" else item.description
        assert f'href="{urls.entry_url(ctx, entry.id)}"' in content
        assert f'href="{ctx.url("/events/" + entry.id + ".ics")}"' in content
        if entry.url:
            assert f'href="{entry.url.replace("&", "&amp;")}"' in content

    newest = max((p.last_modified for p in wanted), default=snapshot.changed_at)
    if kind == "atom":
        assert timestamp(parsed.feed.updated_parsed) == int(newest.timestamp())
        assert parsed.feed.id.startswith(f"tag:{domain},2024:feed/{view.feed}")
        assert parsed.feed.language == lang
    else:
        assert parsed.feed.language == lang
    return parsed


def _raw_item_titles(body: bytes, kind: str) -> list[str]:
    root = etree.fromstring(body)
    if kind == "atom":
        return [e.findtext(f"{ATOM}title", "") for e in root.iter(f"{ATOM}entry")]
    return [i.findtext("title", "") for i in root.iter("item")]
