"""Whatever `calfeed check` accepts, every output renders (issue 12).

Generated entries reach for the edges an editor (or an attacker) can write: years from 1 to
9999 in zones far from UTC, rules with huge INTERVAL, COUNT and UNTIL, BY-lists that multiply
into every minute or second, and any past_days. Each file is either refused with located
problems, or synced and served: the iCalendar feeds, Atom, RSS, the JSON API, FullCalendar and
the pages all answer 200.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from calfeed.errors import SourceError
from calfeed.source import parse_source

ZONES = ["Europe/Oslo", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago",
         "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]
FREQS = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY"]

# What an editor means, or (one time in four) the edges: the bounds, and what Python can hold.
_edge_years = st.sampled_from([1, 1899, 1900, 2199, 2200, 9999]) | st.integers(1, 9999)
_edge_numbers = st.sampled_from([1000, 1001, 5000, 5001, 36500, 36501, 10**20]) | \
    st.integers(1, 10**7)


@st.composite
def years(draw: st.DrawFn) -> int:
    return draw(_edge_years if draw(st.integers(0, 3)) == 0 else st.integers(2020, 2030))


@st.composite
def huge(draw: st.DrawFn) -> int:
    return draw(_edge_numbers if draw(st.integers(0, 3)) == 0 else st.integers(1, 10))


def _values(low: int, high: int) -> st.SearchStrategy[str]:
    few = st.lists(st.integers(low, high), min_size=1, max_size=3, unique=True)
    every = st.just(list(range(low, high + 1)))
    return st.one_of(few, few, few, every).map(lambda xs: ",".join(map(str, sorted(xs))))


@st.composite
def rules(draw: st.DrawFn, timed: bool) -> str:
    parts = [f"FREQ={draw(st.sampled_from(FREQS))}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(huge())}")
    end = draw(st.sampled_from(["none", "count", "until"]))
    if end == "count":
        parts.append(f"COUNT={draw(huge())}")
    elif end == "until":
        day = date(draw(years()), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
        parts.append(f"UNTIL={day.isoformat().replace('-', '')}" + ("T235959Z" if timed else ""))
    for name, low, high in (("BYHOUR", 0, 23), ("BYMINUTE", 0, 59), ("BYSECOND", 0, 59),
                            ("BYMONTH", 1, 12), ("BYMONTHDAY", 1, 31)):
        if draw(st.integers(0, 4)) == 0:
            parts.append(f"{name}={draw(_values(low, high))}")
    return ";".join(parts)


def _text(value: date | datetime) -> str:
    # isoformat, not strftime: '%Y' of the year 1 is '1' on glibc
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return value.isoformat()


@st.composite
def entries(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["meeting", "deadline", "course"]))
    day = date(draw(years()), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    timed = draw(st.booleans())
    start: date | datetime = day
    if timed:
        start = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=draw(st.sampled_from([0, 10, 150, 23 * 60 + 30])))
    text = _text(start)
    entry: dict[str, Any] = {"id": f"e{index}", "type": kind, "title": f"Oppføring {index}",
                             "due" if kind == "deadline" else "start": text,
                             "timezone": draw(st.sampled_from(ZONES))}
    if kind != "deadline" and draw(st.booleans()):
        last = start + timedelta(days=draw(st.integers(0, 3)), minutes=90 if timed else 0)
        entry["end"] = _text(last)
    if draw(st.booleans()):
        entry["repeat"] = draw(rules(timed))
    return entry


@st.composite
def sources(draw: st.DrawFn) -> str:
    calendar: dict[str, Any] = {"title": "Grenser", "uid_domain": "kalender.example.no",
                                "timezone": draw(st.sampled_from(ZONES))}
    if draw(st.booleans()):
        calendar["past_days"] = draw(st.one_of(st.none(), huge()))
    document = {"calendar": calendar,
                "entries": [draw(entries(i)) for i in range(draw(st.integers(1, 2)))]}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def urls(ids: list[str]) -> list[str]:
    calendar_range = "start=2024-07-29T00:00:00%2B02:00&end=2024-09-09T00:00:00%2B02:00"
    return ["/calendar.ics", "/feed.atom", "/feed.rss", "/api/v1/events?limit=500",
            "/api/v1/events?from=1900-01-01&to=1909-12-31",
            "/api/v1/events?from=2190-01-01&to=2199-12-31",
            f"/api/v1/fullcalendar?{calendar_range}", "/", "/archive",
            *(f"/events/{i}{suffix}" for i in ids for suffix in ("", ".ics")),
            *(f"/api/v1/events/{i}" for i in ids)]


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=sources())
def test_every_file_check_accepts_renders_in_every_output(
        serve: Callable[..., TestClient], text: str) -> None:
    try:
        source = parse_source(text).source
    except SourceError as refused:
        assert refused.problems and all(p.line > 1 for p in refused.problems)
        event("refused")
        return
    event("accepted")
    client = serve(text)  # also syncs it: no OverflowError or TypeError there either
    for url in urls([e.id for e in source.entries]):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:500])
