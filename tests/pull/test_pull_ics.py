"""iCalendar as Google, Outlook/Exchange, Teams, Apple, Nextcloud and Meetup write it, read into
the entries a subscriber should see (times in the right zone, series expanded, statuses)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calfeed.model import Entry
from calfeed.partners import PartnerSource
from calfeed.pull.items import MalformedError
from calfeed.pull.mapping import Mapped, map_items
from calfeed.pull.readers import read_body

DATA = Path(__file__).parent.parent / "data" / "pull"
NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")


def pull(name: str, **settings: object) -> Mapped:
    source = PartnerSource(name.split(".")[0], f"https://partner.example/{name}", "ics",
                           **settings)  # type: ignore[arg-type]
    parsed = read_body(source, (DATA / name).read_bytes(), url=source.url,
                       default_tz="Europe/Oslo", now=NOW)
    return map_items(source, parsed, fetched=NOW, default_tz="Europe/Oslo")


def by_title(mapped: Mapped) -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = {}
    for pulled in mapped.entries:
        found.setdefault(pulled.entry.title, []).append(pulled.entry)
    return found


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def test_google_utc_times_are_shown_in_the_calendars_x_wr_timezone() -> None:
    entries = by_title(pull("google.ics"))
    webinar, = entries["Tvangsarbeid og menneskehandel – webinar"]
    assert (webinar.start, webinar.end, webinar.timezone) == (
        oslo(2024, 9, 12, 9), oslo(2024, 9, 12, 15), "Europe/Oslo")
    assert webinar.online_url == "https://meet.google.com/abc-defg-hij"
    assert webinar.description is not None and "<b>" not in webinar.description
    assert "menneskehandel og tvangsarbeid" in webinar.description


def test_google_weekly_series_keeps_its_wall_clock_time_across_the_autumn_change() -> None:
    series = by_title(pull("google.ics"))["Veiledningstime om menneskehandel"]
    starts = [e.start for e in series]
    # 08:00Z is 10:00 CEST; after 27 October the same meeting is 10:00 CET (09:00Z).
    assert starts == [oslo(2024, 10, day, 10) for day in (10, 17, 24, 31)]
    assert len({e.id for e in series}) == 4


def test_google_all_day_multi_day_event_spans_its_days() -> None:
    course, = by_title(pull("google.ics"))["Ungdom utnyttet til kriminalitet"]
    assert (course.start, course.end) == (date(2024, 8, 21), date(2024, 8, 22))  # last day


def test_cancelled_upstream_is_cancelled_here() -> None:
    meeting, = by_title(pull("google.ics"))["Julemøte i nettverket"]
    assert meeting.status == "cancelled"


def test_outlook_windows_zone_names_become_iana_zones_with_the_same_instants() -> None:
    entries = by_title(pull("outlook.ics"))
    day, = entries["Fagdag: Barn utnyttet i menneskehandel"]
    assert (day.start, day.end, day.timezone) == (
        oslo(2024, 9, 17, 9), oslo(2024, 9, 17, 15, 30), "Europe/Oslo")
    webinar, = entries["Labor trafficking in supply chains (webinar)"]
    assert webinar.timezone == "America/New_York"
    assert webinar.start == datetime(2024, 11, 6, 15, 0, tzinfo=UTC)
    assert webinar.online_url == "https://polarisproject.org/webinars/supply-chains"
    assert webinar.location is None  # the link was its LOCATION


def test_outlook_all_day_flag_on_midnight_times_gives_an_all_day_entry() -> None:
    meeting, = by_title(pull("outlook.ics"))["Nasjonal samling mot menneskehandel"]
    assert (meeting.start, meeting.end) == (date(2024, 10, 23), date(2024, 10, 24))


def test_outlook_cancelled_meeting_in_a_customized_zone_loses_its_avlyst_prefix() -> None:
    meeting, = by_title(pull("outlook.ics"))["Nettverksmøte Vest"]
    assert meeting.status == "cancelled"
    assert meeting.start == oslo(2024, 9, 26, 12)  # "Customized Time Zone" read from VTIMEZONE


def test_private_appointments_are_left_out_and_reported() -> None:
    mapped = pull("outlook.ics")
    assert "Lege" not in by_title(mapped)
    assert any("'Lege'" in s.label and "private" in s.reason for s in mapped.skipped)


def test_teams_invitation_gives_the_meeting_link_and_organizer() -> None:
    meeting, = by_title(pull("teams.ics"))["Digitalt frokostmøte: Ny handlingsplan"]
    assert meeting.online_url is not None
    assert meeting.online_url.startswith("https://teams.microsoft.com/l/meetup-join/")
    assert meeting.organizer == "KOM sekretariat"
    assert meeting.description is not None and "____" not in meeting.description
    assert "Møte-ID: 372 193 555 12" in meeting.description
    assert meeting.start == oslo(2024, 10, 15, 8, 30)


def test_apple_url_structured_location_and_floating_time() -> None:
    mapped = pull("apple.ics")
    entries = by_title(mapped)
    conference, = entries["Krisesenterkonferansen 2024"]
    assert conference.url == "https://www.krisesenter.com/konferanse-2024"
    assert conference.location == "Quality Hotel Expo, Hans Gaarders vei 14, 1360 Fornebu, Norge"
    assert (conference.start, conference.end) == (oslo(2024, 10, 29, 9), oslo(2024, 10, 30, 16))
    floating, = entries["Erfaringsdeling for krisesentrene (flytende tid)"]
    assert floating.start == oslo(2024, 9, 25, 13)  # floating: the calendar's own zone


def test_an_item_that_fails_validation_is_reported_and_the_rest_kept() -> None:
    mapped = pull("apple.ics")
    assert len(mapped.entries) == 2
    skipped, = mapped.skipped
    assert "0B1C2D3E" in skipped.label and "title" in skipped.reason


def test_nextcloud_series_with_exdate_and_overrides() -> None:
    series = sorted(by_title(pull("nextcloud.ics"))["Nettverksmøte (månedlig)"],
                    key=lambda e: e.start)
    moved, = by_title(pull("nextcloud.ics"))["Nettverksmøte (månedlig) – flyttet til onsdag"]
    # First Tuesdays Sep-Dec: 1 October is excluded, 5 November moved to Wednesday the 6th,
    # 3 December cancelled.
    assert [(e.start, e.status) for e in series] == [
        (oslo(2024, 9, 3, 10), "confirmed"), (oslo(2024, 12, 3, 10), "cancelled")]
    assert moved.start == oslo(2024, 11, 6, 13)
    assert moved.end == oslo(2024, 11, 6, 14, 30)


def test_an_occurrence_keeps_its_id_when_it_is_moved() -> None:
    # The moved occurrence's id comes from the series UID and its RECURRENCE-ID, so it is the
    # id the plain 5 November occurrence had: a subscriber sees a move, not a new meeting.
    plain = pull("nextcloud.ics")
    text = (DATA / "nextcloud.ics").read_bytes().decode()
    source = PartnerSource("nextcloud", "https://partner.example/n.ics", "ics")
    without_override = re.sub(r"BEGIN:VEVENT\r\n(?:(?!END:VEVENT).)*?RECURRENCE-ID;TZID=Europe"
                              r"/Oslo:20241105T100000.*?END:VEVENT\r\n", "", text, flags=re.S)
    parsed = read_body(source, without_override.encode(), url=source.url,
                       default_tz="Europe/Oslo", now=NOW)
    unmoved = map_items(source, parsed, fetched=NOW, default_tz="Europe/Oslo")
    nov5 = [p.entry for p in unmoved.entries if p.entry.start == oslo(2024, 11, 5, 10)]
    nov6 = [p.entry for p in plain.entries if p.entry.start == oslo(2024, 11, 6, 13)]
    assert len(nov5) == len(nov6) == 1 and nov5[0].id == nov6[0].id


def test_tentative_multi_day_event_in_another_zone() -> None:
    seminar, = by_title(pull("nextcloud.ics"))["Nordisk seminar i Berlin"]
    assert seminar.status == "tentative"
    assert seminar.timezone == "Europe/Berlin"
    assert seminar.end == datetime(2024, 11, 22, 12, tzinfo=ZoneInfo("Europe/Berlin"))


def test_meetup_event_links_to_its_page() -> None:
    event, = pull("meetup.ics").entries
    assert event.entry.url == "https://www.meetup.com/oslo-antitrafficking/events/302345678/"
    assert event.provenance.upstream_uid == "event_302345678@meetup.com"
    assert event.provenance.upstream_url == event.entry.url
    assert event.provenance.fetched == NOW


@pytest.mark.parametrize("name", ["google.ics", "outlook.ics", "teams.ics", "apple.ics",
                                  "nextcloud.ics", "meetup.ics"])
def test_ids_are_the_source_and_a_stable_hash(name: str) -> None:
    first, second = pull(name), pull(name)
    ids = [p.entry.id for p in first.entries]
    assert ids == [p.entry.id for p in second.entries]
    assert len(set(ids)) == len(ids)
    prefix = name.split(".")[0]
    assert all(re.fullmatch(rf"{prefix}-[0-9a-f]{{8,}}", i) for i in ids), ids
    assert [p.entry for p in first.entries] == [p.entry for p in second.entries]


def test_settings_give_type_tags_and_organizer() -> None:
    mapped = pull("google.ics", type="course", tags=("menneskehandel",), organizer="RVTS Øst")
    assert {p.entry.type for p in mapped.entries} == {"course"}
    assert all(p.entry.tags == ("menneskehandel",) for p in mapped.entries)
    assert {p.entry.organizer for p in mapped.entries} == {"RVTS Øst"}
    teams = pull("teams.ics", organizer="Noen andre")
    assert teams.entries[0].entry.organizer == "KOM sekretariat"  # upstream's name wins


def test_include_and_exclude_words_match_inside_compounds_case_insensitively() -> None:
    kept = pull("google.ics", include=("MENNESKEHANDEL",))
    assert {p.entry.title for p in kept.entries} == {
        "Tvangsarbeid og menneskehandel – webinar", "Veiledningstime om menneskehandel"}
    assert kept.filtered == 2 and not kept.skipped
    dropped = pull("google.ics", exclude=("webinar", "julemøte"))
    assert {p.entry.title for p in dropped.entries} == {
        "Ungdom utnyttet til kriminalitet", "Veiledningstime om menneskehandel"}


def test_a_page_instead_of_a_calendar_is_malformed() -> None:
    with pytest.raises(MalformedError, match="not an iCalendar file"):
        pull("malformed.ics")
