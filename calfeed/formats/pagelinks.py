"""Which language a page's links keep, and the same page in each of the calendar's languages
(``?lang=``, kept in a page's links when it was asked for by name). The paths themselves
(views, subscriptions) are made in ``urls``."""

from __future__ import annotations

from dataclasses import dataclass

from ..languages import is_view, multilingual
from ..model import CalendarInfo, Snapshot
from . import labels
from .context import RenderContext
from .select import Filter
from .urls import subscription_path, view_path


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
        ics = ctx.url(subscription_path(view or Filter(), "ics", lang=code))
        found.append(Language(code, labels.label(code, "language_name"), href, ctx.url(href),
                              ics, code == cal.language))
    return found
