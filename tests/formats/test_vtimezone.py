"""VTIMEZONEs that Outlook reads (yearly RRULEs) and that put every instant where zoneinfo does.

ical.js converts times with the document's OWN VTIMEZONE, never a zone database, so agreeing
with zoneinfo through it proves the VTIMEZONE right, DST changes included.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from calfeed.formats.context import RenderContext
from calfeed.formats.ics import render_calendar
from calfeed.formats.vtimezone import build_vtimezone, transitions, vtimezone_bytes, yearly_rules
from calfeed.localtime import resolve_local
from calfeed.model import CalendarInfo, Entry, FeedDef, Published, Snapshot
from tests.support.icaljs import events_by_uid, parse_with_icaljs
from tests.support.strict_ical import parse_strict

CTX = RenderContext("https://kalender.example.no", date(2024, 8, 1))
STAMP = datetime(2024, 8, 1, 10, tzinfo=UTC)
HOUR = timedelta(hours=1)
YEARLY_ZONES = ["Europe/Oslo", "America/New_York", "Australia/Sydney", "Europe/London"]


def lines(tzid: str, first: date = date(2024, 1, 1), last: date = date(2026, 12, 31)) -> list[str]:
    return vtimezone_bytes(tzid, first, last).decode().split("\r\n")


def test_oslo_is_last_sunday_of_march_and_october_with_rrules_not_rdates():
    assert lines("Europe/Oslo") == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Oslo",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "END:VTIMEZONE",
        "",
    ]


@pytest.mark.parametrize(("tzid", "daylight", "standard"), [
    ("America/New_York", "BYDAY=2SU;BYMONTH=3", "BYDAY=1SU;BYMONTH=11"),
    ("Australia/Sydney", "BYDAY=1SU;BYMONTH=10", "BYDAY=1SU;BYMONTH=4"),
    ("Europe/London", "BYDAY=-1SU;BYMONTH=3", "BYDAY=-1SU;BYMONTH=10"),
])
def test_zones_with_dst_get_one_yearly_rule_each_way(tzid, daylight, standard):
    text = lines(tzid)
    assert f"RRULE:FREQ=YEARLY;{daylight}" in text
    assert f"RRULE:FREQ=YEARLY;{standard}" in text
    assert not any(line.startswith("RDATE") for line in text)
    assert text.count("BEGIN:DAYLIGHT") == text.count("BEGIN:STANDARD") == 1


@pytest.mark.parametrize(("tzid", "name", "offset"), [("Asia/Tokyo", "JST", "+0900"),
                                                       ("UTC", "UTC", "+0000")])
def test_a_zone_without_dst_is_one_standard_observance(tzid, name, offset):
    assert lines(tzid)[2:9] == [
        "BEGIN:STANDARD", "DTSTART:19700101T000000", f"TZNAME:{name}",
        f"TZOFFSETFROM:{offset}", f"TZOFFSETTO:{offset}", "END:STANDARD", "END:VTIMEZONE"]


def test_the_rule_starts_in_1970_so_new_years_of_entries_do_not_change_the_bytes():
    assert vtimezone_bytes("Europe/Oslo", date(2024, 5, 1), date(2024, 5, 2)) == \
        vtimezone_bytes("Europe/Oslo", date(2020, 1, 1), date(2031, 12, 31))


def test_an_irregular_zone_falls_back_to_one_observance_per_change_within_the_dates_used():
    # Morocco leaves its +01 for Ramadan: a lunar date, no yearly rule.
    assert yearly_rules("Africa/Casablanca", 2023, 2025) is None
    text = lines("Africa/Casablanca", date(2024, 1, 1), date(2025, 12, 31))
    assert not any(line.startswith(("RRULE", "RDATE")) for line in text)
    onsets = [line for line in text if line.startswith(("DTSTART", "RDATE"))]
    assert all("2023" in line or "2024" in line or "2025" in line for line in onsets)


def test_a_zone_whose_rules_changed_within_the_range_is_not_given_one_rule():
    # The US moved its DST dates in 2007 (first Sunday of April -> second Sunday of March).
    assert yearly_rules("America/New_York", 2005, 2008) is None
    assert yearly_rules("America/New_York", 2008, 2030) is not None


def test_onsets_are_wall_times_in_the_offset_before_the_change():
    # RFC 5545 §3.6.5: Oslo springs forward at 02:00 CET (01:00 UTC), falls back at 03:00 CEST.
    spring, autumn = transitions("Europe/Oslo", datetime(2025, 1, 1, tzinfo=UTC),
                                 datetime(2026, 1, 1, tzinfo=UTC))
    assert spring.at == datetime(2025, 3, 30, 1, tzinfo=UTC)
    assert spring.local == datetime(2025, 3, 30, 2)
    assert autumn.local == datetime(2025, 10, 26, 3)


# --- instants through ical.js --------------------------------------------------------------------


def hourly_entries(tzid: str, years: range) -> list[Published]:
    """One-hour meetings every hour of the days around each transition (and a summer and a
    winter day), skipping the wall times a transition makes ambiguous or impossible."""
    days: set[date] = set()
    for year in years:
        days |= {date(year, 1, 15), date(year, 7, 15)}
        for t in transitions(tzid, datetime(year, 1, 1, tzinfo=UTC),
                             datetime(year + 1, 1, 1, tzinfo=UTC)):
            day = t.local.date()
            days |= {day - timedelta(days=1), day, day + timedelta(days=1)}
    result = []
    for day in sorted(days):
        for hour in range(24):
            naive = datetime(day.year, day.month, day.day, hour)
            start, end = resolve_local(naive, tzid), resolve_local(naive + HOUR, tzid)
            if start.note or end.note:  # in a gap or an overlap: see test_ics for those
                continue
            entry = Entry(id=f"m-{day:%Y%m%d}-{hour:02d}", type="meeting", title="Møte",
                          start=start.value, end=end.value, timezone=tzid)
            result.append(Published(entry, STAMP, STAMP, 0))
    return result


def snapshot_of(entries: list[Published], tzid: str = "Europe/Oslo") -> Snapshot:
    info = CalendarInfo(title="Tider", uid_domain="kalender.example.no", timezone=tzid)
    return Snapshot(1, STAMP, info, {"all": FeedDef("all", "Tider")}, tuple(entries))


@pytest.mark.parametrize("tzid", [*YEARLY_ZONES, "Asia/Tokyo", "Africa/Casablanca",
                                  "America/Santiago"])
def test_every_instant_agrees_with_zoneinfo_in_icaljs(tzid):
    entries = hourly_entries(tzid, range(2024, 2027))
    body = render_calendar(snapshot_of(entries, tzid), entries, "Tider", None, None, CTX)
    parsed = events_by_uid(parse_with_icaljs(body, "2023-01-01", "2028-01-01"))
    assert parsed.keys() == {f"{p.entry.id}@kalender.example.no" for p in entries}
    wrong = []
    for published in entries:
        entry = published.entry
        got = parsed[f"{entry.id}@kalender.example.no"]
        want = (utc(entry.start), utc(entry.end))
        if (got["start"], got["end"]) != want:
            wrong.append(f"{entry.start.isoformat()}: ical.js {got['start']}–{got['end']}, "
                         f"zoneinfo {want[0]}–{want[1]}")
    assert not wrong, f"{len(wrong)} instants differ:\n" + "\n".join(wrong[:10])


def test_the_strict_parser_accepts_every_zone():
    entries = [p for tzid in [*YEARLY_ZONES, "Asia/Tokyo", "Africa/Casablanca"]
               for p in hourly_entries(tzid, range(2025, 2026))[:48]]
    entries = [Published(
        Entry(**{**_fields(p.entry), "id": f"{i}-{p.entry.id}"}), STAMP, STAMP, 0)
        for i, p in enumerate(entries)]
    body = render_calendar(snapshot_of(entries), entries, "Tider", None, None, CTX)
    assert len(parse_strict(body)) == len(entries)


def test_build_and_bytes_agree():
    component = build_vtimezone("Australia/Sydney", date(2025, 1, 1), date(2025, 12, 31))
    assert component.to_ical() == vtimezone_bytes("Australia/Sydney", date(2025, 1, 1),
                                                   date(2025, 12, 31))


def _fields(entry: Entry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in Entry.__slots__}


def utc(value: object) -> str:
    assert isinstance(value, datetime)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
