"""What every page shares: the Jinja environment, the page's assets and words, links,
and rendering a template with the footer's date. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from ...languages import feed_fell_back
from ...localtime import zone
from ...model import CalendarInfo, FeedDef, Snapshot
from .. import labels
from ..pagelinks import page_lang, with_lang


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




def _all_feed(cal: CalendarInfo) -> FeedDef:
    return FeedDef("all", cal.title, cal.description, translations=cal.translations)


def data_changed(snapshot: Snapshot) -> datetime:
    """When the entries last changed (an edit, a cancellation, a removal), for the footer:
    not when the page was rendered, nor a change of settings only."""
    times = [p.last_modified for p in snapshot.entries] + [r.at for r in snapshot.removed]
    return max(times, default=snapshot.changed_at)




def render(template: str, cal: CalendarInfo, snapshot: Snapshot | None, assets: Assets,
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
