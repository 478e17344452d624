"""Where a page's links lead: the path of a view (``/?feed=…&type=…``), its subscriptions,
and the same page in each of the calendar's languages (``?lang=``, kept in a page's links
when it was asked for by name)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from ..languages import is_view, multilingual
from ..model import CalendarInfo, Snapshot
from . import labels
from .context import RenderContext
from .select import Filter


def view_query(view: Filter, *, feed: bool = True, q: str = "") -> list[tuple[str, str]]:
    """The query that names a view; ``feed=False`` leaves the feed out (it is in the path);
    ``q`` is a page's search words, kept by its links (feeds have no search)."""
    query: list[tuple[str, str]] = []
    if feed and view.feed != "all":
        query.append(("feed", view.feed))
    query.extend(("type", t) for t in view.types)
    query.extend(("tag", t) for t in view.tags)
    if q:
        query.append(("q", q))
    return query


def view_path(path: str, view: Filter, q: str = "", lang: str | None = None) -> str:
    """The path of a view; ``lang`` (a page asked for in a language) is kept in the link."""
    query = view_query(view, q=q) + ([("lang", lang)] if lang else [])
    return path + ("?" + urlencode(query) if query else "")


def feed_path(view: Filter, extension: str, lang: str | None = None) -> str:
    """The subscription for a view: ``/calendar.ics?type=…`` or ``/feeds/<name>.ics?…``;
    ``lang``: its subscription in that language (``?lang=``)."""
    base = "/calendar" if view.feed == "all" else f"/feeds/{view.feed}"
    if extension != "ics" and view.feed == "all":
        base = "/feed"
    query = view_query(view, feed=False) + ([("lang", lang)] if lang else [])
    return f"{base}.{extension}" + ("?" + urlencode(query) if query else "")


def page_lang(calendar: CalendarInfo) -> str | None:
    """The language a page's links keep: set when the page was asked for in a language
    (``?lang=``, see languages.snapshot_in), so following them does not switch back."""
    return calendar.language if calendar.asked else None


def own_lang(calendar: CalendarInfo) -> str | None:
    """The language a page's subscriptions and canonical address name: the page's, unless it
    is the calendar's own and was not asked for by name (a calendar app sends no
    Accept-Language, so a subscription must say its language)."""
    return calendar.language if calendar.asked or is_view(calendar) else None


def with_lang(href: str, lang: str | None) -> str:
    if not lang:
        return href
    return f"{href}{'&' if '?' in href else '?'}lang={lang}"


@dataclass(frozen=True, slots=True)
class Language:
    """One language a page is offered in: the switch's link, the head's hreflang link, and
    the view's subscription in that language."""

    code: str
    name: str  # in its own language: "Norsk (bokmål)", "English"
    href: str
    url: str  # absolute, for <link rel="alternate" hreflang>
    ics: str
    current: bool


def languages_for(snapshot: Snapshot, ctx: RenderContext, path: str,
                  view: Filter | None) -> list[Language]:
    """The page in each of the calendar's languages; none for a calendar in one language
    (then the page stays as it always was; ``?lang=`` and Accept-Language still work)."""
    cal = snapshot.calendar
    if not multilingual(snapshot):
        return []
    found = []
    for code in cal.offered:
        href = view_path(path, view, lang=code) if view is not None else with_lang(path, code)
        ics = ctx.url(feed_path(view or Filter(), "ics", code))
        found.append(Language(code, labels.label(code, "language_name"), href, ctx.url(href),
                              ics, code == cal.language))
    return found
