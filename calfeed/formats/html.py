"""The public web pages: view-models built from a snapshot, rendered with Jinja2. Pure.

Every value reaches the templates as plain data and Jinja autoescapes it, so a title such as
``<b>Kurs</b>`` is shown as text; the only markup inserted unescaped is the JSON-LD, which
``jsonld.script_json`` has made safe for a ``<script>`` element.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from itertools import groupby

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..languages import feed_fell_back, fell_back
from ..localtime import local_midnight, zone
from ..model import TYPES, CalendarInfo, FeedDef, Published, Snapshot, When
from ..recurrence import Occurrence, last_end, next_occurrences
from . import labels, urls
from .context import RenderContext
from .jsonld import event_jsonld, publisher_of, script_json
from .links import google_template, outlook_compose, subscribe_links
from .pagelinks import languages_for, own_lang, page_lang, with_lang
from .paging import NoSuchPage, page_bounds
from .richtext import linkify
from .search import search
from .select import Filter, all_tags, select

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
LATEST_PAST = 3  # past entries an empty upcoming view shows instead of nothing


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment, built on first use (never at import time)."""
    env = Environment(
        loader=PackageLoader("calfeed.formats", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt variable is an error, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


@dataclass(frozen=True, slots=True)
class Assets:
    """Where the page finds its stylesheet, icon and script (versioned URLs from the web layer)."""

    style: str = "/static/style.css"
    favicon: str = "/static/favicon.svg"
    script: str = "/static/page.js"


# --- view-models -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Words:
    """Label lookup for templates: ``t.page_copy`` or ``t('days_left', n=3)``."""

    language: str

    def __getattr__(self, key: str) -> str:
        try:
            return labels.label(self.language, key)
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str, **values: object) -> str:
        return labels.label(self.language, key).format(**values)


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    """One entry as a list shows it."""

    id: str
    href: str
    title: str
    type: str
    type_label: str
    when: str
    when_here: str | None  # a foreign-zone entry's time in the calendar's zone
    datetime: str  # for <time datetime>
    location: str | None
    organizer: str | None
    cancelled: bool
    tentative: bool
    deadline: bool
    deadline_open: bool
    days_left: str | None
    recurring: bool
    source: str | None = None  # the partner source it was pulled from
    ended: bool = False  # its last day is before today (a deadline: past its due day)
    title_lang: str | None = None  # the language of text that had no translation
    location_lang: str | None = None


@dataclass(frozen=True, slots=True)
class Month:
    id: str  # "2024-08"
    heading: str  # "August 2024"
    items: tuple[Item, ...]
    continued: bool = False  # the month began on the page before


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a long list sits among its pages."""

    number: int
    count: int
    status: str  # "Side 2 av 5"
    prev: Link | None  # the link text names the months it leads to
    next: Link | None
    prev_url: str | None  # absolute, for <link rel="prev"> in the head
    next_url: str | None


@dataclass(frozen=True, slots=True)
class Subscribe:
    name: str
    https: str
    webcal: str
    outlook_office: str
    outlook_live: str
    google_cid: str
    atom: str
    rss: str
    # Deadline views also offer the same feed with a reminder a day before (?alarm=1d).
    reminder_https: str | None = None
    reminder_webcal: str | None = None


@dataclass(frozen=True, slots=True)
class FilterGroup:
    id: str
    label: str
    links: tuple[Link, ...]


# --- the front page and the archive --------------------------------------------------------------


def subscribe_for(snapshot: Snapshot, ctx: RenderContext, view: Filter) -> Subscribe:
    name = urls.subscribe_name(snapshot, view)
    lang = own_lang(snapshot.calendar)
    https = urls.subscription_url(ctx, view, "ics", lang=lang)
    links = subscribe_links(https, name)
    reminder = None
    if deadlines_only(snapshot, view):
        reminder = https + ("&" if "?" in https else "?") + "alarm=1d"
    return Subscribe(
        name=name, https=links.https, webcal=links.webcal,
        outlook_office=links.outlook_office, outlook_live=links.outlook_live,
        google_cid=links.google,
        atom=urls.subscription_url(ctx, view, "atom", lang=lang),
        rss=urls.subscription_url(ctx, view, "rss", lang=lang),
        reminder_https=reminder,
        reminder_webcal=subscribe_links(reminder, name).webcal if reminder else None,
    )


def deadlines_only(snapshot: Snapshot, view: Filter) -> bool:
    """A view of deadlines alone (``?type=deadline``, or a feed of deadlines): the views
    where a reminder before each entry is the point."""
    types = view.types or snapshot.feeds[view.feed].types
    return tuple(types) == ("deadline",)


def split_upcoming(
    entries: Iterable[Published], today: date, tz_name: str
) -> tuple[list[tuple[Published, Occurrence]], list[tuple[Published, Occurrence]]]:
    """(upcoming, past): upcoming entries have not ended by the start of ``today`` and carry
    their next occurrence; past ones carry themselves (a finished series its first date)."""
    today_start = local_midnight(today, tz_name)
    upcoming: list[tuple[Published, Occurrence]] = []
    past: list[tuple[Published, Occurrence]] = []
    for published in entries:
        entry = published.entry
        end = last_end(entry)
        if end is None or end > today_start:
            if entry.repeat is None:
                upcoming.append((published, Occurrence(entry.start, entry.end)))
                continue
            following = next_occurrences(entry, today_start, 1)
            if following:
                upcoming.append((published, following[0]))
                continue
        past.append((published, Occurrence(entry.start, entry.end)))
    # Thousands of entries share a few hundred days: find each day's midnight once (a zone
    # lookup per entry was most of the time a 10,000-entry page took to build).
    midnight = cache(local_midnight)

    def sort_key(pair: tuple[Published, Occurrence]) -> tuple[datetime, str, str]:
        entry, start = pair[0].entry, pair[1].start
        instant = start if isinstance(start, datetime) else midnight(start, entry.timezone)
        return instant, entry.title, entry.id

    upcoming.sort(key=sort_key)
    past.sort(key=sort_key, reverse=True)
    return upcoming, past


def local_day(value: When, tz_name: str) -> date:
    if isinstance(value, datetime):
        return value.astimezone(zone(tz_name)).date()
    return value


def item(published: Published, occurrence: Occurrence, ctx: RenderContext,
         calendar: CalendarInfo) -> Item:
    entry = published.entry
    lang = calendar.language
    days_left = None
    deadline_open = False
    ended = local_day(occurrence.end, calendar.timezone) < ctx.today
    if entry.is_deadline:
        days = (local_day(occurrence.start, entry.timezone) - ctx.today).days
        deadline_open = days >= 0
        if deadline_open and not entry.cancelled:
            days_left = labels.days_left_text(lang, days)
    return Item(
        id=entry.id,
        href=with_lang(f"/events/{entry.id}", page_lang(calendar)),
        title=entry.title,
        title_lang=fell_back(entry, "title", calendar),
        location_lang=fell_back(entry, "location", calendar),
        type=entry.type,
        type_label=labels.type_label(lang, entry.type),
        when=labels.entry_span(lang, entry, occurrence.start, occurrence.end),
        when_here=_when_here(occurrence, entry.timezone, calendar),
        datetime=occurrence.start.isoformat(),
        location=entry.location,
        organizer=entry.organizer,
        cancelled=entry.cancelled,
        tentative=entry.status == "tentative",
        deadline=entry.is_deadline,
        deadline_open=deadline_open,
        days_left=days_left,
        recurring=entry.repeat is not None,
        source=entry.source,
        ended=ended,
    )


def _when_here(occurrence: Occurrence, tz_name: str, calendar: CalendarInfo) -> str | None:
    # A New York webinar says "10:00–11:30 EST"; readers here also want "16:00–17:30 CET".
    start, end = occurrence.start, occurrence.end
    if not isinstance(start, datetime) or not isinstance(end, datetime) \
            or tz_name == calendar.timezone:
        return None
    here = zone(calendar.timezone)
    local_start, local_end = start.astimezone(here), end.astimezone(here)
    if local_start.date() == start.date() == local_end.date():  # the same day: times suffice
        return f"{local_start:%H:%M}–{local_end:%H:%M} {local_end.tzname()}"
    return labels.format_span(calendar.language, local_start, local_end)


def month_of(pair: tuple[Published, Occurrence]) -> tuple[int, int]:
    """(year, month) of the day an entry (or its next occurrence) starts, in its own zone."""
    day = local_day(pair[1].start, pair[0].entry.timezone)
    return day.year, day.month


def by_month(pairs: Sequence[tuple[Published, Occurrence]], ctx: RenderContext,
             calendar: CalendarInfo) -> list[Month]:
    lang = calendar.language
    months = []
    for (year, month), group in groupby(pairs, key=month_of):
        name = labels.month_name(lang, month)
        months.append(Month(
            id=f"{year:04d}-{month:02d}",
            heading=f"{name[:1].upper()}{name[1:]} {year}",
            items=tuple(item(p, o, ctx, calendar) for p, o in group),
        ))
    return months


def filter_groups(snapshot: Snapshot, in_feed: Sequence[Published], view: Filter, path: str,
                  lang: str, q: str = "") -> list[FilterGroup]:
    """Plain links for each way to narrow the view; each is a shareable URL. A type or tag link
    keeps the other dimension; choosing a calendar starts afresh. ``in_feed`` is what the
    view's feed shows unnarrowed: only the types and tags found there are offered."""
    t = Words(lang)
    keep = page_lang(snapshot.calendar)
    feeds = [Link(t.page_all if name == "all" else feed.title,
                  urls.view_path(path, Filter(feed=name), q, keep), view == Filter(feed=name))
             for name, feed in _feeds_in_order(snapshot)]
    present = {p.entry.type for p in in_feed}
    types = [Link(t.page_all, urls.view_path(path, dataclasses.replace(view, types=()), q, keep),
                  not view.types)]
    types += [Link(labels.type_label(lang, kind),
                   urls.view_path(path, dataclasses.replace(view, types=(kind,)), q, keep),
                   view.types == (kind,))
              for kind in TYPES if kind in present]
    tags = [Link(t.page_all, urls.view_path(path, dataclasses.replace(view, tags=()), q, keep),
                 not view.tags)]
    tags += [Link(snapshot.calendar.tag_label(tag, lang),
                  urls.view_path(path, dataclasses.replace(view, tags=(tag,)), q, keep),
                  view.tags == (tag,))
             for tag in all_tags(in_feed)]
    groups = [FilterGroup("filter-feeds", t.page_feeds, tuple(feeds))]
    if len(types) > 2:  # "All" plus one type is no choice
        groups.append(FilterGroup("filter-types", t.page_types, tuple(types)))
    if len(tags) > 1:
        groups.append(FilterGroup("filter-tags", t.page_tags, tuple(tags)))
    return groups


def _feeds_in_order(snapshot: Snapshot) -> list[tuple[str, FeedDef]]:
    feeds = snapshot.feeds
    return [("all", feeds["all"])] + [(n, f) for n, f in feeds.items() if n != "all"]


def month_range(language: str, first: tuple[int, int], last: tuple[int, int]) -> str:
    """"mars – april 2025", "desember 2024 – januar 2025" or "mars 2025", earliest first."""
    (y1, m1), (y2, m2) = sorted((first, last))
    a, b = labels.month_name(language, m1), labels.month_name(language, m2)
    if (y1, m1) == (y2, m2):
        return f"{a} {y1}"
    return f"{a} – {b} {y2}" if y1 == y2 else f"{a} {y1} – {b} {y2}"


def pager(ctx: RenderContext, view: Filter, lang: str, *, archive: bool, number: int,
          bounds: Sequence[range], months: Sequence[tuple[int, int]],
          q: str = "", keep: str | None = None) -> Pager | None:
    """The way to the neighbouring pages; None when one page holds the whole list."""
    count = len(bounds)
    if count == 1:
        return None
    t = Words(lang)

    def link(to: int, word: str) -> Link:
        span = bounds[to - 1]
        text = f"{word}: {month_range(lang, months[span.start], months[span.stop - 1])}"
        return Link(text, urls.view_path(urls.list_path(archive, to), view, q, keep))

    # Upcoming pages run forward in time, the archive backwards.
    prev = link(number - 1, t.page_newer if archive else t.page_earlier) if number > 1 else None
    following = link(number + 1, t.page_older if archive else t.page_later) \
        if number < count else None
    return Pager(number=number, count=count, status=t("page_number", number=number, count=count),
                 prev=prev, next=following,
                 prev_url=ctx.url(prev.href) if prev else None,
                 next_url=ctx.url(following.href) if following else None)


def index_page(snapshot: Snapshot, ctx: RenderContext, view: Filter, *, archive: bool = False,
               page: int = 1, assets: Assets = Assets(), q: str = "") -> bytes:
    """``/`` (upcoming, by month, soonest first) or ``/archive`` (past, newest first), one page
    of at most ``paging.PAGE_SIZE`` entries; raises ``NoSuchPage`` past the last page. ``q``
    narrows it to entries with those words (as the API's ``q=``)."""
    cal = snapshot.calendar
    lang = cal.language
    whole_feed = Filter(feed=view.feed)
    in_feed = select(snapshot, whole_feed, ctx.today)
    # A narrowed view is a part of its feed; an unnarrowed one (most pages) is the feed itself.
    chosen = in_feed if view == whole_feed else select(snapshot, view, ctx.today)
    if q:
        chosen = search(chosen, q)
    upcoming, past = split_upcoming(chosen, ctx.today, cal.timezone)
    pairs = past if archive else upcoming
    keys = [month_of(pair) for pair in pairs]
    bounds = page_bounds(keys)
    if not 1 <= page <= len(bounds):
        raise NoSuchPage(page, len(bounds))
    span = bounds[page - 1]
    months = by_month(pairs[span.start:span.stop], ctx, cal)
    if span.start > 0 and keys[span.start - 1] == keys[span.start]:
        months[0] = dataclasses.replace(months[0], continued=True)
    path = "/archive" if archive else "/"
    # Nothing ahead: the latest few past entries, so the page does not look abandoned.
    latest_past = [] if archive or upcoming else \
        by_month(past[:LATEST_PAST], ctx, cal)
    feed_title = cal.title if view.feed == "all" else snapshot.feeds[view.feed].title
    feed_description = cal.description if view.feed == "all" \
        else snapshot.feeds[view.feed].description
    keep = page_lang(cal)
    shown = {
        "months": months,
        "pager": pager(ctx, view, lang, archive=archive, number=page, bounds=bounds,
                       months=keys, q=q, keep=keep),
        "latest_past": latest_past,
        "q": q,
        "search_action": path,
        "search_hidden": urls.view_params(view) + ([("lang", keep)] if keep else []),
        "clear_search": urls.view_path(path, view, lang=keep),
        "month_link": urls.view_path(f"/month/{ctx.today:%Y-%m}", view, lang=keep),
        "archive": archive,
        "heading": feed_title,
        "heading_lang": feed_fell_back(snapshot.feeds[view.feed], "title", cal),
        "intro": feed_description,
        "intro_lang": feed_fell_back(snapshot.feeds[view.feed], "description", cal),
        "narrowing": urls.narrowing(snapshot, view),
        "filtered": view != Filter(),
        "groups": filter_groups(snapshot, in_feed, view, path, lang, q),
        "subscribe": subscribe_for(snapshot, ctx, view),
        "other_list": urls.view_path("/" if archive else "/archive", view, q, keep),
        "all_link": with_lang(path, keep),
        "canonical": ctx.url(urls.view_path(urls.list_path(archive, page), view, q, own_lang(cal))),
        "google_add_by_url": GOOGLE_ADD_BY_URL,
    }
    return _render("index.html", cal, snapshot, assets, page=shown,
                   languages=languages_for(snapshot, ctx, urls.list_path(archive, page), view))


# --- one entry ----------------------------------------------------------------------------------


def entry_page(snapshot: Snapshot, ctx: RenderContext, published: Published, *,
               assets: Assets = Assets()) -> bytes:
    cal = snapshot.calendar
    lang = cal.language
    entry = published.entry
    keep = page_lang(cal)
    page_url = with_lang(urls.entry_url(ctx, entry.id), own_lang(cal))
    upcoming, _ = split_upcoming([published], ctx.today, cal.timezone)
    occurrence = upcoming[0][1] if upcoming else Occurrence(entry.start, entry.end)
    shown = dataclasses.replace(entry, start=occurrence.start, end=occurrence.end, repeat=None)
    title = labels.summary(entry, lang)
    details = "\n\n".join(x for x in (entry.description and entry.description.strip(),
                                      entry.url, page_url) if x)
    next_dates: list[str] = []
    if entry.repeat is not None:
        today_start = local_midnight(ctx.today, entry.timezone)
        next_dates = [labels.format_span(lang, o.start, o.end)
                      for o in next_occurrences(entry, today_start, 5)]
    jsonld = event_jsonld(entry, occurrence, page_url, publisher_of(cal, ctx.site_url))
    page = {
        "item": item(published, occurrence, ctx, cal),
        "entry": entry,
        # linkify escapes every character and links only http(s) addresses.
        "paragraphs": [Markup(linkify(line.strip()))  # noqa: S704
                       for line in (entry.description or "").splitlines() if line.strip()],
        "tags": [Link(cal.tag_label(tag, lang), urls.view_path("/", Filter(tags=(tag,)), lang=keep))
                 for tag in entry.tags],
        "status_label": None if entry.status == "confirmed" else labels.label(lang, entry.status),
        "next_dates": next_dates,
        "ics": with_lang(f"/events/{entry.id}.ics", keep),
        "back": with_lang("/", keep),
        "title_lang": fell_back(entry, "title", cal),
        "location_lang": fell_back(entry, "location", cal),
        "description_lang": fell_back(entry, "description", cal),
        "google": google_template(shown, title, details),
        "outlook_office": outlook_compose(shown, title, details),
        "outlook_live": outlook_compose(shown, title, details, live=True),
        "canonical": page_url,
        "jsonld": Markup(script_json(jsonld)),  # noqa: S704 - escaped for <script> by script_json
    }
    return _render("entry.html", cal, snapshot, assets, page=page,
                   languages=languages_for(snapshot, ctx, f"/events/{entry.id}", None))


def _all_feed(cal: CalendarInfo) -> FeedDef:
    return FeedDef("all", cal.title, cal.description, translations=cal.translations)


def data_changed(snapshot: Snapshot) -> datetime:
    """When the entries last changed (an edit, a cancellation, a removal), for the footer:
    not when the page was rendered, nor a change of settings only."""
    times = [p.last_modified for p in snapshot.entries] + [r.at for r in snapshot.removed]
    return max(times, default=snapshot.changed_at)


# --- errors -------------------------------------------------------------------------------------


def error_page(calendar: CalendarInfo | None, *, status: int, message: str,
               changed_at: datetime | None = None, assets: Assets = Assets()) -> bytes:
    """A helpful page for 404 (and 400) with the way back; works before any data exists."""
    cal = calendar or CalendarInfo(title="calfeed", uid_domain="localhost", language="en")
    t = Words(cal.language)
    heading = t.page_not_found if status == 404 else t.page_bad_request
    page = {"status": status, "heading": heading, "message": message}
    return _render("error.html", cal, None, assets, page=page, changed_at=changed_at)


def no_such_page_message(language: str, error: NoSuchPage) -> str:
    key = "page_not_found_one_page" if error.count == 1 else "page_not_found_page"
    return labels.label(language, key).format(number=error.number, count=error.count)


def not_found_message(language: str, *, entry_id: str | None = None,
                      feed: str | None = None) -> str:
    if entry_id is not None:
        return labels.label(language, "page_not_found_entry").format(id=entry_id)
    if feed is not None:
        return labels.label(language, "page_not_found_feed").format(name=feed)
    return labels.label(language, "page_not_found_path")


def _render(template: str, cal: CalendarInfo, snapshot: Snapshot | None, assets: Assets,
            *, changed_at: datetime | None = None, **values: object) -> bytes:
    changed = data_changed(snapshot) if snapshot is not None else changed_at
    updated = None
    if changed is not None:
        day = changed.astimezone(zone(cal.timezone)).date()
        updated = (day.isoformat(), labels.format_day(cal.language, day))
    values.setdefault("languages", [])
    values.setdefault("home", with_lang("/", page_lang(cal)))
    html = environment().get_template(template).render(
        t=Words(cal.language), lang=cal.language, calendar=cal, assets=assets,
        updated=updated, calendar_lang=feed_fell_back(_all_feed(cal), "title", cal), **values)
    return html.encode("utf-8")
