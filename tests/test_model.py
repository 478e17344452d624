"""Time rules of the domain: local times across DST and the occurrences of repeating entries.

The entries come from tests/data/recurring.yaml and icaljs_differs/dst_weekly_night.yaml, so
each test reads like what an editor wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from calfeed.localtime import resolve_local
from calfeed.model import CalendarInfo, Entry, FeedDef, Published, Snapshot
from calfeed.recurrence import Occurrence, last_end, next_occurrences, occurrences
from calfeed.source import load_source, parse_source
from tests.conftest import DATA
from tests.support.icaljs import events_by_uid, parse_with_icaljs

EVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
NIGHTS = DATA / "icaljs_differs" / "dst_weekly_night.yaml"


@pytest.fixture(scope="module")
def entries() -> dict[str, Entry]:
    return {e.id: e for e in load_source(DATA / "recurring.yaml").source.entries}


def iso(occs: list[Occurrence]) -> list[tuple[str, str]]:
    return [(o.start.isoformat(), o.end.isoformat()) for o in occs]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# --- repeat rules across DST ---------------------------------------------------------------------


def test_weekly_count_keeps_ten_oclock_local_across_the_spring_change(
    entries: dict[str, Entry],
) -> None:
    assert iso(occurrences(entries["ukemote-var"], *EVER)) == [
        ("2026-03-19T10:00:00+01:00", "2026-03-19T11:00:00+01:00"),
        ("2026-03-26T10:00:00+01:00", "2026-03-26T11:00:00+01:00"),
        # 29 March: summer time. Still 10:00 in Oslo, so 08:00 UTC instead of 09:00.
        ("2026-04-02T10:00:00+02:00", "2026-04-02T11:00:00+02:00"),
        ("2026-04-09T10:00:00+02:00", "2026-04-09T11:00:00+02:00"),
    ]


def test_weekly_until_keeps_ten_oclock_local_across_the_autumn_change(
    entries: dict[str, Entry],
) -> None:
    occs = occurrences(entries["ukemote-host"], *EVER)
    assert iso(occs) == [
        ("2026-10-15T10:00:00+02:00", "2026-10-15T11:00:00+02:00"),
        ("2026-10-22T10:00:00+02:00", "2026-10-22T11:00:00+02:00"),
        ("2026-10-29T10:00:00+01:00", "2026-10-29T11:00:00+01:00"),
        ("2026-11-05T10:00:00+01:00", "2026-11-05T11:00:00+01:00"),  # UNTIL is inclusive
    ]
    starts_utc = [o.start.astimezone(UTC).hour for o in occs]  # type: ignore[union-attr]
    assert starts_utc == [8, 8, 9, 9]


def test_the_tertial_rule_is_the_last_day_of_april_august_and_december(
    entries: dict[str, Entry],
) -> None:
    occs = occurrences(entries["rettsavgjorelser"], utc(2024, 1, 1), utc(2026, 1, 1))
    assert [o.start for o in occs] == [
        date(2024, 4, 30), date(2024, 8, 31), date(2024, 12, 31),
        date(2025, 4, 30), date(2025, 8, 31), date(2025, 12, 31),
    ]
    assert all(o.start == o.end for o in occs)  # one day each


def test_a_multi_day_all_day_entry_repeats_as_a_whole(entries: dict[str, Entry]) -> None:
    occs = occurrences(entries["todagerskurs"], *EVER)
    assert [(o.start, o.end) for o in occs] == [
        (date(2024, 8, 21), date(2024, 8, 22)),
        (date(2024, 9, 21), date(2024, 9, 22)),
        (date(2024, 10, 21), date(2024, 10, 22)),
    ]


def test_a_window_that_starts_during_an_occurrence_includes_it(
    entries: dict[str, Entry],
) -> None:
    # 10:30 Oslo on 2 April, half-way through that week's meeting.
    during = occurrences(entries["ukemote-var"], utc(2026, 4, 2, 8, 30), utc(2026, 4, 3))
    assert iso(during) == [("2026-04-02T10:00:00+02:00", "2026-04-02T11:00:00+02:00")]
    # Noon on the second day of the September course: the course is still on.
    course = occurrences(entries["todagerskurs"], utc(2024, 9, 22, 10), utc(2024, 9, 23))
    assert [(o.start, o.end) for o in course] == [(date(2024, 9, 21), date(2024, 9, 22))]


def test_a_window_ending_as_an_occurrence_starts_excludes_it(entries: dict[str, Entry]) -> None:
    # Windows are half-open: [from, to).
    assert occurrences(entries["ukemote-var"], utc(2026, 3, 19), utc(2026, 3, 19, 9)) == []
    after = occurrences(entries["ukemote-var"], utc(2026, 3, 19, 10), utc(2026, 3, 20))
    assert after == []  # 11:00 Oslo = 10:00 UTC: it has just ended


def test_an_all_day_window_is_in_the_entry_zone(entries: dict[str, Entry]) -> None:
    # 30 April 2024 in Oslo is 29 April 22:00 UTC to 30 April 22:00 UTC.
    tertial = entries["rettsavgjorelser"]
    assert occurrences(tertial, utc(2024, 4, 29, 21), utc(2024, 4, 29, 22)) == []
    assert len(occurrences(tertial, utc(2024, 4, 29, 22), utc(2024, 4, 29, 23))) == 1
    assert occurrences(tertial, utc(2024, 4, 30, 22), utc(2024, 5, 1)) == []


def test_a_single_entry_has_one_occurrence_when_the_window_overlaps_it() -> None:
    (entry,) = load_source(DATA / "dst_overlap.yaml").source.entries
    assert iso(occurrences(entry, *EVER)) == [
        ("2026-10-25T02:30:00+02:00", "2026-10-25T03:30:00+01:00"),
    ]
    assert occurrences(entry, utc(2026, 10, 25, 2, 30), utc(2026, 10, 26)) == []


# --- a repeat rule whose wall time falls in the DST gap or overlap --------------------------------


@pytest.fixture(scope="module")
def nights() -> dict[str, Entry]:
    return {e.id: e for e in load_source(NIGHTS).source.entries}


@pytest.mark.parametrize(("entry_id", "expected"), [
    pytest.param("natt-var", [
        ("2026-03-15T02:30:00+01:00", "2026-03-15T03:30:00+01:00"),
        ("2026-03-22T02:30:00+01:00", "2026-03-22T03:30:00+01:00"),
        # 02:30 does not exist on 29 March: read with the offset before the gap, 03:30 CEST.
        ("2026-03-29T03:30:00+02:00", "2026-03-29T04:30:00+02:00"),
        ("2026-04-05T02:30:00+02:00", "2026-04-05T03:30:00+02:00"),
    ], id="spring-starts-after-the-gap"),
    pytest.param("natt-host", [
        ("2026-10-11T02:30:00+02:00", "2026-10-11T03:30:00+02:00"),
        ("2026-10-18T02:30:00+02:00", "2026-10-18T03:30:00+02:00"),
        # 02:30 happens twice on 25 October: the first (CEST), and one hour later is the
        # second 02:30 (CET), not 03:30 CET two hours later.
        ("2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"),
        ("2026-11-01T02:30:00+01:00", "2026-11-01T03:30:00+01:00"),
    ], id="autumn-is-the-first-half-past-two"),
])
def test_weekly_half_past_two_across_a_change_keeps_its_hour(
    nights: dict[str, Entry], entry_id: str, expected: list[tuple[str, str]],
) -> None:
    occs = occurrences(nights[entry_id], *EVER)
    assert iso(occs) == expected
    assert {elapsed(o) for o in occs} == {timedelta(hours=1)}


def test_an_occurrence_in_the_gap_is_found_by_a_window_around_its_real_hour(
    nights: dict[str, Entry],
) -> None:
    # 03:30-04:30 CEST is 01:30-02:30 UTC; before the fix it was an instant at 01:30 UTC.
    assert iso(occurrences(nights["natt-var"], utc(2026, 3, 29, 2), utc(2026, 3, 29, 3))) == [
        ("2026-03-29T03:30:00+02:00", "2026-03-29T04:30:00+02:00"),
    ]
    assert occurrences(nights["natt-var"], utc(2026, 3, 29, 2, 30), utc(2026, 3, 29, 3)) == []


def test_a_rule_ending_in_the_gap_ends_after_its_last_occurrence(
    nights: dict[str, Entry],
) -> None:
    entry = nights["natt-siste-i-gapet"]
    assert iso(occurrences(entry, *EVER))[-1] == (
        "2026-03-29T03:30:00+02:00", "2026-03-29T04:00:00+02:00",
    )
    # Not 03:00 CEST, half an hour before that occurrence starts.
    assert last_end(entry) == datetime.fromisoformat("2026-03-29T04:00+02:00")


def test_next_occurrences_on_the_spring_night_last_as_long_as_the_others(
    nights: dict[str, Entry],
) -> None:
    upcoming = next_occurrences(nights["natt-var"], utc(2026, 3, 23), 2)
    assert [elapsed(o) for o in upcoming] == [timedelta(hours=1), timedelta(hours=1)]
    assert upcoming[0].start == datetime.fromisoformat("2026-03-29T03:30+02:00")


def test_an_hourly_rule_across_the_spring_gap_lists_each_start_once() -> None:
    # 02:00 does not exist on 29 March and is read as 03:00 CEST, which the rule's next hour
    # also is: one meeting, not the same meeting twice.
    text = (
        "calendar: {title: T, uid_domain: kalender.example.no}\n"
        "entries:\n"
        "  - {id: vakt, type: meeting, title: Vakt, start: 2026-03-29 00:00,\n"
        "     end: 2026-03-29 00:30, repeat: 'FREQ=HOURLY;COUNT=5'}\n"
    )
    (entry,) = parse_source(text).source.entries
    expected = [
        ("2026-03-29T00:00:00+01:00", "2026-03-29T00:30:00+01:00"),
        ("2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00"),
        ("2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"),
        ("2026-03-29T04:00:00+02:00", "2026-03-29T04:30:00+02:00"),
    ]
    assert iso(occurrences(entry, *EVER)) == expected
    assert iso(next_occurrences(entry, EVER[0], 10)) == expected


def test_an_occurrence_across_the_change_lasts_as_long_as_the_first(
    nights: dict[str, Entry],
) -> None:
    # RFC 5545 §3.8.5.3: a rule with DTEND repeats the exact duration. 01:30-03:30 is two
    # hours on 22 March; on the night of the change two hours from 01:30 CET is 04:30 CEST.
    assert iso(occurrences(nights["natt-over-skiftet"], *EVER)) == [
        ("2026-03-22T01:30:00+01:00", "2026-03-22T03:30:00+01:00"),
        ("2026-03-29T01:30:00+01:00", "2026-03-29T04:30:00+02:00"),
    ]


def test_api_occurrences_agree_with_icaljs_except_where_icaljs_breaks_rfc_5545(
    publish: Callable[..., None], client: TestClient,
) -> None:
    """What the JSON API lists and what Thunderbird expands from the .ics are the same
    meetings: same length every week, same start every ordinary week. On the two nights
    themselves ical.js departs from RFC 5545 §3.3.5 (pinned in tests/test_harness.py): it
    reads the non-existent 02:30 with the offset after the gap (an hour early) and the
    doubled 02:30 as the second one (an hour late)."""
    publish(NIGHTS)
    response = client.get("/api/v1/events?from=2026-03-01&to=2026-11-30&limit=500")
    assert response.status_code == 200, response.text
    ours = {(item["id"], instant(item["start"]), instant(item["end"]))
            for item in response.json()["items"]
            if item["id"] in ("natt-var", "natt-host")}
    parsed = parse_with_icaljs(client.get("/calendar.ics").content,
                               "2026-03-01T00:00:00Z", "2026-12-01T00:00:00Z")
    events = events_by_uid(parsed)
    theirs = {(uid.split("@")[0], instant(o["start"]), instant(o["end"]))
              for uid, event in events.items() if uid.split("@")[0] in ("natt-var", "natt-host")
              for o in event["occurrences"]}
    assert len(ours) == len(theirs) == 8
    assert {end - start for _, start, end in ours} == {timedelta(hours=1)}
    assert {end - start for _, start, end in theirs} == {timedelta(hours=1)}

    hour = timedelta(hours=1)
    spring = ("natt-var", utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 30))  # 03:30 CEST
    autumn = ("natt-host", utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30))  # 02:30 CEST
    assert ours - theirs == {spring, autumn}
    assert theirs - ours == {
        (spring[0], spring[1] - hour, spring[2] - hour),  # 02:30 CET, which does not exist
        (autumn[0], autumn[1] + hour, autumn[2] + hour),  # the second 02:30, in CET
    }


def elapsed(occ: Occurrence) -> timedelta:
    start, end = occ.instants("Europe/Oslo")
    return end.astimezone(UTC) - start.astimezone(UTC)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# --- when it is over, and what comes next --------------------------------------------------------


def test_last_end_of_bounded_and_unbounded_rules(entries: dict[str, Entry]) -> None:
    assert last_end(entries["ukemote-var"]) == datetime.fromisoformat("2026-04-09T11:00+02:00")
    assert last_end(entries["ukemote-host"]) == datetime.fromisoformat("2026-11-05T11:00+01:00")
    # All day: the end is midnight after the last day, in the entry's zone.
    assert last_end(entries["todagerskurs"]) == datetime.fromisoformat("2024-10-23T00:00+02:00")
    assert last_end(entries["rettsavgjorelser"]) is None  # repeats forever


def test_last_end_of_a_single_entry() -> None:
    (entry,) = load_source(DATA / "dst_gap.yaml").source.entries
    assert last_end(entry) == datetime.fromisoformat("2026-03-29T04:00+02:00")


def test_next_occurrences_of_a_rule_that_never_ends(entries: dict[str, Entry]) -> None:
    upcoming = next_occurrences(entries["rettsavgjorelser"], utc(2024, 9, 1), 5)
    assert [o.start for o in upcoming] == [
        date(2024, 12, 31), date(2025, 4, 30), date(2025, 8, 31), date(2025, 12, 31),
        date(2026, 4, 30),
    ]


def test_next_occurrences_stops_when_the_rule_does(entries: dict[str, Entry]) -> None:
    upcoming = next_occurrences(entries["ukemote-var"], utc(2026, 3, 27), 10)
    assert [o.start.isoformat() for o in upcoming] == [
        "2026-04-02T10:00:00+02:00", "2026-04-09T10:00:00+02:00",
    ]
    assert next_occurrences(entries["ukemote-var"], utc(2027, 1, 1), 3) == []


def test_next_occurrences_includes_one_still_running(entries: dict[str, Entry]) -> None:
    upcoming = next_occurrences(entries["todagerskurs"], utc(2024, 9, 22, 12), 1)
    assert [(o.start, o.end) for o in upcoming] == [(date(2024, 9, 21), date(2024, 9, 22))]


# --- local times (RFC 5545 §3.3.5) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("wall", "zone", "expected", "note"),
    [
        ("2026-03-29 02:30", "Europe/Oslo", "2026-03-29T03:30:00+02:00",
         "2026-03-29 02:30 does not exist in Europe/Oslo; read as 03:30 CEST"),
        ("2026-10-25 02:30", "Europe/Oslo", "2026-10-25T02:30:00+02:00",
         "2026-10-25 02:30 occurs twice in Europe/Oslo; read as the first, 02:30 CEST"),
        ("2026-03-08 02:30", "America/New_York", "2026-03-08T03:30:00-04:00",
         "2026-03-08 02:30 does not exist in America/New_York; read as 03:30 EDT"),
        ("2026-06-01 02:30", "Europe/Oslo", "2026-06-01T02:30:00+02:00", None),
    ],
)
def test_resolve_local(wall: str, zone: str, expected: str, note: str | None) -> None:
    resolved = resolve_local(datetime.fromisoformat(wall), zone)
    assert resolved.value.isoformat() == expected
    assert resolved.note == note


# --- content: what the store hashes and reads back ----------------------------------------------


def test_content_round_trips_for_every_kind_of_entry(entries: dict[str, Entry]) -> None:
    loaded = [
        *entries.values(),
        *load_source(DATA / "timezone_new_york.yaml").source.entries,
        *load_source(DATA / "dst_gap.yaml").source.entries,
    ]
    for entry in loaded:
        assert Entry.from_content(entry.content()) == entry


def test_content_keeps_wall_clock_time_not_offset() -> None:
    (entry,) = load_source(DATA / "dst_gap.yaml").source.entries
    assert entry.content()["start"] == "2026-03-29T03:30:00"
    assert entry.content()["timezone"] == "Europe/Oslo"


def test_feed_matches_any_type_and_any_tag() -> None:
    entry = Entry("k", "course", "Kurs", date(2024, 8, 21), date(2024, 8, 21), "Europe/Oslo",
                  tags=("ungdom", "utnyttelse"))
    assert FeedDef("all", "Alt").matches(entry)
    assert FeedDef("kurs", "Kurs", types=("course", "webinar")).matches(entry)
    assert not FeedDef("frister", "Frister", types=("deadline",)).matches(entry)
    assert FeedDef("ungdom", "Ungdom", tags=("barn", "ungdom")).matches(entry)
    assert not FeedDef("kurs-barn", "K", types=("course",), tags=("barn",)).matches(entry)


def test_occurrence_instants_of_an_all_day_span_cover_whole_local_days() -> None:
    occ = Occurrence(date(2026, 3, 28), date(2026, 3, 29))  # spans the spring change
    start, end = occ.instants("Europe/Oslo")
    assert (start.isoformat(), end.isoformat()) == (
        "2026-03-28T00:00:00+01:00", "2026-03-30T00:00:00+02:00",
    )
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=47)


def test_snapshot_finds_an_entry_by_id() -> None:
    def published(entry_id: str, title: str) -> Published:
        entry = Entry(entry_id, "event", title, date(2024, 8, 21), date(2024, 8, 21),
                      "Europe/Oslo")
        return Published(entry, utc(2024, 1, 1), utc(2024, 1, 1), 0)

    first, second = published("kurs", "Kurs"), published("mote", "Møte")
    snapshot = Snapshot(1, utc(2024, 1, 1), CalendarInfo("T", "x.no"), {"all": FeedDef("all", "")},
                        (first, second))
    assert snapshot.entry("kurs") is first
    assert snapshot.entry("mote") is second
    assert snapshot.entry("nowhere") is None
    # The index is not part of what a snapshot is: equal entries, equal snapshots.
    assert snapshot == Snapshot(1, utc(2024, 1, 1), CalendarInfo("T", "x.no"),
                                {"all": FeedDef("all", "")}, (first, second))
