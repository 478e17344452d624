"""Words shown to people, in the calendar's language (nb or en). One table, every format."""

from __future__ import annotations

from datetime import date, datetime

from ..model import Entry, When

_LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "course": "Kurs", "conference": "Konferanse", "webinar": "Webinar",
        "seminar": "Seminar", "meeting": "Møte", "event": "Arrangement",
        "deadline": "Høringsfrist",
        "deadline_prefix": "Frist: ", "cancelled_prefix": "AVLYST: ",
        "tentative": "Foreløpig", "confirmed": "Bekreftet", "cancelled": "Avlyst",
        "organizer": "Arrangør", "issuer": "Avsender", "more_info": "Mer informasjon",
        "online": "Digitalt", "where": "Sted", "when": "Tid", "open": "Åpen",
        "closed": "Lukket", "days_left_one": "1 dag igjen", "days_left": "{n} dager igjen",
        "due_today": "Frist i dag", "all_day": "hele dagen", "repeats": "Gjentas",
        "next": "Neste",
    },
    "en": {
        "course": "Course", "conference": "Conference", "webinar": "Webinar",
        "seminar": "Seminar", "meeting": "Meeting", "event": "Event",
        "deadline": "Consultation deadline",
        "deadline_prefix": "Deadline: ", "cancelled_prefix": "CANCELLED: ",
        "tentative": "Tentative", "confirmed": "Confirmed", "cancelled": "Cancelled",
        "organizer": "Organizer", "issuer": "Issued by", "more_info": "More information",
        "online": "Online", "where": "Where", "when": "When", "open": "Open",
        "closed": "Closed", "days_left_one": "1 day left", "days_left": "{n} days left",
        "due_today": "Due today", "all_day": "all day", "repeats": "Repeats",
        "next": "Next",
    },
}

_MONTHS = {
    "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def label(language: str, key: str) -> str:
    return _LABELS.get(language, _LABELS["en"])[key]


def type_label(language: str, entry_type: str) -> str:
    return label(language, entry_type)


def month_name(language: str, month: int) -> str:
    return _MONTHS.get(language, _MONTHS["en"])[month - 1]


def summary(entry: Entry, language: str) -> str:
    """The title as calendars and feed readers show it: 'AVLYST: Frist: …'."""
    text = entry.title
    if entry.is_deadline:
        text = label(language, "deadline_prefix") + text
    if entry.cancelled:
        text = label(language, "cancelled_prefix") + text
    return text


def days_left_text(language: str, days: int) -> str:
    if days == 0:
        return label(language, "due_today")
    if days == 1:
        return label(language, "days_left_one")
    return label(language, "days_left").format(n=days)


def format_day(language: str, day: date, *, with_year: bool = True) -> str:
    if language == "nb":
        text = f"{day.day}. {month_name(language, day.month)}"
    else:
        text = f"{day.day} {month_name(language, day.month)}"
    return f"{text} {day.year}" if with_year else text


def format_span(language: str, start: When, end: When) -> str:
    """People's way of writing a date range: '21.–22. august 2024', '10:00–12:00 CEST'."""
    if isinstance(start, datetime) and isinstance(end, datetime):
        day = format_day(language, start.date())
        if end.date() == start.date():
            if end == start:
                return f"{day} {start:%H:%M} {start.tzname()}"
            return f"{day} {start:%H:%M}–{end:%H:%M} {end.tzname()}"
        last = format_day(language, end.date())
        return f"{day} {start:%H:%M} – {last} {end:%H:%M} {end.tzname()}"
    assert not isinstance(start, datetime) and not isinstance(end, datetime)
    if start == end:
        return format_day(language, start)
    sep = ". " if language == "nb" else " "
    if (start.year, start.month) == (end.year, end.month):
        dot = "." if language == "nb" else ""
        return f"{start.day}{dot}–{end.day}{sep}{month_name(language, end.month)} {end.year}"
    if start.year == end.year:
        return f"{format_day(language, start, with_year=False)} – {format_day(language, end)}"
    return f"{format_day(language, start)} – {format_day(language, end)}"
