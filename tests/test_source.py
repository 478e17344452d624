"""Reading events.yaml: every mistake an editor can make is reported at once, each with its
line, column and what to write instead. Each scenario is a file under tests/data/invalid/."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from calfeed.errors import SourceError
from calfeed.source import load_source, parse_source
from tests.conftest import DATA

INVALID = DATA / "invalid"


def errors_in(name: str) -> list[str]:
    """The error lines the editor would read for tests/data/invalid/<name>."""
    text = (INVALID / name).read_text(encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        parse_source(text, "events.yaml")
    return [str(problem) for problem in caught.value.problems]


ALLOWED_ENTRY_KEYS = (
    "id, type, title, start, end, due, timezone, location, online_url, url, organizer, "
    "description, tags, status, published, repeat, registration"
)


def test_unknown_keys_at_every_level_say_what_was_meant() -> None:
    assert errors_in("unknown_keys.yaml") == [
        "events.yaml:5:3: unknown key 'timezon' — did you mean 'timezone'?",
        "events.yaml:9:5: unknown key 'typs' — did you mean 'types'?",
        "events.yaml:14:5: unknown key 'strat' — did you mean 'start'?",
        f"events.yaml:19:5: unknown key 'colour' (allowed: {ALLOWED_ENTRY_KEYS})",
        "events.yaml:20:1: unknown key 'entrys' — did you mean 'entries'?",
    ]


def test_missing_required_keys() -> None:
    assert errors_in("missing_fields.yaml") == [
        "events.yaml:3:3: missing required key 'title'",  # the calendar's
        "events.yaml:6:5: missing required key 'title'",  # the feed's
        "events.yaml:8:5: missing required key 'id'",
        "events.yaml:11:5: missing required key 'type'",
        "events.yaml:14:5: missing required key 'title'",
        "events.yaml:17:5: missing 'start': write e.g. 'start: 2024-08-21' (all day) or "
        "'start: 2024-08-21 09:00'",
    ]


def test_bad_dates_point_at_the_value() -> None:
    assert errors_in("bad_dates.yaml") == [
        "events.yaml:9:12: '2024-13-01' is not a real date or time (month must be in 1..12)",
        "events.yaml:13:12: '21.08.2024' is not a date; write 2024-08-21, or 2024-08-21 10:00 "
        "for a time",
        "events.yaml:17:12: '2024-08-21T10:00+02:00' has a UTC offset; write the local time "
        "(2024-08-21 10:00) and set 'timezone:' on the entry if it is not the calendar's",
        "events.yaml:22:10: 'end' (2024-08-21) is before 'start' (2024-08-22); for a date, "
        "'end' is the last day, inclusive",
        "events.yaml:27:10: 'end' (2024-08-21 13:00) is before 'start' (2024-08-21 14:00); "
        "for a date, 'end' is the last day, inclusive",
        "events.yaml:32:5: 'start' and 'end' must both be dates (all day) or both date-times; "
        "write e.g. 'end: 2024-08-22' or 'end: 2024-08-21 16:00'",
        "events.yaml:37:16: published: expected a date without a time, like 2024-06-28",
    ]


def test_a_misspelt_or_invalid_start_is_not_also_reported_missing() -> None:
    # One mistake, one message: 'strat' and '21.08.2024' do not also give "missing 'start'".
    messages = errors_in("bad_dates.yaml") + errors_in("unknown_keys.yaml")
    assert not [m for m in messages if "missing 'start'" in m]


def test_time_zones_must_be_iana_names() -> None:
    iana = ("Use an IANA name such as Europe/Oslo or America/New_York (not a Windows name or "
            "an abbreviation like CET)")
    assert errors_in("time_zones.yaml") == [
        f"events.yaml:5:13: unknown time zone 'Europe/Olso' — did you mean 'Europe/Oslo'? {iana}",
        "events.yaml:11:15: 'W. Europe Standard Time' is a Windows time zone name; write the "
        "IANA name of the place, e.g. 'Europe/Oslo'",
        f"events.yaml:16:15: unknown time zone 'CEST'. {iana}",
    ]


@pytest.mark.parametrize("name", ["CET", "EST", "localtime", "Factory"])
def test_legacy_zone_names_are_refused(name: str) -> None:
    # tzdata knows them, but EST is a fixed UTC-5 (not New York) and calendar apps misread
    # the others; an editor who wrote one meant a place.
    text = f"calendar: {{title: T, uid_domain: x.no, timezone: {name}}}\n"
    with pytest.raises(SourceError, match=f"unknown time zone '{name}'"):
        parse_source(text)


def test_a_duplicate_id_points_at_the_second_and_names_the_first() -> None:
    assert errors_in("duplicate_ids.yaml") == [
        "events.yaml:14:9: duplicate id 'kurs-2024' (first used on line 6); every entry needs "
        "its own id",
    ]


def test_ids_that_are_not_slugs_get_a_suggested_slug() -> None:
    rule = "ids must be lowercase letters, digits and '-'"
    assert errors_in("bad_ids.yaml") == [
        f"events.yaml:6:9: 'Møte på Ås' is not a valid id: {rule}; for example 'mote-pa-as'",
        f"events.yaml:10:9: 'kurs_2024' is not a valid id: {rule}; for example 'kurs-2024'",
        f"events.yaml:14:9: '-kurs-' is not a valid id: {rule}; for example 'kurs'",
    ]


def test_deadlines_have_due_and_everything_else_has_start() -> None:
    assert errors_in("deadline_keys.yaml") == [
        "events.yaml:10:5: only deadlines have 'due'; write 'start:' instead, or set "
        "'type: deadline'",
        "events.yaml:14:5: a deadline has 'due', not 'start'; write 'due: 2024-09-16'",
        "events.yaml:15:5: missing 'due': a deadline needs the date it is due, e.g. "
        "'due: 2024-09-16'",
    ]


def test_invalid_repeat_rules() -> None:
    example = "Write an RFC 5545 RRULE such as FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1"
    assert errors_in("bad_repeat.yaml") == [
        f"events.yaml:10:13: invalid repeat rule: invalid 'FREQ': SOMETIMES. {example}",
        f"events.yaml:15:13: invalid repeat rule: invalid 'BYDAY': XX. {example}",
        f"events.yaml:20:13: invalid repeat rule: INTERVAL must be 1 or more. {example}",
        "events.yaml:25:13: invalid repeat rule: for an all-day entry, UNTIL must be a date "
        f"like 20261105. {example}",
        "events.yaml:31:13: invalid repeat rule: for a timed entry, UNTIL must be a UTC time "
        f"like 20261105T225959Z. {example}",
    ]


def test_count_and_until_together_are_refused() -> None:
    # RFC 5545 §3.3.10: they MUST NOT occur in the same rule (dateutil only warns).
    assert errors_in("recurring_count_until.yaml") == [
        "events.yaml:11:13: invalid repeat rule: use COUNT or UNTIL, not both. Write an "
        "RFC 5545 RRULE such as FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1",
    ]


def test_repeat_rules_that_never_produce_a_date_are_refused() -> None:
    never = "this repeat rule never produces a date"
    assert errors_in("repeat_never.yaml") == [
        f"events.yaml:10:13: {never}: February has no day 30; check BYMONTH and BYMONTHDAY",
        f"events.yaml:15:13: {never}: April and June have no day 31; check BYMONTH and "
        "BYMONTHDAY",
        # Without BYMONTHDAY the day comes from the start, which the editor may not see.
        f"events.yaml:20:13: {never}: February has no day 31 (the start's day, used when "
        "BYMONTHDAY is not given); check BYMONTH and BYMONTHDAY",
        f"events.yaml:25:13: {never}: UNTIL (2024-01-01) is before the start (2024-04-30); "
        "set UNTIL on or after the start",
        f"events.yaml:31:13: {never}: UNTIL (2024-04-30 07:59 UTC) is before the start "
        "(2024-04-30 10:00); set UNTIL on or after the start",
        f"events.yaml:36:13: {never}: UNTIL (2024-05-01) is before its first date (2024-06-30); "
        "move UNTIL later or check the rule",
        f"events.yaml:41:13: {never} (none in the 100 years from the start); check that its "
        "BYWEEKNO and BYMONTH can be met together",
        f"events.yaml:46:13: {never} (none in the 100 years from the start); check that its "
        "BYDAY and BYSETPOS can be met together",
    ]


def test_repeating_more_often_than_hourly_is_refused() -> None:
    use_hourly = "use FREQ=HOURLY or coarser, or write the times as separate entries"
    assert errors_in("repeat_too_often.yaml") == [
        f"events.yaml:11:13: repeating every second is not supported for calendar entries; "
        f"{use_hourly}",
        f"events.yaml:16:13: repeating every minute is not supported for calendar entries; "
        f"{use_hourly}",
        "events.yaml:21:13: an all-day entry cannot repeat every hour; use FREQ=DAILY or "
        "coarser, or give the entry a start time",
    ]


def test_repeat_parts_dateutil_accepts_but_rfc_5545_does_not() -> None:
    example = "Write an RFC 5545 RRULE such as FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1"
    assert errors_in("repeat_outside_rfc5545.yaml") == [
        f"events.yaml:11:13: invalid repeat rule: BYMONTH=13 is out of range; use 1 to 12. "
        f"{example}",
        "events.yaml:16:13: invalid repeat rule: BYMONTHDAY=0 is out of range; use 1 to 31, "
        f"or -1 (the last day) to -31. {example}",
        "events.yaml:21:13: BYEASTER is a python-dateutil extension, not RFC 5545, so calendar "
        "apps would not show these dates; write them as separate entries",
    ]


NEVER_HAPPENING = (
    "FREQ=WEEKLY;BYWEEKNO=53;BYMONTH=6", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
    "FREQ=MONTHLY;BYYEARDAY=366;BYMONTH=1", "FREQ=WEEKLY;BYYEARDAY=-366;BYMONTH=12")


def entries_repeating(*rules: str, start: str = "2024-04-30") -> str:
    """A source with one entry per rule, all starting on ``start``."""
    return "calendar: {title: T, uid_domain: kalender.example.no}\nentries:\n" + "".join(
        f"  - {{id: regel-{i}, type: event, title: Regel, start: {start}, repeat: '{rule}'}}\n"
        for i, rule in enumerate(rules))


@pytest.mark.timeout(60)  # a hang guard; how long it takes is measured by bench/run.py
def test_a_rule_that_never_happens_is_refused_after_a_bounded_search() -> None:
    # dateutil looks for a first date up to the year 9999; the check looks a century ahead
    # (and at most 500 years) instead, and says so.
    with pytest.raises(SourceError) as caught:
        parse_source(entries_repeating(*NEVER_HAPPENING))
    assert len(caught.value.problems) == len(NEVER_HAPPENING)
    assert all("100 years" in p.message for p in caught.value.problems)


@pytest.mark.parametrize(("rule", "start"), [
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2025-01-01"),  # the next leap day, 2028
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "2025-01-01"),  # first in 2044
    ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=5", "2024-04-30"),  # some months have five Mondays
    ("FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1", "2024-04-30"),
    ("FREQ=WEEKLY;UNTIL=20240430", "2024-04-30"),  # UNTIL on the start: one date
    ("FREQ=HOURLY;COUNT=3", "2024-08-21 10:00"),
])
def test_rare_or_short_rules_are_accepted(rule: str, start: str) -> None:
    (entry,) = parse_source(entries_repeating(rule, start=start)).source.entries
    assert entry.repeat == rule


def test_only_complete_http_and_https_links() -> None:
    fix = "write the full address, starting with https://"
    assert errors_in("bad_urls.yaml") == [
        f"events.yaml:5:13: only http and https links are allowed (this one has no scheme); {fix}",
        "events.yaml:11:10: only http and https links are allowed (this one has "
        f"'javascript:'); {fix}",
        f"events.yaml:16:17: only http and https links are allowed (this one has 'ftp:'); {fix}",
        f"events.yaml:21:10: only http and https links are allowed (this one has no scheme); {fix}",
        "events.yaml:26:10: 'https://' is not a complete web address; write e.g. "
        "https://example.no/page",
    ]


def test_control_characters_are_refused() -> None:
    assert errors_in("control_characters.yaml") == [
        "events.yaml:8:12: contains the control character U+0007; remove it",
        "events.yaml:13:18: contains the control character U+001B; remove it",
    ]


def test_a_key_written_twice_is_an_error_not_a_silent_overwrite() -> None:
    assert errors_in("duplicate_keys.yaml") == [
        "events.yaml:5:3: key 'title' appears twice here; keep one",
        "events.yaml:11:5: key 'start' appears twice here; keep one",
    ]


def test_yaml_syntax_errors_give_the_line_and_column_of_the_mistake() -> None:
    assert errors_in("syntax_error.yaml") == [
        "events.yaml:8:31: this is not valid YAML: mapping values are not allowed in this "
        "context; if the text contains ': ', put it in quotes (\"…\")",
    ]


def test_sections_with_nothing_under_them() -> None:
    assert errors_in("empty_sections.yaml") == [
        "events.yaml:2:1: 'calendar' is empty; see the README for its keys",
        "events.yaml:4:3: 'feeds.frister' is empty; see the README for its keys",
    ]


def test_an_empty_file() -> None:
    assert errors_in("empty.yaml") == [
        "events.yaml:1:1: the file is empty; start with a 'calendar:' section (see README)",
    ]


def test_a_file_that_is_a_list() -> None:
    assert errors_in("list.yaml") == [
        "events.yaml:1:1: the file must be a mapping with 'calendar:', 'feeds:' and 'entries:'",
    ]


def test_several_mistakes_are_all_reported_in_file_order() -> None:
    assert errors_in("several_mistakes.yaml") == [
        "events.yaml:9:5: unknown key 'strat' — did you mean 'start'?",
        "events.yaml:13:10: '16.09.2024' is not a date; write 2024-08-21, or 2024-08-21 10:00 "
        "for a time",
        "events.yaml:19:10: 'end' (2024-09-17) is before 'start' (2024-09-18); for a date, "
        "'end' is the last day, inclusive",
        "events.yaml:20:10: only http and https links are allowed (this one has "
        "'javascript:'); write the full address, starting with https://",
        "events.yaml:21:9: duplicate id 'horing-krisesenterloven-2024' (first used on line "
        "10); every entry needs its own id",
    ]


# --- the Norway problem: YAML 1.1 booleans, numbers and nulls are the text the editor wrote --


def test_words_yaml_would_read_as_booleans_or_numbers_stay_text() -> None:
    first, second = load_source(DATA / "norway_problem.yaml").source.entries
    assert (first.id, first.title, first.location, first.organizer) == ("no", "yes", "off", "null")
    assert first.tags == ("on", "y")
    assert (second.id, second.title, second.description) == ("2024", "1.10", "0x1F")


def test_language_no_is_read_as_the_word_no() -> None:
    assert errors_in("norway_language.yaml") == [
        "events.yaml:5:13: unknown language 'no' — did you mean 'nb'? Use one of: nb, en",
    ]


def test_a_misspelt_type_does_not_hide_the_entrys_other_mistakes() -> None:
    types = ("Use one of: course, conference, webinar, seminar, meeting, event, deadline, "
             "publication")
    assert errors_in("misspelt_type.yaml") == [
        "events.yaml:10:9: duplicate id 'kurs' (first used on line 6); every entry needs its "
        "own id",
        f"events.yaml:11:11: unknown type 'corse' — did you mean 'course'? {types}",
        "events.yaml:14:10: 'end' (2024-08-20) is before 'start' (2024-08-22); for a date, "
        "'end' is the last day, inclusive",
        # Norwegian words get the English value they mean.
        f"events.yaml:16:11: unknown type 'frist' — did you mean 'deadline'? {types}",
    ]


# --- local times (RFC 5545 §3.3.5) ---------------------------------------------------------------


def test_a_time_in_the_spring_gap_is_read_with_the_offset_before_it() -> None:
    loaded = load_source(DATA / "dst_gap.yaml")
    (entry,) = loaded.source.entries
    assert entry.start.isoformat() == "2026-03-29T03:30:00+02:00"  # type: ignore[union-attr]
    assert [str(w) for w in loaded.warnings] == [
        f"{DATA / 'dst_gap.yaml'}:10:12: warning: 2026-03-29 02:30 does not exist in "
        "Europe/Oslo; read as 03:30 CEST",
    ]


def test_an_ambiguous_autumn_time_is_its_first_occurrence() -> None:
    loaded = load_source(DATA / "dst_overlap.yaml")
    (entry,) = loaded.source.entries
    assert isinstance(entry.start, datetime) and isinstance(entry.end, datetime)
    assert entry.start.isoformat() == "2026-10-25T02:30:00+02:00"
    assert entry.end.isoformat() == "2026-10-25T03:30:00+01:00"
    # Two real hours (Python subtracts same-zone datetimes by wall clock, so compare in UTC).
    assert entry.end.astimezone(UTC) - entry.start.astimezone(UTC) == timedelta(hours=2)
    assert [str(w) for w in loaded.warnings] == [
        f"{DATA / 'dst_overlap.yaml'}:10:12: warning: 2026-10-25 02:30 occurs twice in "
        "Europe/Oslo; read as the first, 02:30 CEST",
    ]


def test_an_entry_can_have_its_own_time_zone() -> None:
    new_york, oslo = load_source(DATA / "timezone_new_york.yaml").source.entries
    assert new_york.timezone == "America/New_York"
    assert new_york.start.isoformat() == "2024-11-14T10:00:00-05:00"
    assert oslo.timezone == "Europe/Oslo"
    assert oslo.start.isoformat() == "2024-11-14T10:00:00+01:00"


def test_an_error_in_one_entry_does_not_hide_the_dst_warning_of_another() -> None:
    text = (DATA / "dst_gap.yaml").read_text(encoding="utf-8") + (
        "  - id: Feil\n    type: meeting\n    title: Feil id\n    start: 2026-04-01\n"
    )
    with pytest.raises(SourceError) as caught:
        parse_source(text)
    assert [p.line for p in caught.value.problems] == [12]
    assert [p.line for p in caught.value.warnings] == [10]


# --- what a valid file becomes ------------------------------------------------------------------


def test_a_deadline_is_due_on_one_day() -> None:
    text = (
        "calendar: {title: Frister, uid_domain: kalender.example.no}\n"
        "entries:\n"
        "  - id: horing-krisesenterloven-2024\n"
        "    type: deadline\n"
        "    title: Forslag til endringer i krisesenterloven\n"
        "    due: 2024-09-16\n"
        "    organizer: Barne- og familiedepartementet\n"
    )
    (entry,) = parse_source(text).source.entries
    assert entry.is_deadline and entry.all_day
    assert entry.due == entry.start == entry.end == date(2024, 9, 16)


def test_feed_all_always_exists_and_named_feeds_are_kept() -> None:
    source = load_source(DATA / "recurring.yaml").source
    assert list(source.feeds) == ["all"]
    text = (
        "calendar: {title: T, uid_domain: kalender.example.no}\n"
        "feeds:\n  frister: {title: Frister, types: [deadline]}\n"
    )
    feeds = parse_source(text).source.feeds
    assert list(feeds) == ["all", "frister"] and feeds["frister"].types == ("deadline",)


def test_a_feed_may_not_be_called_all() -> None:
    text = "calendar: {title: T, uid_domain: x.no}\nfeeds:\n  all: {title: Alt}\n"
    with pytest.raises(SourceError) as caught:
        parse_source(text)
    assert [str(p) for p in caught.value.problems] == [
        "events.yaml:3:3: the feed 'all' always exists; give this feed another name",
    ]


def test_a_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        load_source(tmp_path / "nowhere.yaml")
    assert [p.message for p in caught.value.problems] == ["file not found"]


def test_a_file_that_is_not_utf8_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("calendar:\n  title: Møter\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8"):
        load_source(path)
