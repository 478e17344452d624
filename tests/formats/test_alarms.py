"""Opt-in reminders (``?alarm=``): parsed strictly, spliced into rendered VEVENTs, and read
back by ical.js (Thunderbird) and the strict `ical` parser as the alarms a subscriber asked for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from calfeed.formats import alarms
from calfeed.formats.alarms import AlarmError, Alarms, parse_alarms
from calfeed.formats.context import RenderContext
from calfeed.formats.ics import render_calendar, render_vevent
from calfeed.formats.select import Filter, select
from calfeed.model import Snapshot
from tests.support.icaljs import events_by_uid, parse_with_icaljs
from tests.support.strict_ical import load_strict

CTX = RenderContext("https://kalender.example.no", date(2024, 8, 1))


@pytest.mark.parametrize(("values", "before", "query"), [
    (["1d"], (timedelta(days=1),), "1d"),
    (["2h"], (timedelta(hours=2),), "2h"),
    (["1w"], (timedelta(weeks=1),), "1w"),
    (["1d,2h,1w"], (timedelta(weeks=1), timedelta(days=1), timedelta(hours=2)), "1w,1d,2h"),
    (["2h", " 1D "], (timedelta(days=1), timedelta(hours=2)), "1d,2h"),  # repeated, any case
    (["24h,1d"], (timedelta(days=1),), "1d"),  # the same reminder once
    (["90m"], (timedelta(minutes=90),), "90m"),
    ([], (), ""),
])
def test_alarm_values_are_read_into_one_canonical_request(values, before, query):
    parsed = parse_alarms(values)
    assert parsed.before == before
    assert parsed.query == query


@pytest.mark.parametrize(("value", "says"), [
    ("1y", "'1y' is not a reminder"),
    ("-1d", "'-1d' is not a reminder"),
    ("0d", "'0d' is not a reminder"),
    ("d", "'d' is not a reminder"),
    ("1d2h", "'1d2h' is not a reminder"),
    ("5w", "at most 4w"),
    ("1w,2d,1d,2h", "at most 3"),
])
def test_bad_alarm_values_say_what_to_write(value, says):
    with pytest.raises(AlarmError, match=says.replace("(", r"\(")):
        parse_alarms([value])


def test_a_feed_without_alarm_parameter_is_unchanged(published: Callable[..., Snapshot]):
    snapshot = published("fixed.yaml")
    entries = select(snapshot, Filter(), CTX.today)
    vevents = [render_vevent(p, snapshot.calendar, CTX) for p in entries]
    assert alarms.add_to_all(vevents, entries, "nb", Alarms()) == vevents
    assert b"VALARM" not in b"".join(vevents)


def feed_with_alarms(snapshot: Snapshot, asked: Alarms) -> bytes:
    entries = select(snapshot, Filter(), CTX.today)
    with_alarms = alarms.WithAlarms(None, snapshot.calendar, CTX, asked)
    return render_calendar(snapshot, entries, "KOM", None, CTX.url("/calendar.ics"), CTX,
                           with_alarms)


def test_icaljs_schedules_each_reminder_before_the_start_or_the_deadline(
        published: Callable[..., Snapshot]):
    snapshot = published("fixed.yaml")
    body = feed_with_alarms(snapshot, parse_alarms(["1d,2h"]))
    events = events_by_uid(parse_with_icaljs(body, "2024-01-01", "2026-01-01"))

    deadline = events["horing-krisesenterloven@kalender.example.no"]
    assert deadline["start"] == "2024-09-16"  # the alarms are relative to the due day
    assert [(a["action"], a["trigger"], a["trigger_seconds"], a["related"])
            for a in deadline["alarms"]] == [
        ("DISPLAY", "-P1D", -86400, "START"), ("DISPLAY", "-PT2H", -7200, "START")]
    assert deadline["alarms"][0]["description"] == \
        "Frist: Forslag til endringer i krisesenterloven"

    timed = events["horing-kl-12@kalender.example.no"]
    assert timed["start"] == "2024-10-01T10:00:00Z"  # 12:00 in Oslo: reminders 10:00 the day
    assert [a["trigger_seconds"] for a in timed["alarms"]] == [-86400, -7200]  # before, 08:00

    course = events["kurs-ungdom-utnyttet@kalender.example.no"]
    assert len(course["alarms"]) == 2
    assert course["alarms"][1]["description"] == "Ungdom utnyttet til kriminalitet"
    # A cancelled conference reminds nobody of what will not happen.
    assert events["konferanse-avlyst@kalender.example.no"]["alarms"] == []
    # The rest of each event is what the feed without alarms says.
    plain = events_by_uid(parse_with_icaljs(feed_with_alarms(snapshot, Alarms()),
                                            "2024-01-01", "2026-01-01"))
    for uid, event in plain.items():
        assert event["alarms"] == []
        changed = {k for k in event if event[k] != events[uid][k]}
        assert changed <= {"alarms", "subcomponents"}, uid


def test_the_strict_parser_reads_the_alarms_too(published: Callable[..., Snapshot]):
    snapshot = published("fixed.yaml")
    body = feed_with_alarms(snapshot, parse_alarms(["1w"]))
    calendar = load_strict(body)
    with_alarm = [e for e in calendar.events if e.alarm]
    assert len(with_alarm) == len(calendar.events) - 1  # all but the cancelled one
    for event in with_alarm:
        (alarm,) = event.alarm
        assert alarm.action == "DISPLAY"
        assert alarm.trigger == -timedelta(weeks=1)
        assert alarm.description


def test_a_long_summary_is_folded_and_escaped():
    vevent = b"BEGIN:VEVENT\r\nUID:x@y\r\nEND:VEVENT\r\n"
    text = "Frist: " + "æ" * 60 + "; med komma, og semikolon"
    out = alarms.with_alarms(vevent, parse_alarms(["1d"]), text)
    assert all(len(line) <= 75 for line in out.split(b"\r\n"))
    unfolded = out.replace(b"\r\n ", b"").decode("utf-8")
    assert "DESCRIPTION:Frist: " + "æ" * 60 + "\\; med komma\\, og semikolon" in unfolded
    with pytest.raises(ValueError, match="END:VEVENT"):
        alarms.with_alarms(b"BEGIN:VEVENT\r\n", parse_alarms(["1d"]), "x")


@pytest.mark.parametrize("summary", [
    "Frist: Forslag til endringer i krisesenterloven", "", "AVLYST: Kurs; med, tegn\\ og \n linje",
    "Frist: " + "æ" * 60 + "; med komma, og semikolon", "🗓️ " * 40,
])
@pytest.mark.parametrize("asked", ["1d", "1w,36h,90m", "2h"])
def test_the_fast_valarms_are_the_bytes_icalendar_writes(summary: str, asked: str):
    wanted = parse_alarms([asked])
    assert alarms.valarms(wanted, summary) == alarms.valarms_by_icalendar(wanted, summary)
