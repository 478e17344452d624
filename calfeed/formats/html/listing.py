"""The front page and the archive (``/``, ``/archive``, their later pages): the subscribe
panel, the filters, the pager and the list. Pure."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from ...languages import feed_fell_back
from ...model import TYPES, FeedDef, Published, Snapshot
from .. import labels, urls
from ..context import RenderContext
from ..links import subscribe_links
from ..pagelinks import languages_for, own_lang, page_lang, with_lang
from ..paging import NoSuchPage, page_bounds
from ..search import search
from ..select import Filter, all_tags, select
from .common import Assets, Link, Words, render
from .items import by_month, month_of, split_upcoming

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
LATEST_PAST = 3  # past entries an empty upcoming view shows instead of nothing


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
    return render("index.html", cal, snapshot, assets, page=shown,
                   languages=languages_for(snapshot, ctx, urls.list_path(archive, page), view))
