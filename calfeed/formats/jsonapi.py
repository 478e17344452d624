"""The JSON API and FullCalendar's event source: published entries as plain dicts. Pure.

Recurring entries are expanded into one item per occurrence inside the asked window; every
item carries the entry's ``id`` (and, for a recurring entry, the occurrence's start), so a
client can always go back to ``/api/v1/events/{id}``. What a request asks for and which
occurrences that selects are ``apiquery.py``'s; this module builds the documents.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import quote, urlencode

import orjson

from ..languages import fallbacks, is_view, multilingual
from ..localtime import local_midnight
from ..model import CalendarInfo, Entry, FeedDef, Published, Snapshot, When
from ..recurrence import Occurrence, next_occurrences
from . import urls
from .apiquery import (
    CalendarQuery,
    EventQuery,
    Gone,
    Row,
    changed_rows,
    encode_cursor,
    event_rows,
    expand,
    matches,
)
from .changes import tombstone
from .context import RenderContext
from .labels import summary, type_label
from .links import SubscribeLinks, google_template, outlook_compose, subscribe_links
from .pieces import Pieces
from .select import Filter

NEXT_OCCURRENCES = 10  # in an entry's detail


# --- documents ------------------------------------------------------------------------------


def events_page(snapshot: Snapshot, ctx: RenderContext, query: EventQuery,
                pieces: Pieces | None = None) -> dict[str, Any]:
    """``{"feed", "items", "next", "subscribe"}`` for one page of ``/api/v1/events``.

    ``pieces`` gives items already built without their deadline fields; when None they are
    built here. With ``updated_since`` the view's tombstones are paged among the items
    (``limit`` counts both) and listed in ``removed``.
    """
    rows: list[Row | Gone] = list(event_rows(snapshot, query)) \
        if query.updated_since is None else changed_rows(snapshot, query)
    if query.after is not None:
        after = query.after
        rows = [row for row in rows if row.key > after]
    page = rows[: query.limit]
    next_url = None
    if len(rows) > query.limit:
        params = [*query.params(), ("cursor", encode_cursor(page[-1].key))]
        next_url = ctx.url("/api/v1/events?" + urlencode(params))
    lang = query.lang or snapshot.calendar.language
    feed = snapshot.feeds[query.view.feed]
    def base(row: Row) -> dict[str, Any]:
        if pieces is not None:
            return pieces.item(row.published, row.occurrence, lang)
        return item_base(row.published, row.occurrence, ctx, lang, snapshot.calendar.written_in,
                         snapshot.calendar)

    document: dict[str, Any] = {
        "feed": {"name": feed.name, "title": feed.title},
        "items": [with_deadline(base(r), r.published.entry, r.occurrence, ctx.today)
                  for r in page if isinstance(r, Row)],
        "next": next_url,
        "subscribe": _subscribe(ctx, feed, query.view,
                                lang if is_view(snapshot.calendar) else None),
    }
    if query.updated_since is not None:
        document["removed"] = [tombstone(r.removed) for r in page if isinstance(r, Gone)]
    return document


def event_item(published: Published, occ: Occurrence, ctx: RenderContext,
               lang: str, written_in: str | None = None,
               calendar: CalendarInfo | None = None) -> dict[str, Any]:
    """One occurrence of an entry, as every API client sees it."""
    return with_deadline(item_base(published, occ, ctx, lang, written_in, calendar),
                         published.entry, occ,
                         ctx.today)


def item_base(published: Published, occ: Occurrence, ctx: RenderContext,
              lang: str, written_in: str | None = None,
              calendar: CalendarInfo | None = None) -> dict[str, Any]:
    """An item with everything but what changes with the day (a deadline's ``due``, ``open``,
    ``days_left``: None here). ``calendar`` gives the tags' labels (else the slugs)."""
    return at_occurrence(entry_base(published, ctx, lang, written_in, calendar), published, occ,
                         ctx, lang)


def entry_base(published: Published, ctx: RenderContext, lang: str,
               written_in: str | None = None,
               calendar: CalendarInfo | None = None) -> dict[str, Any]:
    """The item of the entry's own (first) occurrence without its deadline fields: what is
    kept per entry revision. Depends on the revision, the language and ``ctx.site_url`` only
    (not on the day or the query); the links for calendar apps (the URL-encoded title and
    text) are most of an item's cost.

    ``written_in``: set when the entry is shown in a view in another language (``?lang=``,
    see languages.snapshot_in) than the calendar's; the item then says its language and
    which of its texts are still in the calendar's (``lang``, ``fallback``)."""
    entry = published.entry
    html = ctx.entry_url(entry.id)
    item = {
        "id": entry.id,
        "occurrence": _when(entry.start) if entry.repeat else None,
        "type": entry.type,
        "type_label": type_label(lang, entry.type),
        "title": entry.title,
        "start": _when(entry.start),
        "end": _when(entry.end),
        "all_day": entry.all_day,
        "precision": entry.precision,
        "timezone": entry.timezone,
        "location": entry.location,
        "online_url": entry.online_url,
        "url": entry.url,
        "organizer": entry.organizer,
        "description": entry.description,
        "tags": list(entry.tags),
        "tag_labels": {tag: calendar.tag_label(tag, lang) if calendar else tag
                       for tag in entry.tags},
        "status": entry.status,
        "source": entry.source,
        "due": None,
        "open": None,
        "days_left": None,
        "updated": published.last_modified.astimezone(UTC).isoformat(),
        "sequence": published.sequence,
        "links": {"html": html, "ics": ctx.url(f"/events/{quote(entry.id)}.ics"),
                  **_calendar_links(entry, entry.start, entry.end, html, lang)},
    }
    if written_in is not None and written_in != lang:
        item["lang"] = lang
        item["fallback"] = fallbacks(entry, lang, written_in)
    return item


def at_occurrence(base: dict[str, Any], published: Published, occ: Occurrence,
                  ctx: RenderContext, lang: str) -> dict[str, Any]:
    """``entry_base`` moved to another occurrence of a recurring entry (a new dict; ``base``
    may be shared). The entry's own occurrence is ``base`` itself."""
    entry = published.entry
    # Compared as written: equal instants in two spellings must not share bytes.
    if _when(occ.start) == base["start"] and _when(occ.end) == base["end"]:
        return base
    return {
        **base,
        "occurrence": _when(occ.start) if entry.repeat else None,
        "start": _when(occ.start),
        "end": _when(occ.end),
        "links": {**base["links"],
                  **_calendar_links(entry, occ.start, occ.end, ctx.entry_url(entry.id), lang)},
    }


def _calendar_links(entry: Entry, start: When, end: When, html: str,
                    lang: str) -> dict[str, str]:
    title = summary(entry, lang)
    details = "\n\n".join(part for part in (entry.description, html) if part)
    at = replace(entry, start=start, end=end)
    return {"google": google_template(at, title, details),
            "outlook": outlook_compose(at, title, details)}


def with_deadline(base: dict[str, Any], entry: Entry, occ: Occurrence,
                  today: date) -> dict[str, Any]:
    """The item on ``today``: a deadline's fields filled in (on a copy; ``base`` may be shared)."""
    if not entry.is_deadline:
        return base
    due, is_open, days_left = _deadline(entry, occ, today)
    return {**base, "due": due, "open": is_open, "days_left": days_left}


def entry_detail(published: Published, snapshot: Snapshot, ctx: RenderContext,
                 lang: str | None = None) -> dict[str, Any]:
    """``/api/v1/events/{id}``: the entry as written, its rule and its next occurrences."""
    entry = published.entry
    lang = lang or snapshot.calendar.language
    today_start = local_midnight(ctx.today, snapshot.calendar.timezone)
    upcoming = next_occurrences(entry, today_start, NEXT_OCCURRENCES)
    item = event_item(published, Occurrence(entry.start, entry.end), ctx, lang,
                      snapshot.calendar.written_in, snapshot.calendar)
    if entry.repeat and upcoming:
        # A recurring deadline is open while its next occurrence is.
        due, is_open, days_left = _deadline(entry, upcoming[0], ctx.today)
        item.update(due=due, open=is_open, days_left=days_left)
    item["occurrence"] = None  # this is the entry itself, not one of its occurrences
    item["repeat"] = entry.repeat
    item["next_occurrences"] = [{"start": _when(o.start), "end": _when(o.end)} for o in upcoming]
    return item


def feeds_list(snapshot: Snapshot, ctx: RenderContext) -> dict[str, Any]:
    """``/api/v1/feeds``: every named feed ("all" first) with the URLs to follow it."""
    feeds = sorted(snapshot.feeds.values(), key=lambda f: (f.name != "all", f.name))
    cal = snapshot.calendar
    own = cal.language if is_view(cal) else None
    every = cal.offered if multilingual(snapshot) else ()
    result = []
    for feed in feeds:
        item: dict[str, Any] = {
            "name": feed.name,
            "title": feed.title,
            "description": feed.description,
            "types": list(feed.types),
            "tags": list(feed.tags),
            "urls": _feed_urls(ctx, feed, own),
        }
        if every:
            item["languages"] = {lang: _feed_urls(ctx, feed, lang) for lang in every}
        result.append(item)
    return {"feeds": result}


def _feed_urls(ctx: RenderContext, feed: FeedDef, lang: str | None) -> dict[str, str]:
    """A feed's URLs, in ``lang`` (``?lang=``) when given."""
    query = [("lang", lang)] if lang else []
    links = subscribe_links(urls.subscription_url(ctx, Filter(feed=feed.name), lang=lang),
                            feed.title)
    base = "/feed" if feed.name == "all" else f"/feeds/{quote(feed.name)}"
    api = "/api/v1/events" + ("" if feed.name == "all" else f"?feed={quote(feed.name)}")
    suffix = urlencode(query)
    return {
        **_subscribe_urls(links),
        "atom": ctx.url(base + ".atom" + (f"?{suffix}" if suffix else "")),
        "rss": ctx.url(base + ".rss" + (f"?{suffix}" if suffix else "")),
        "api": ctx.url(api + ((("&" if "?" in api else "?") + suffix) if suffix else "")),
    }


def fullcalendar_events(snapshot: Snapshot, ctx: RenderContext,
                        query: CalendarQuery) -> list[dict[str, Any]]:
    """FullCalendar's JSON event source: all-day ``end`` is exclusive, as FullCalendar reads it."""
    feed = snapshot.feeds[query.view.feed]
    lang = query.lang or snapshot.calendar.language
    chosen = (p for p in snapshot.entries
              if matches(p.entry, feed, query.view, query.text, query.statuses))
    events = []
    for row in expand(chosen, query.start, query.end):
        entry, occ = row.published.entry, row.occurrence
        if entry.month_only:  # no day to place it on, as in iCalendar
            continue
        due, is_open, days_left = _deadline(entry, occ, ctx.today)
        classes = [f"calfeed-{entry.type}"]
        if entry.status != "confirmed":
            classes.append(f"calfeed-{entry.status}")
        if isinstance(occ.start, datetime) and isinstance(occ.end, datetime):
            start: str = _in_zone(occ.start, query.zone)
            end: str = _in_zone(occ.end, query.zone)
        else:
            assert isinstance(occ.start, date) and isinstance(occ.end, date)
            start, end = occ.start.isoformat(), (occ.end + timedelta(days=1)).isoformat()
        events.append({
            "id": entry.id,
            "title": summary(entry, lang),
            "start": start,
            "end": end,
            "allDay": entry.all_day,
            "url": ctx.entry_url(entry.id),
            "classNames": classes,
            "extendedProps": {
                "type": entry.type,
                "type_label": type_label(lang, entry.type),
                "status": entry.status,
                "location": entry.location,
                "organizer": entry.organizer,
                "source": entry.source,  # as the API's items name it; null: the editor's
                "timezone": entry.timezone,
                "occurrence": _when(occ.start) if entry.repeat else None,
                "due": due,
                "open": is_open,
                "days_left": days_left,
            },
        })
    return events


def dumps(document: Any) -> bytes:
    """Deterministic JSON bytes: keys keep the fixed order the builders give them."""
    return orjson.dumps(document)


# --- helpers --------------------------------------------------------------------------------


def _subscribe(ctx: RenderContext, feed: FeedDef, view: Filter,
               lang: str | None = None) -> dict[str, str]:
    """The view's subscription (its types, tags and sources kept), as urls.py writes it."""
    return _subscribe_urls(subscribe_links(urls.subscription_url(ctx, view, lang=lang),
                                           feed.title))


def _subscribe_urls(links: SubscribeLinks) -> dict[str, str]:
    """The API's names for the ways to subscribe (``feeds_list`` adds the feeds' own)."""
    return {
        "https": links.https,
        "webcal": links.webcal,
        "outlook_office": links.outlook_office,
        "outlook_live": links.outlook_live,
        "google": links.google,
    }


def _deadline(entry: Entry, occ: Occurrence, today: date) -> tuple[str | None, bool | None,
                                                                      int | None]:
    """A deadline's due (this occurrence's), whether it is still open, and days left (by day,
    in the calendar's zone: a deadline due today has 0 days left and is open all day)."""
    if not entry.is_deadline:
        return None, None, None
    due_day = occ.start.date() if isinstance(occ.start, datetime) else occ.start
    left = (due_day - today).days
    still = left >= 0
    return _when(occ.start), still and not entry.cancelled, left if still else None


def _when(value: When) -> str:
    return value.isoformat()


def _in_zone(value: datetime, zone: tzinfo | None) -> str:
    return (value.astimezone(zone) if zone is not None else value).isoformat()
