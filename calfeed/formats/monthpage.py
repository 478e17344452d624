"""The month page's view-model and rendering (the grid itself is ``month.py``). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Snapshot
from . import labels, month
from .context import RenderContext
from .html import Assets, Item, Link, Words, filter_groups, item, render
from .pagelinks import languages_for, own_lang, page_lang
from .select import Filter, select
from .urls import view_path


@dataclass(frozen=True, slots=True)
class Cell:
    """One entry as a day cell shows it."""

    item: Item
    part: str  # single, first, middle, last
    note: str | None  # "dag 2 av 3" on a span's later days
    time: str | None


def month_path(year: int, month_number: int, view: Filter, lang: str | None = None) -> str:
    return view_path(f"/month/{month.month_id(year, month_number)}", view, lang=lang)


def month_page(snapshot: Snapshot, ctx: RenderContext, view: Filter, year: int,
               month_number: int, *, assets: Assets | None = None) -> bytes:
    cal = snapshot.calendar
    lang = cal.language
    keep = page_lang(cal)
    t = Words(lang)
    grid = month.weeks(snapshot, view, ctx, year, month_number)
    items: dict[tuple[str, str], Item] = {}

    def cell(placed: month.Placed) -> Cell:
        key = (placed.published.entry.id, str(placed.occurrence.start))
        if key not in items:
            items[key] = item(placed.published, placed.occurrence, ctx, cal)
        note = None if placed.day_number == 1 else \
            t("page_day_of", n=placed.day_number, count=placed.day_count)
        return Cell(items[key], placed.part, note, placed.time)

    weeks = [{"number": week.number,
              "days": [{"date": day.day.isoformat(), "number": day.day.day,
                        "in_month": day.in_month, "today": day.today,
                        "label": f"{t('weekday_' + str(day.day.weekday()))} "
                                 f"{labels.format_day(lang, day.day)}",
                        "cells": [cell(p) for p in day.entries]}
                       for day in week.days]}
             for week in grid]
    heading = month.month_heading(lang, year, month_number)
    name = f"{labels.month_name(lang, month_number)} {year}"
    count = month.count_entries(grid)
    summary = t("page_month_empty", month=name) if count == 0 else \
        t("page_month_count_one", month=name) if count == 1 else \
        t("page_month_count", n=count, month=name)
    prev_y, prev_m = month.shift(year, month_number, -1)
    next_y, next_m = month.shift(year, month_number, 1)
    path = f"/month/{month.month_id(year, month_number)}"
    in_feed = select(snapshot, Filter(feed=view.feed), ctx.today)
    feed_title = cal.title if view.feed == "all" else snapshot.feeds[view.feed].title
    page = {
        "heading": feed_title,
        "month_heading": heading,
        "summary": summary,
        "weekdays": month.weekday_names(lang),
        "weeks": weeks,
        "prev": Link(f"{t.page_prev_month}: {month.month_heading(lang, prev_y, prev_m)}",
                     month_path(prev_y, prev_m, view, keep)),
        "next": Link(f"{t.page_next_month}: {month.month_heading(lang, next_y, next_m)}",
                     month_path(next_y, next_m, view, keep)),
        "groups": filter_groups(snapshot, in_feed, view, path, lang),
        "list_link": view_path("/", view, lang=keep),
        "subscribe_link": view_path("/", view, lang=keep) + "#subscribe",
        "canonical": ctx.url(view_path(path, view, lang=own_lang(cal))),
    }
    return render("month.html", cal, snapshot, assets or Assets(), page=page,
                   languages=languages_for(snapshot, ctx, path, view))

