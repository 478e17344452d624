"""Hostile or careless input is refused at its line and column before it costs memory or time,
and nothing `calfeed check` accepts can break an output (issue 12).

The YAML bounds: file size, nesting, aliases ("billion laughs"), value lengths, bytes that are
not UTF-8. The value bounds: years, past_days, repeat rules (INTERVAL, COUNT, UNTIL, times a
day however they are written). tests/test_accepted_renders.py checks the promise behind them
with generated entries.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from calfeed import rules, yamlload
from calfeed.errors import SourceError
from calfeed.source import load_source, parse_source
from tests.conftest import DATA

HEADER = "calendar: {title: T, uid_domain: kalender.example.no}\nentries:\n"


def problems(text: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        parse_source(text, "events.yaml")
    return [str(p) for p in caught.value.problems]


# --- YAML ---------------------------------------------------------------------------------------


@pytest.mark.timeout(20)  # a hang guard: before, this ran past 60 s and took 2.5 GB
def test_aliases_that_expand_without_bound_are_refused_where_they_expand() -> None:
    # Nine levels of nine aliases: 9^9 values if expanded.
    text = (DATA / "invalid" / "billion_laughs.yaml").read_text(encoding="utf-8")
    assert problems(text) == [
        "events.yaml:7:9: aliases ('*name') repeat this value into more than 100,000 values; "
        "write the values out, or use fewer aliases",
    ]


def test_a_few_aliases_are_fine() -> None:
    text = ("calendar: {title: T, uid_domain: kalender.example.no}\n"
            "entries:\n"
            "  - {id: a, type: event, title: &t Samme tittel, start: 2024-08-21}\n"
            "  - {id: b, type: event, title: *t, start: 2024-08-22}\n")
    assert [e.title for e in parse_source(text).source.entries] == ["Samme tittel"] * 2


def test_deep_nesting_is_refused_at_the_level_that_is_too_deep() -> None:
    # Before: ~500 levels gave a RecursionError traceback (and `serve` would not start).
    text = "calendar: " + "[" * 500 + "]" * 500 + "\n"
    assert problems(text) == [
        "events.yaml:1:30: nested more than 20 levels deep (or an alias that contains itself); "
        "calfeed's file needs at most 6: check the indentation and brackets here",
    ]


def test_deeper_than_libyaml_goes_is_located_too() -> None:
    (message,) = problems("calendar: " + "[" * 5000 + "]" * 5000 + "\n")
    assert message.startswith("events.yaml:1:1010: this is not valid YAML:")
    assert "maximum nesting depth" in message and "\n" not in message


def test_an_alias_that_contains_itself_is_refused() -> None:
    assert problems("calendar: &a [*a]\n") == [
        "events.yaml:1:11: nested more than 20 levels deep (or an alias that contains itself); "
        "calfeed's file needs at most 6: check the indentation and brackets here",
    ]


def test_a_file_larger_than_the_bound_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    entry = "  - {id: e%d, type: event, title: Et arrangement, start: 2024-08-21}\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        i = 0
        while out.tell() <= yamlload.MAX_FILE_BYTES:
            out.writelines(entry % n for n in range(i, i + 1000))
            i += 1000
    with pytest.raises(SourceError) as caught:
        load_source(path)
    (problem,) = caught.value.problems
    assert problem.message.startswith("the file is larger than 16 MB, more than calfeed reads;")
    assert problem.line > 200_000  # where reading stopped


def test_a_value_longer_than_any_field_allows_is_refused_at_it() -> None:
    long = "y" * 200_000  # starts at column 68
    text = HEADER + "  - {id: a, type: event, title: T, start: 2024-08-21, " \
        f"description: {long}}}\n"
    assert problems(text) == [
        "events.yaml:3:68: this value is 200,000 characters long; calfeed reads at most "
        "100,000: shorten it",
    ]


@pytest.mark.parametrize(("key", "length", "message"), [
    ("title", 501, "title: is 501 characters long, more than the 500 allowed on one line; "
     "shorten it and put the details in 'description:'"),
    ("description", 20_001, "description: is 20,001 characters long, more than the 20,000 a "
     "calendar entry can carry; shorten it and link to the full text with 'url:'"),
    ("url", 2_001, "url: is 2,001 characters long, more than the 2,000 calendar apps keep; "
     "link to a shorter address"),
])
def test_each_field_has_a_length_bound(key: str, length: int, message: str) -> None:
    value = "https://example.no/" + "a" * (length - 19) if key == "url" else "a" * length
    text = HEADER + f"  - id: a\n    type: event\n    title: T\n    start: 2024-08-21\n" \
        f"    {key}: {value}\n"
    assert problems(text.replace("    title: T\n", "") if key == "title" else text) == [
        f"events.yaml:{6 if key == 'title' else 7}:{len(key) + 7}: {message}",
    ]


def test_a_file_that_is_not_utf8_is_reported_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("calendar:\n  title: Møter på Ås\n".encode()
                     + "  description: Kurs på Ås\n".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        load_source(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3:22: not UTF-8 (byte 0xE5: invalid continuation byte); save the file as UTF-8",
    ]


# --- values every output can render -------------------------------------------------------------


def test_values_outside_what_outputs_can_render_are_refused_at_their_place() -> None:
    text = (DATA / "invalid" / "out_of_bounds.yaml").read_text(encoding="utf-8")
    per_day = ("a calendar shows at most 24 a day: use fewer BYHOUR, BYMINUTE or BYSECOND "
               "values, or write the times as separate entries")
    years = "is outside the years a calendar can publish (1900–2199); check the year"
    assert problems(text) == [
        "events.yaml:5:14: '1000000' is more days than a calendar keeps; write at most 36500 "
        "(a century), or null to keep every entry",
        f"events.yaml:10:12: '0001-01-01 00:10' {years}",
        f"events.yaml:15:12: '9999-12-31 23:30' {years}",
        "events.yaml:21:13: INTERVAL=99999999999999999999 is more than 1,000; a rule that "
        "repeats that rarely never repeats in a calendar's lifetime: use a smaller INTERVAL, "
        "or remove 'repeat:'",
        "events.yaml:26:13: COUNT=3000000 is more than the 5,000 dates a rule may have; use a "
        "smaller COUNT, or leave COUNT out to repeat without end",
        "events.yaml:31:13: UNTIL (9999-12-31 00:00 UTC) is after 2199; leave UNTIL out to "
        "repeat without end",
        "events.yaml:36:13: date number 177 of this rule is in 2200, after 2199; use a smaller "
        "COUNT, or leave COUNT out to repeat without end",
        "events.yaml:41:13: this rule gives more than 5,000 dates before UNTIL; use an earlier "
        "UNTIL or a coarser FREQ, or leave UNTIL out to repeat without end",
        "events.yaml:46:13: this rule gives up to 86,400 times a day (24 hours × 60 minutes × "
        f"60 seconds); {per_day}",
        "events.yaml:51:13: this rule gives up to 1,440 times a day (24 hours × 60 minutes × "
        f"1 second); {per_day}",
        "events.yaml:56:13: an all-day entry happens at most once a day; remove BYHOUR, "
        "BYMINUTE and BYSECOND, or give the entry a start time",
        "events.yaml:61:13: this rule gives more than 1,100 dates a year; a calendar entry may "
        "repeat at most 1,100 times a year (three a day): use a coarser FREQ, a larger "
        "INTERVAL or fewer BYDAY or BYHOUR values, or write separate entries",
    ]


def test_more_than_three_dates_a_day_over_a_year_is_refused() -> None:
    # Every output window multiplies it: an hourly rule without end was 9,600 API items per
    # query (400 days) and 24,000 in a FullCalendar range, for one entry.
    for rule in ("FREQ=HOURLY", "FREQ=DAILY;BYHOUR=8,12,16,20", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,"
                 "FR;BYHOUR=9,10,11,12,13"):
        text = HEADER + f"  - {{id: a, type: meeting, title: T, start: 2024-08-21 10:00, " \
            f"repeat: '{rule}'}}\n"
        assert problems(text) == [
            "events.yaml:3:71: this rule gives more than 1,100 dates a year; a calendar entry "
            "may repeat at most 1,100 times a year (three a day): use a coarser FREQ, a larger "
            "INTERVAL or fewer BYDAY or BYHOUR values, or write separate entries",
        ], rule


@pytest.mark.parametrize("rule", [
    "FREQ=HOURLY;COUNT=24",  # 24 a day: the most there may be
    "FREQ=DAILY;BYHOUR=9,13,17",  # three a day, every day
    "FREQ=HOURLY;INTERVAL=8",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9,13;BYMINUTE=0,30",
    "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11;BYMINUTE=0,30;BYSETPOS=1,2",
    f"FREQ=DAILY;COUNT={rules.MAX_DATES}",
    "FREQ=YEARLY;INTERVAL=1000",
    "FREQ=WEEKLY;UNTIL=21001231T000000Z",  # 3,986 dates
])
def test_rules_at_the_bounds_are_accepted(rule: str) -> None:
    text = HEADER + f"  - {{id: a, type: meeting, title: T, start: 2024-08-21 10:00, " \
        f"repeat: '{rule}'}}\n"
    (entry,) = parse_source(text).source.entries
    assert entry.repeat == rule


@pytest.mark.parametrize(("start", "zone"), [
    ("1900-01-01 00:10", "America/New_York"), ("2199-12-31 23:30", "Pacific/Kiritimati"),
    ("1900-01-01", "Europe/Oslo"), ("2199-12-31", "Pacific/Kiritimati")])
def test_the_first_and_last_years_are_accepted(start: str, zone: str) -> None:
    text = HEADER + f"  - {{id: a, type: event, title: T, start: {start}, timezone: {zone}}}\n"
    (entry,) = parse_source(text).source.entries
    assert entry.start.year in (1900, 2199)


@pytest.mark.parametrize("every", ["99999999999999d", "31d", "1000000h"])
def test_a_partner_pulled_too_seldom_is_refused_not_a_crash(every: str) -> None:
    # Before: 99999999999999d was an OverflowError out of the validator (a traceback).
    text = ("calendar: {title: T, uid_domain: kalender.example.no}\nsources:\n"
            f"  rvts-ost: {{url: 'https://example.org/k.ics', format: ics, every: {every}}}\n")
    assert problems(text) == [
        f"events.yaml:3:68: '{every}' is too seldom; pull a partner at least every 30d",
    ]
