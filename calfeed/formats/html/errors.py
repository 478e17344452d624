"""The error page (404, 400) and its messages; works before any data exists. Pure."""

from __future__ import annotations

from datetime import datetime

from ...model import CalendarInfo
from .. import labels
from ..paging import NoSuchPage
from .common import Assets, Words, render

# --- errors -------------------------------------------------------------------------------------


def error_page(calendar: CalendarInfo | None, *, status: int, message: str,
               changed_at: datetime | None = None, assets: Assets = Assets()) -> bytes:
    """A helpful page for 404 (and 400) with the way back; works before any data exists."""
    cal = calendar or CalendarInfo(title="calfeed", uid_domain="localhost", language="en")
    t = Words(cal.language)
    heading = t.page_not_found if status == 404 else t.page_bad_request
    page = {"status": status, "heading": heading, "message": message}
    return render("error.html", cal, None, assets, page=page, changed_at=changed_at)


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
