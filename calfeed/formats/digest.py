"""The newsletter's own sections, written from the source: "Kommende arrangementer" and
"Høringsfrister" for a period, grouped by month, in the calendar's language, as Markdown or as
plain semantic HTML that pastes into an e-mail or a Word document without styles to fight.

Pure: a source, a period and a language in, text out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from typing import Literal

from ..languages import calendar_in, localize
from ..localtime import local_midnight
from ..model import Entry, Source, When
from ..recurrence import occurrences
from .labels import label, month_name, type_label

Format = Literal["md", "html"]

_WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "events": "Kommende arrangementer", "deadlines": "Høringsfrister",
        "period": "{start}–{end}", "none_events": "Ingen arrangementer i perioden.",
        "none_deadlines": "Ingen høringsfrister i perioden.", "answer": "Svar her",
        "where": "Sted", "organizer": "Arrangør", "issuer": "Avsender",
        "more": "Mer informasjon", "tentative": "foreløpig",
        "cancelled": "AVLYST", "at": "kl.", "title": "Kalender",
        "month_only": "{month}, dato kommer", "registration": "Påmeldingsfrist",
    },
    "en": {
        "events": "Upcoming events", "deadlines": "Consultation deadlines",
        "period": "{start} – {end}", "none_events": "No events in this period.",
        "none_deadlines": "No consultation deadlines in this period.", "answer": "Respond here",
        "where": "Where", "organizer": "Organizer", "issuer": "Issued by",
        "more": "More information", "tentative": "tentative",
        "cancelled": "CANCELLED", "at": "", "title": "Calendar",
        "month_only": "{month}, date to be announced", "registration": "Registration deadline",
    },
}


@dataclass(frozen=True, slots=True)
class _Item:
    start: When
    end: When
    entry: Entry
    registration: Entry | None = None


def digest(source: Source, first: date, last: date, *, fmt: Format = "md",
           language: str | None = None) -> str:
    """Both sections for ``first``..``last`` (inclusive), in ``language`` (default: the
    calendar's)."""
    lang = language or source.calendar.language
    items = [_Item(i.start, i.end, localize(i.entry, lang, source.calendar.language).entry)
             for i in _items(source, first, last)]
    # The newsletter's two sections: events (publications are not), and consultation
    # deadlines (a registration deadline is told with its event instead).
    registrations = {e.registration_for: e for e in source.entries if e.registration_for}
    events = [_Item(i.start, i.end, i.entry, registrations.get(i.entry.id)) for i in items
              if not i.entry.is_deadline and i.entry.type != "publication"]
    deadlines = [i for i in items if i.entry.is_deadline and not i.entry.registration_for]
    writer = _markdown if fmt == "md" else _html
    return writer(source, lang, first, last, events, deadlines)


def _items(source: Source, first: date, last: date) -> list[_Item]:
    tz = source.calendar.timezone
    window = (local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz))
    found = [
        _Item(o.start, o.end, entry)
        for entry in source.entries
        for o in occurrences(entry, *window)
    ]
    # A month-only entry ("juni, dato kommer") closes its month's list.
    return sorted(found, key=lambda i: (_day(i.start).replace(day=1), i.entry.month_only,
                                        _day(i.start), i.entry.title, i.entry.id))


def _day(value: When) -> date:
    return value.date() if isinstance(value, datetime) else value


def _by_month(items: list[_Item]) -> list[tuple[tuple[int, int], list[_Item]]]:
    groups: dict[tuple[int, int], list[_Item]] = {}
    for item in items:
        day = _day(item.start)
        groups.setdefault((day.year, day.month), []).append(item)
    return list(groups.items())


def _month_heading(lang: str, year: int, month: int) -> str:
    name = month_name(lang, month)
    return f"{name[:1].upper()}{name[1:]} {year}"


def _when(lang: str, start: When, end: When) -> str:
    """'21.–22. august', '1. juni kl. 10.00–11.30' (nb); '21–22 August', '1 June 10:00–11:30'."""
    dot, sep = (".", ". ") if lang == "nb" else ("", " ")

    def day_text(d: date) -> str:
        return f"{d.day}{sep}{month_name(lang, d.month)}"

    first, last = _day(start), _day(end)
    if first == last:
        text = day_text(first)
    elif (first.year, first.month) == (last.year, last.month):
        text = f"{first.day}{dot}–{last.day}{sep}{month_name(lang, last.month)}"
    else:
        text = f"{day_text(first)} – {day_text(last)}"
    if isinstance(start, datetime) and isinstance(end, datetime):
        fmt = "%H.%M" if lang == "nb" else "%H:%M"
        at = _WORDS[lang]["at"]
        clock = f"{start:{fmt}}" if end == start else f"{start:{fmt}}–{end:{fmt}}"
        text = f"{text} {at} {clock}".replace("  ", " ")
    return text


def _item_when(lang: str, item: _Item) -> str:
    if item.entry.month_only:
        return _WORDS[lang]["month_only"].format(month=month_name(lang, _day(item.start).month))
    return _when(lang, item.start, item.end)


def _facts(lang: str, item: _Item) -> tuple[str, list[tuple[str, str]], tuple[str, str] | None]:
    """The line's heading text, its labelled facts, and its link (label, url)."""
    words, entry = _WORDS[lang], item.entry
    title = entry.title
    if entry.cancelled:
        title = f"{words['cancelled']}: {title}"
    facts: list[tuple[str, str]] = []
    if entry.is_deadline:
        if entry.status == "tentative":
            title = f"{title} ({words['tentative']})"
        if entry.organizer:
            facts.append((words["issuer"], entry.organizer))
        link = (words["answer"], entry.url) if entry.url else None
    else:
        kind = type_label(lang, entry.type)
        if entry.status == "tentative":
            kind = f"{kind}, {words['tentative']}"
        title = f"{title} ({kind.lower() if lang == 'nb' else kind})"
        place = entry.location or (label(lang, "online") if entry.online_url else None)
        if place:
            facts.append((words["where"], place))
        if entry.organizer:
            facts.append((words["organizer"], entry.organizer))
        if item.registration is not None:
            due = item.registration.start
            facts.append((words["registration"], _when(lang, due, due)))
        link = (words["more"], entry.url) if entry.url else None
    return title, facts, link


def _markdown(source: Source, lang: str, first: date, last: date, events: list[_Item],
              deadlines: list[_Item]) -> str:
    words = _WORDS[lang]
    out: list[str] = []
    for key, items in (("events", events), ("deadlines", deadlines)):
        out.append(f"## {words[key]}\n")
        if not items:
            out.append(f"{words['none_' + key]}\n")
        for (year, month), group in _by_month(items):
            out.append(f"### {_month_heading(lang, year, month)}\n")
            for item in group:
                title, facts, link = _facts(lang, item)
                parts = [f"**{_item_when(lang, item)}**: {_md(title)}."]
                parts += [f"{name}: {_md(value)}." for name, value in facts]
                if link:
                    parts.append(f"[{link[0]}](<{link[1]}>)")
                out.append("- " + " ".join(parts))
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    """Text as Markdown shows it literally: the characters Markdown would act on escaped."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _html(source: Source, lang: str, first: date, last: date, events: list[_Item],
          deadlines: list[_Item]) -> str:
    words = _WORDS[lang]
    name = calendar_in(source.calendar, lang)[0].title
    title = f"{escape(name)}: {_when(lang, first, last)} {last.year}"
    out = ["<!DOCTYPE html>", f'<html lang="{escape(lang)}">', "<head>",
           '<meta charset="utf-8">', f"<title>{title}</title>", "</head>", "<body>"]
    for key, items in (("events", events), ("deadlines", deadlines)):
        out.append(f"<h2>{escape(words[key])}</h2>")
        if not items:
            out.append(f"<p>{escape(words['none_' + key])}</p>")
        for (year, month), group in _by_month(items):
            out.append(f"<h3>{escape(_month_heading(lang, year, month))}</h3>")
            out.append("<ul>")
            for item in group:
                text, facts, link = _facts(lang, item)
                parts = [f"<strong>{escape(_item_when(lang, item))}</strong>: "
                         f"{escape(text)}."]
                parts += [f"{escape(name)}: {escape(value)}." for name, value in facts]
                if link:
                    parts.append(f'<a href="{escape(link[1])}">{escape(link[0])}</a>')
                out.append(f"<li>{' '.join(parts)}</li>")
            out.append("</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
