"""Every public address and the name of every view, in one place. Pure.

Paths are relative to the site (``/feeds/frister.ics?type=course``), as pages link and as the
static export writes files; ``RenderContext.url`` makes them absolute for feeds, the API and
calendar apps. Each path segment and query value is quoted here, once. A view's query is
written in one fixed order (feed, types, tags, partner sources, search words, reminders,
``lang``; types, tags and sources sorted as ``Filter`` keeps them), so every spelling of the
same view has one URL, one body and one ETag. ``pagelinks`` adds the page-only parts (the
language switch).

A view is named three ways, each kept as subscribers already have it (changing one would
rename their calendars): ``subscribe_name`` (the page's subscribe panel, Outlook's "name"),
``calendar_name`` (an ``.ics`` feed's NAME) and ``reader_title`` (Atom/RSS ``<title>``).
A view of partner sources (``?source=``) adds "Hentet fra <source>" to each; the names of
other views are as they were.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from ..model import Snapshot
from . import labels
from .select import Filter

if TYPE_CHECKING:  # context.py makes entry URLs with this module
    from .context import RenderContext

Params = list[tuple[str, str]]
API_EVENTS = "/api/v1/events"
STATIC_NAMES = ("style.css", "favicon.svg", "page.js")


def with_query(path: str, params: Sequence[tuple[str, str]], *, safe: str = "") -> str:
    """``path?a=1&b=2``, form-encoded (UTF-8, a space as "+") the same way everywhere;
    ``safe`` keeps characters unquoted (the commas of ``alarm=1d,2h``)."""
    return f"{path}?{urlencode(params, safe=safe)}" if params else path


def view_params(view: Filter, *, feed: bool = True, q: str = "") -> Params:
    """The query that names a view; ``feed=False`` leaves the feed out (it is in the path);
    ``q`` is a page's search words, kept by its links (feeds have no search)."""
    params: Params = []
    if feed and view.feed != "all":
        params.append(("feed", view.feed))
    params.extend(("type", t) for t in view.types)
    params.extend(("tag", t) for t in view.tags)
    params.extend(("source", s) for s in view.sources)
    if q:
        params.append(("q", q))
    return params


def _lang(lang: str | None) -> Params:
    return [("lang", lang)] if lang else []


# --- pages ---------------------------------------------------------------------------------


def list_path(archive: bool, number: int = 1) -> str:
    """``/``, ``/page/2``, ``/archive``, ``/archive/page/2``: paths, not a query, so that a
    static export can write each page as a file (``page/2/index.html``)."""
    base = "/archive" if archive else ""
    return (base or "/") if number == 1 else f"{base}/page/{number}"


def view_path(path: str, view: Filter, q: str = "", lang: str | None = None) -> str:
    """A page (``/``, ``/archive``, ``/page/2``, ``/month/2024-08``) showing ``view``;
    ``lang`` (a page asked for in a language) is kept in the link."""
    return with_query(path, view_params(view, q=q) + _lang(lang))


def month_path(year: int, month: int) -> str:
    return f"/month/{year:04d}-{month:02d}"


def entry_path(entry_id: str) -> str:
    return f"/events/{quote(entry_id)}"


def entry_ics_path(entry_id: str) -> str:
    return f"/events/{quote(entry_id)}.ics"


def entry_url(ctx: RenderContext, entry_id: str) -> str:
    """The entry's page, absolute."""
    return ctx.url(entry_path(entry_id))


def entry_ics_url(ctx: RenderContext, entry_id: str) -> str:
    return ctx.url(entry_ics_path(entry_id))


# --- feeds ---------------------------------------------------------------------------------


def feed_path(feed: str, ext: str) -> str:
    """A feed without its filter: ``/calendar.ics``, ``/feed.atom``, ``/feeds/<name>.rss``."""
    if feed != "all":
        return f"/feeds/{quote(feed)}.{ext}"
    return "/calendar.ics" if ext == "ics" else f"/feed.{ext}"


def subscription_path(view: Filter, ext: str, alarm: str = "", lang: str | None = None) -> str:
    """The feed of a view: ``/calendar.ics?type=course``, ``/feeds/frister.atom?tag=x``;
    ``alarm`` (``1d,2h``) the reminders an ``.ics`` subscription asked for, ``lang`` its
    language (``?lang=``)."""
    params = view_params(view, feed=False) + ([("alarm", alarm)] if alarm else []) + _lang(lang)
    return with_query(feed_path(view.feed, ext), params, safe=",")


def subscription_url(ctx: RenderContext, view: Filter, ext: str = "ics", alarm: str = "",
                     lang: str | None = None) -> str:
    """What a calendar app subscribes to (``ics``), or a feed reader follows."""
    return ctx.url(subscription_path(view, ext, alarm, lang))


# --- names of views ------------------------------------------------------------------------


def feed_title(snapshot: Snapshot, view: Filter) -> str:
    """The title of the view's named feed (the calendar's own for "all")."""
    return snapshot.calendar.title if view.feed == "all" else snapshot.feeds[view.feed].title


def narrowing(snapshot: Snapshot, view: Filter) -> list[str]:
    """What narrows a view, as its page and subscribe name show it: type labels, then
    ``#tag``s (by their labels where the calendar declares them), then the partner sources."""
    cal = snapshot.calendar
    return [labels.type_label(cal.language, t) for t in view.types] + [
        f"#{cal.tag_label(t, cal.language)}" for t in view.tags] + _sources(cal.language, view)


def _sources(language: str, view: Filter) -> list[str]:
    """"Hentet fra rvts-ost": a view of pulled entries names its source (the names of views
    without ``?source=`` stay as they were)."""
    if not view.sources:
        return []
    return [f"{labels.label(language, 'pulled_from')} {', '.join(view.sources)}"]


def subscribe_name(snapshot: Snapshot, view: Filter) -> str:
    """"Title (Kurs, #Ungdom)": the name a subscriber recognises in their calendar list."""
    narrowed = narrowing(snapshot, view)
    title = feed_title(snapshot, view)
    return f"{title} ({', '.join(narrowed)})" if narrowed else title


def calendar_name(snapshot: Snapshot, view: Filter) -> str:
    """"Title (Kurs, ungdom)": an ``.ics`` feed's NAME; two filtered subscriptions, two names."""
    language = snapshot.calendar.language
    narrowed = [labels.type_label(language, t) for t in view.types] + list(view.tags) + \
        _sources(language, view)
    title = snapshot.feeds[view.feed].title
    return f"{title} ({', '.join(narrowed)})" if narrowed else title


def reader_title(snapshot: Snapshot, view: Filter) -> str:
    """"Title (Kurs, Webinar; emneord: ungdom)": an Atom/RSS feed's title."""
    lang = snapshot.calendar.language
    parts = []
    if view.types:
        parts.append(", ".join(labels.type_label(lang, t) for t in view.types))
    if view.tags:
        parts.append(f"{labels.label(lang, 'tags').lower()}: {', '.join(view.tags)}")
    parts += [text.lower() for text in _sources(lang, view)]
    return feed_title(snapshot, view) + (f" ({'; '.join(parts)})" if parts else "")


def calendar_description(snapshot: Snapshot, view: Filter) -> str | None:
    return snapshot.feeds[view.feed].description or snapshot.calendar.description


# --- everything the site answers ------------------------------------------------------------


def public_paths(snapshot: Snapshot) -> Iterator[str]:
    """Every public URL the app answers for this snapshot, as the static export writes them:
    the lists' first pages (the later ones are found by following ``rel="next"``), every
    feed, every entry, the API's first pages, the month pages, the widget and the assets."""
    everything = Filter()
    yield from (list_path(False), list_path(True))
    yield from (subscription_path(everything, ext) for ext in ("ics", "atom", "rss"))
    yield from ("/embed.js", API_EVENTS, "/api/v1/feeds", "/openapi.json")
    yield from (f"/static/{name}" for name in STATIC_NAMES)
    for name in snapshot.feeds:
        if name == "all":
            continue
        view = Filter(feed=name)
        yield from (subscription_path(view, ext) for ext in ("ics", "atom", "rss"))
        yield view_path(list_path(False), view)
        yield view_path(list_path(True), view)
    for published in snapshot.entries:
        entry_id = published.entry.id
        yield from (entry_path(entry_id), entry_ics_path(entry_id),
                    f"{API_EVENTS}/{quote(entry_id)}")
    yield from (month_path(year, month) for year, month in entry_months(snapshot))


MAX_MONTHS = 120


def entry_months(snapshot: Snapshot) -> list[tuple[int, int]]:
    """The month pages a static copy holds: every month from the first entry's start to the
    last one's (a recurring entry counts by its first date), at most the latest ten years."""
    starts = [p.entry.start for p in snapshot.entries]
    if not starts:
        return []
    first = min((d.year, d.month) for d in starts)
    last = max((d.year, d.month) for d in starts)
    months: list[tuple[int, int]] = []
    year, month = last
    while (year, month) >= first and len(months) < MAX_MONTHS:
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(months)
