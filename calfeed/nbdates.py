"""Dates as Norwegian newsletters and ministries write them, found in running text.

Pure: text in, dates out; no clock (the year comes from the text, a year the caller gives, or
the item's publication date). Forms read (nb and nn month and weekday names):

- ``21.–22. august``, ``15.-16. april 2024``, ``30. april–2. mai`` (ranges, last day inclusive)
- ``16. september 2024``, ``fredag 18. oktober``, ``1. juni kl. 10.00–11.30``
- ``18.10.2024``, ``13.10.23``, ``2024-10-18``
- ``i juni`` / ``i juni 2024`` (a month, day not known), ``uke 38`` (a week)
- a deadline phrase before a date: ``høringsfrist 16. september``, ``Høringsfrist: 16. september
  2024``, ``Frist for å svare er 1.10.2024``, ``høringsfristen er satt til 13.10.23``,
  ``påmeldingsfrist 1. august`` (a registration deadline)

``find_dates`` returns every date with its place in the text and what was guessed;
``find_deadline`` reads one consultation deadline out of a feed item's text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Literal

__all__ = ["MONTHS", "DateMatch", "find_dates", "find_deadline", "guess_year"]

MONTHS: dict[str, int] = {
    "januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "des": 12,
}
WEEKDAYS: dict[str, int] = {
    "mandag": 0, "måndag": 0, "tirsdag": 1, "tysdag": 1, "onsdag": 2, "torsdag": 3,
    "fredag": 4, "lørdag": 5, "laurdag": 5, "søndag": 6, "sundag": 6,
}

Precision = Literal["day", "month", "week"]
Kind = Literal["date", "deadline", "registration"]

# Longest names first, so "september" is not read as "sep" + "tember".
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?!\w)\.?"
_WEEKDAY = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + ")"
_DASH = r"\s*[-–—]\s*"
_YEAR = r"(?:\s+(?P<year>\d{4})(?!\d))?"
_TIME = r"(?:kl\.?\s*)(?P<t1>\d{1,2}(?:[.:]\d{2})?)(?:" + _DASH + r"(?P<t2>\d{1,2}(?:[.:]\d{2})?))?"

# Words that make the next date a deadline; "påmelding" makes it a registration deadline.
_DEADLINE_WORDS = re.compile(
    r"(?:(?P<reg>påmeldings)|hørings|svar|innspills?|søknads)?frist(?:en)?"
    r"(?:\s+for\s+(?:(?P<reg2>påmelding)|å\s+\w+))?"
    r"(?:\s*(?::|\b(?:er|var|blir|settes|satt|til|utløper|den|innen|senest)\b))*\s*$",
    re.IGNORECASE,
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in (
        # 30. april–2. mai (2024)
        ("cross", rf"(?<![\d.])(?P<d1>\d{{1,2}})\.\s*(?P<m1>{_MONTH}){_DASH}(?P<d2>\d{{1,2}})\.\s*"
                  rf"(?P<m2>{_MONTH}){_YEAR}"),
        # 21.–22. august (2024)
        ("range", rf"(?<![\d.])(?P<d1>\d{{1,2}})\.?{_DASH}(?P<d2>\d{{1,2}})\.\s*(?P<m2>{_MONTH})"
                  rf"{_YEAR}"),
        # (fredag) 18. oktober (2024) (kl. 10.00–11.30)
        ("day", rf"(?:(?P<wd>{_WEEKDAY})\s+(?:den\s+)?)?(?<![\d.])(?P<d1>\d{{1,2}})\.\s*"
                rf"(?P<m1>{_MONTH}){_YEAR}(?:,?\s*{_TIME})?"),
        # 18.10.2024 / 13.10.23 (never 10.00, a time)
        ("numeric", rf"(?:(?P<wd>{_WEEKDAY})\s+(?:den\s+)?)?(?<![\d.:])(?P<d1>\d{{1,2}})\."
                    rf"(?P<m1>\d{{1,2}})\.(?P<year>\d{{4}}|\d{{2}})(?![\d]|\.\d)"
                    rf"(?:,?\s*{_TIME})?"),
        ("iso", r"(?<![\d-])(?P<year>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})(?![\d-])"),
        # i juni (2024) — a month, day not known
        ("month", rf"\b(?:i|innen|i løpet av|i begynnelsen av|i slutten av|medio|ultimo)\s+"
                  rf"(?P<m1>{_MONTH}){_YEAR}"),
        # uke 38 (2024)
        ("week", r"\b(?:uke|veke)\s+(?P<week>\d{1,2})(?!\d)(?:\s*(?:i\s+)?(?P<year>\d{4}))?"),
    )
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date (or span) found in text.

    ``start``/``end`` are the first and last day (inclusive); for ``precision == "month"``
    they are the month's first and last day, for ``"week"`` its Monday and Sunday.
    ``year_given`` says whether the text wrote the year; ``notes`` say what was guessed.
    """

    start: date
    end: date
    precision: Precision
    span: tuple[int, int]
    text: str
    kind: Kind = "date"
    year_given: bool = True
    start_time: time | None = None
    end_time: time | None = None
    notes: tuple[str, ...] = ()


def guess_year(text: str) -> int | None:
    """The year a newsletter is about: the commonest year written in a full date ("16.
    september 2024", "18.10.2024"), else in a period ("april - juni 2024"), else none."""
    counts: Counter[int] = Counter()
    for match in _scan(text, 2000):
        if match.year_given and match.precision == "day":
            counts[match.start.year] += 1
    if not counts:
        period = re.search(rf"(?:{_MONTH})\s*[-–]\s*(?:{_MONTH})\s+(\d{{4}})", text, re.I)
        if period:
            return int(period.group(1))
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def find_dates(text: str, *, year: int | None = None,
               after: date | None = None) -> list[DateMatch]:
    """Every date in ``text``, in order. A date without a year takes ``year``, or the first
    such day on or after ``after``, or the year the text itself uses most (see ``guess_year``);
    with none of these it is left out. A weekday that does not fit the year moves it to the
    nearest year it fits (and says so)."""
    base = year if year is not None else (None if after is not None else guess_year(text))
    found: list[DateMatch] = []
    for match in _scan(text, base if base is not None else 2000):
        if not match.year_given:
            if after is not None and year is None:
                match = _on_or_after(match, after)
            elif base is None:
                continue
        found.append(match)
    return found


def find_deadline(text: str, *, published: date | None) -> date | None:
    """The consultation deadline a feed item's text states ("Høringsfrist: 16. september 2024",
    "Frist for å svare er 1.10.2024"), or None when it states none. A date without a year is
    the first such day on or after ``published`` (a deadline follows its announcement); without
    ``published`` only a date with its year counts. Registration deadlines are not read."""
    for match in find_dates(text, after=published):
        if match.kind == "deadline" and match.precision == "day" and (
                match.year_given or published is not None):
            return match.end
    return None


# --- scanning ----------------------------------------------------------------------------------


def _scan(text: str, year: int) -> Iterator[DateMatch]:
    """Every match of every form, longest first where they overlap, with ``year`` filled in
    where the text has none (``year_given`` False)."""
    taken: list[tuple[int, int]] = []
    candidates: list[tuple[int, int, str, re.Match[str]]] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            candidates.append((m.start(), -(m.end() - m.start()), name, m))
    candidates.sort(key=lambda c: (c[0], c[1]))
    results: list[DateMatch] = []
    for start, _neg, name, m in candidates:
        end = m.end()
        if any(s < end and start < e for s, e in taken):
            continue
        built = _build(name, m, year)
        if built is None:
            continue
        taken.append((start, end))
        results.append(_with_kind(built, text))
    results.sort(key=lambda r: r.span[0])
    yield from results


def _build(name: str, m: re.Match[str], year: int) -> DateMatch | None:
    groups = m.groupdict()
    given = groups.get("year")
    y = _full_year(given) if given else year
    notes: list[str] = [] if given else [f"year not in the text; read as {y}"]
    span, text = (m.start(), m.end()), m.group(0)
    try:
        if name == "week":
            week = int(groups["week"])
            monday = date.fromisocalendar(y, week, 1)
            return DateMatch(monday, monday + timedelta(days=6), "week", span, text,
                             year_given=bool(given),
                             notes=(*notes, f"only the week is known (uke {week})"))
        if name == "month":
            month = _month(groups["m1"])
            first = date(y, month, 1)
            last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            return DateMatch(first, last, "month", span, text, year_given=bool(given),
                             notes=(*notes, "only the month is known"))
        if name in ("numeric", "iso"):
            start = end = date(y, int(groups["m1"]), int(groups["d1"]))
        elif name == "day":
            start = end = date(y, _month(groups["m1"]), int(groups["d1"]))
        elif name == "range":
            month = _month(groups["m2"])
            start, end = date(y, month, int(groups["d1"])), date(y, month, int(groups["d2"]))
        else:  # cross
            start = date(y, _month(groups["m1"]), int(groups["d1"]))
            end = date(y, _month(groups["m2"]), int(groups["d2"]))
            if end < start:  # "30. desember–2. januar": the year turns
                end = end.replace(year=y + 1)
    except ValueError:  # 31. juni, uke 54: not a date
        return None
    if end < start:
        return None
    found = DateMatch(start, end, "day", span, text, year_given=bool(given), notes=tuple(notes))
    weekday = groups.get("wd")
    if weekday:
        found = _fit_weekday(found, WEEKDAYS[weekday.lower()])
    t1, t2 = groups.get("t1"), groups.get("t2")
    if t1:
        start_time, end_time = _time(t1), _time(t2) if t2 else None
        if start_time is None or (t2 and end_time is None):
            return found
        found = replace(found, start_time=start_time, end_time=end_time)
    return found


def _with_kind(found: DateMatch, text: str) -> DateMatch:
    """A date right after a deadline phrase ("Høringsfrist er", "Frist for å svare er",
    "høringsfristen er satt til") is a deadline; after "påmeldingsfrist", a registration one."""
    before = text[max(0, found.span[0] - 60):found.span[0]]
    match = _DEADLINE_WORDS.search(before)
    if match is None:
        return found
    return replace(found, kind="registration" if match.group("reg") or match.group("reg2")
                   else "deadline")


def _fit_weekday(found: DateMatch, weekday: int) -> DateMatch:
    if found.start.weekday() == weekday:
        return found
    if found.year_given:
        return replace(found, notes=(*found.notes,
                                     f"the text's weekday does not fit {found.start:%Y-%m-%d}"))
    for delta in (1, -1, 2, -2):
        try:
            moved = found.start.replace(year=found.start.year + delta)
        except ValueError:
            continue
        if moved.weekday() == weekday:
            return replace(found, start=moved, end=moved,
                           notes=(f"year not in the text; read as {moved.year}, "
                                  "the year its weekday fits",))
    return replace(found, notes=(*found.notes, "the text's weekday fits no nearby year"))


def _on_or_after(found: DateMatch, after: date) -> DateMatch:
    """Put a year-less date on the first such day on or after ``after``."""
    for y in (after.year, after.year + 1):
        try:
            start = found.start.replace(year=y)
            end = found.end.replace(year=y + (found.end.year - found.start.year))
        except ValueError:  # 29. februar
            continue
        if end >= after:
            return replace(found, start=start, end=end,
                           notes=(f"year not in the text; read as {y}, the first on or after "
                                  f"{after:%Y-%m-%d}", *found.notes[1:]))
    return found


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _full_year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _time(text: str) -> time | None:
    hours, _, minutes = text.replace(":", ".").partition(".")
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError:
        return None
