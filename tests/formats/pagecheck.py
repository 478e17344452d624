"""Reading calfeed's HTML pages back the way a person sees them: month headings, the entries
under each, the subscribe panel, the JSON-LD. Shared by the builder, route and browser tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lxml import html as lxml_html

from calfeed.formats import labels
from calfeed.localtime import local_midnight
from calfeed.recurrence import next_occurrences, span_instants
from calfeed.source import Source


@dataclass(frozen=True)
class Shown:
    id: str
    title: str
    datetime: str
    badges: tuple[str, ...]


def document(body: bytes | str) -> Any:
    return lxml_html.fromstring(body)


def months(body: bytes | str) -> dict[str, list[Shown]]:
    """Month heading → the entries listed under it, in page order."""
    result: dict[str, list[Shown]] = {}
    for section in document(body).cssselect("section.month"):
        heading = section.cssselect("h2")[0].text_content().strip()
        result[heading] = [
            Shown(
                id=li.cssselect("h3 a")[0].get("href").rsplit("/", 1)[1],
                title=li.cssselect("h3")[0].text_content().strip(),
                datetime=li.cssselect("time")[0].get("datetime"),
                badges=tuple(b.text_content().strip() for b in li.cssselect(".badges > *")),
            )
            for li in section.cssselect("li.entry")
        ]
    return result


def listed_ids(body: bytes | str) -> list[str]:
    return [shown.id for entries in months(body).values() for shown in entries]


def jsonld(body: bytes | str) -> dict[str, Any]:
    scripts = document(body).cssselect('script[type="application/ld+json"]')
    assert len(scripts) == 1, "an entry page has exactly one JSON-LD block"
    data: dict[str, Any] = json.loads(scripts[0].text)
    return data


def month_heading(day: date, language: str) -> str:
    name = labels.month_name(language, day.month)
    return f"{name[:1].upper()}{name[1:]} {day.year}"


def expected_upcoming(source: Source, today: date,
                      language: str | None = None) -> dict[str, list[str]]:
    """Month heading → ids, worked out from the source: every entry that has not ended by the
    start of ``today``, under the month its (next) occurrence starts in, soonest first.
    Headings in ``language`` (default: the calendar's)."""
    today_start = local_midnight(today, source.calendar.timezone)
    rows: list[tuple[datetime, str, str, str]] = []
    for entry in source.entries:
        start: date | datetime
        if entry.repeat is not None:
            following = next_occurrences(entry, today_start, 1)
            if not following:
                continue
            start = following[0].start
        elif span_instants(entry.start, entry.end, entry.timezone)[1] > today_start:
            start = entry.start
        else:
            continue
        instant = span_instants(start, start, entry.timezone)[0]
        day = start.date() if isinstance(start, datetime) else start
        rows.append((instant, entry.title, entry.id,
                     month_heading(day, language or source.calendar.language)))
    result: dict[str, list[str]] = {}
    for _, _, entry_id, heading in sorted(rows):
        result.setdefault(heading, []).append(entry_id)
    return result
