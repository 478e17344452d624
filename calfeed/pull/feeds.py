"""Read an Atom or RSS feed (feedparser) into items: by default each item is a deadline whose
date is read from its text the way Norwegian ministries write it (nbdates.find_deadline:
"Høringsfrist: 16. september 2024", "Frist for å svare er 1.10.2024"). An item without such a
date is reported, never given a guessed one."""

from __future__ import annotations

import calendar as _calendar
from datetime import UTC, date, datetime
from typing import Any

import feedparser

from ..localtime import zone
from ..nbdates import find_dates, find_deadline
from .items import Item, MalformedError, Parsed, Skipped, label, one_line, plain_text, when_text


def read_feed(body: bytes, *, default_tz: str, deadlines: bool = True,
              base_url: str | None = None) -> Parsed:
    """``deadlines`` False reads each item's first date as an all-day event's day instead."""
    feed = feedparser.parse(body, response_headers={"content-location": base_url or ""})
    if not feed.entries and (feed.bozo or not feed.get("version")):
        problem = feed.get("bozo_exception") or "no feed items found"
        raise MalformedError(f"not a readable Atom/RSS feed: {problem}")
    parsed = Parsed()
    for index, entry in enumerate(feed.entries):
        _read_entry(entry, index, default_tz, deadlines, parsed)
    return parsed


def _read_entry(entry: Any, index: int, default_tz: str, deadlines: bool,
                parsed: Parsed) -> None:
    link = _web(entry.get("link"))
    key = str(entry.get("id") or link or "").strip()
    title = one_line(plain_text(entry.get("title")))
    name = label(title, key or f"item {index + 1}")
    if not key:
        parsed.skipped.append(Skipped(name, "has neither an id/guid nor a link"))
        return
    summary = _text(entry)
    published = _published(entry, default_tz)
    haystack = "\n".join(t for t in (title, summary) if t)
    if deadlines:
        day: date | None = find_deadline(haystack, published=published)
        if day is None:
            parsed.skipped.append(Skipped(
                name, "no deadline found in its text (e.g. 'Høringsfrist: 16. september "
                "2024'); add it by hand if it has one"))
            return
    else:
        found = find_dates(haystack, after=published)
        day = found[0].start if found else None
        if day is None:
            parsed.skipped.append(Skipped(name, "no date found in its text"))
            return
    fields: dict[str, Any] = {
        "title": title,
        "start": when_text(day),
        "end": when_text(day),
        "timezone": default_tz,
        "url": link,
        "organizer": one_line(entry.get("author")),
        "description": summary,
        "published": published.isoformat() if published else None,
    }
    parsed.items.append(Item(key, name, {k: v for k, v in fields.items() if v is not None},
                             link))


def _text(entry: Any) -> str | None:
    contents = entry.get("content") or []
    html = contents[0].get("value") if contents else entry.get("summary")
    return plain_text(html, limit=2000)


def _published(entry: Any, default_tz: str) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    instant = datetime.fromtimestamp(_calendar.timegm(parsed), UTC)
    return instant.astimezone(zone(default_tz)).date()


def _web(value: Any) -> str | None:
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None
