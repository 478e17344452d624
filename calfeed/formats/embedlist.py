"""``/embed/list``: the widget's list as a page any site may put in an ``<iframe>``, for
partners whose CMS strips ``<script>``. Pure.

It lists what ``/api/v1/events`` would give for the same query (the same rows, the first
page), with the list pages' marks (type, cancelled, tentative, ended, days left), then a
"see all" link to the calendar's page of the same view and the view's subscription. Links
open in a new tab: inside a frame, the partner's page should stay where it is.
"""

from __future__ import annotations

from ..model import Snapshot
from . import apiquery
from .context import RenderContext
from .html import Assets, Words, item, render
from .urls import subscribe_name, subscription_url, view_path


def embed_list_page(snapshot: Snapshot, ctx: RenderContext, query: apiquery.EventQuery, *,
                    compact: bool = False, assets: Assets | None = None) -> bytes:
    cal = snapshot.calendar
    rows = apiquery.event_rows(snapshot, query)
    if query.after is not None:
        after = query.after
        rows = [row for row in rows if row.key > after]
    items = [item(row.published, row.occurrence, ctx, cal) for row in rows[: query.limit]]
    view = query.view
    page = {
        "title": subscribe_name(snapshot, view),
        "entries": items,
        "compact": compact,
        "more": ctx.url(view_path("/", view, query.text)),
        "subscribe": subscription_url(ctx, view),
        "t_more": Words(cal.language).page_see_all,
    }
    return render("embed_list.html", cal, snapshot, assets or Assets(), page=page)
