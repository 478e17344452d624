"""One entry's page (``/events/{id}``). Pure."""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from ...languages import fell_back
from ...localtime import local_midnight
from ...model import Published, Snapshot
from ...recurrence import Occurrence, next_occurrences
from .. import labels, urls
from ..context import RenderContext
from ..jsonld import event_jsonld, publisher_of, script_json
from ..links import google_template, outlook_compose
from ..pagelinks import languages_for, own_lang, page_lang, with_lang
from ..richtext import linkify
from ..select import Filter
from .common import Assets, Link, render
from .items import item, split_upcoming

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
    return render("entry.html", cal, snapshot, assets, page=page,
                   languages=languages_for(snapshot, ctx, f"/events/{entry.id}", None))
