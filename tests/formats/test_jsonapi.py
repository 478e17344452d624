"""The JSON API's documents, built from published entries without HTTP: what a partner's code
reads. Golden file: tests/data/golden/api_events_partner_site.json
(regenerate with CALFEED_UPDATE_GOLDEN=1 and review the diff)."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from calfeed.formats import apiquery, jsonapi
from calfeed.formats.context import RenderContext
from calfeed.formats.select import Filter
from calfeed.localtime import local_midnight
from calfeed.model import Snapshot
from calfeed.store import load_snapshot
from calfeed.web.api_models import EntryDetail, EventList, FeedList, FullCalendarEvent

GOLDEN = Path(__file__).parent.parent / "data" / "golden"
CTX = RenderContext(site_url="https://kalender.example.no", today=date(2024, 8, 1))


@pytest.fixture
def snapshot_of(publish: Callable[..., None], engine: Engine) -> Callable[[str], Snapshot]:
    def snapshot_of(source: str) -> Snapshot:
        publish(source)
        snapshot = load_snapshot(engine)
        assert snapshot is not None
        return snapshot

    return snapshot_of


def page(snapshot: Snapshot, **kwargs: object) -> dict[str, object]:
    query = apiquery.EventQuery(**{"view": Filter(), "start": CTX.today, **kwargs})  # type: ignore[arg-type]
    document = jsonapi.events_page(snapshot, CTX, query)
    EventList.model_validate(document)  # every field is documented, nothing extra
    return document


def items(snapshot: Snapshot, **kwargs: object) -> list[dict[str, object]]:
    result = page(snapshot, **kwargs)["items"]
    assert isinstance(result, list)
    return result


def test_events_page_matches_golden_file(snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")
    body = jsonapi.dumps(page(snapshot, limit=500))
    text = json.dumps(json.loads(body), ensure_ascii=False, indent=2) + "\n"
    golden = GOLDEN / "api_events_partner_site.json"
    if os.environ.get("CALFEED_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_same_data_gives_same_bytes(snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")
    query = apiquery.EventQuery(view=Filter(), start=CTX.today)
    first = jsonapi.dumps(jsonapi.events_page(snapshot, CTX, query))
    assert jsonapi.dumps(jsonapi.events_page(snapshot, CTX, query)) == first


def test_items_start_from_today_and_keep_running_entries(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")
    ids = [i["id"] for i in items(snapshot, limit=500)]
    assert "frist-forrige-uke" not in ids  # due 25 July: before `from`
    assert ids[0] == "frist-klokkeslett"  # 5 August 12:00, the first thing ahead
    assert "konferanse-neste-ar" in ids  # without `to`, one-off entries far ahead count
    on_day_two = [i["id"] for i in items(snapshot, start=date(2024, 8, 22), end=date(2024, 8, 22))]
    assert on_day_two == ["kurs-ungdom-utnyttet"]  # its second day


def test_all_day_end_is_inclusive_and_timed_values_carry_their_offset(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    by_id = {i["id"]: i for i in items(snapshot_of("partner_site.yaml"), limit=500)}
    course = by_id["kurs-ungdom-utnyttet"]
    assert (course["start"], course["end"], course["all_day"]) == ("2024-08-21", "2024-08-22", True)
    new_york = by_id["webinar-new-york"]
    assert new_york["start"] == "2024-09-10T09:00:00-04:00"
    assert new_york["timezone"] == "America/New_York"


def test_deadlines_say_whether_open_and_how_many_days_are_left(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    by_id = {i["id"]: i for i in items(snapshot_of("partner_site.yaml"), limit=500)}
    deadline = by_id["frist-krisesenterloven"]
    assert {k: deadline[k] for k in ("due", "open", "days_left", "type_label")} == {
        "due": "2024-09-16", "open": True, "days_left": 46, "type_label": "Høringsfrist"}
    assert by_id["frist-klokkeslett"]["due"] == "2024-08-05T12:00:00+02:00"
    assert by_id["frist-klokkeslett"]["days_left"] == 4
    course = by_id["kurs-ungdom-utnyttet"]
    assert (course["due"], course["open"], course["days_left"]) == (None, None, None)
    passed = items(snapshot_of("partner_site.yaml"), start=date(2024, 7, 1), end=date(2024, 7, 31))
    assert [(i["id"], i["open"], i["days_left"]) for i in passed] == [
        ("frist-forrige-uke", False, None)]


def test_recurring_deadline_is_one_item_per_occurrence(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")
    found = [i for i in items(snapshot, end=date(2025, 12, 31), limit=500)
             if i["id"] == "rettsavgjorelser"]
    assert [(i["occurrence"], i["due"]) for i in found] == [
        ("2024-08-31", "2024-08-31"), ("2024-12-31", "2024-12-31"),
        ("2025-04-30", "2025-04-30"), ("2025-08-31", "2025-08-31"),
        ("2025-12-31", "2025-12-31")]
    assert found[1]["days_left"] == 152


def test_weekly_meeting_keeps_ten_o_clock_local_across_the_march_change(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("recurring.yaml")  # Oslo moves to summer time on 29 March 2026
    meetings = [i for i in items(snapshot, start=date(2026, 3, 1), end=date(2026, 4, 30))
                if i["id"] == "ukemote-var"]
    assert [(i["start"], i["end"]) for i in meetings] == [
        ("2026-03-19T10:00:00+01:00", "2026-03-19T11:00:00+01:00"),
        ("2026-03-26T10:00:00+01:00", "2026-03-26T11:00:00+01:00"),
        ("2026-04-02T10:00:00+02:00", "2026-04-02T11:00:00+02:00"),
        ("2026-04-09T10:00:00+02:00", "2026-04-09T11:00:00+02:00"),
    ]
    assert [i["occurrence"] for i in meetings] == [i["start"] for i in meetings]


def test_text_search_ignores_case_and_looks_in_four_fields(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")

    def found(text: str) -> list[object]:
        return [i["id"] for i in items(snapshot, start=date(2024, 7, 1),
                                       text=apiquery.fold_text(text), limit=500)]

    assert found("HØRING") == ["frist-forrige-uke"]  # "Høringsfrist om barnevernsloven"
    assert found("rvts øst") == ["kurs-ungdom-utnyttet"]  # organizer
    assert found("clarion") == ["konferanse-avlyst"]  # location
    assert found("regjeringen.no") == ["frist-krisesenterloven"]  # description
    assert found("finnes ikke") == []


def test_cursor_continues_strictly_after_the_last_item(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")
    everything = [i["id"] for i in items(snapshot, limit=500)]
    first = page(snapshot, limit=4)
    assert isinstance(first["next"], str)
    assert first["next"].startswith("https://kalender.example.no/api/v1/events?from=2024-08-01")
    cursor = first["next"].rsplit("cursor=", 1)[1]
    rest = items(snapshot, limit=500, after=apiquery.decode_cursor(cursor))
    assert [i["id"] for i in first["items"]] + [i["id"] for i in rest] == everything  # type: ignore[union-attr]
    assert page(snapshot, limit=500)["next"] is None


@pytest.mark.parametrize("cursor", [
    "", "abc", "!!!!", base64.urlsafe_b64encode(b"[1, 2]").decode(),
    base64.urlsafe_b64encode(b'{"start": "2024-08-01", "id": "x"}').decode(),  # no offset
    base64.urlsafe_b64encode(b'{"start": "2024-08-01T00:00:00+00:00", "id": "<b>"}').decode(),
    base64.urlsafe_b64encode(b'{"start": 5, "id": "x"}').decode(),
])
def test_a_tampered_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(ValueError, match="not a cursor"):
        apiquery.decode_cursor(cursor)


def test_cursor_round_trips() -> None:
    key = apiquery.CursorKey(datetime(2024, 8, 21, 8, 0, tzinfo=UTC), "kurs-ungdom-utnyttet")
    assert apiquery.decode_cursor(apiquery.encode_cursor(key)) == key


def test_entry_detail_has_rule_and_next_occurrences(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")
    published = snapshot.entry("rettsavgjorelser")
    assert published is not None
    detail = jsonapi.entry_detail(published, snapshot, CTX)
    EntryDetail.model_validate(detail)
    assert detail["repeat"] == "FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1"
    assert detail["start"] == "2024-04-30"  # as written
    assert detail["occurrence"] is None
    assert detail["next_occurrences"][:2] == [{"start": "2024-08-31", "end": "2024-08-31"},
                                              {"start": "2024-12-31", "end": "2024-12-31"}]
    assert len(detail["next_occurrences"]) == jsonapi.NEXT_OCCURRENCES
    assert (detail["due"], detail["days_left"]) == ("2024-08-31", 30)  # the next one is due


def test_feeds_list_names_every_way_to_follow(snapshot_of: Callable[[str], Snapshot]) -> None:
    document = jsonapi.feeds_list(snapshot_of("partner_site.yaml"), CTX)
    FeedList.model_validate(document)
    names = [f["name"] for f in document["feeds"]]
    assert names == ["all", "arrangementer", "frister"]
    frister = document["feeds"][2]["urls"]
    assert frister["https"] == "https://kalender.example.no/feeds/frister.ics"
    assert frister["webcal"] == "webcal://kalender.example.no/feeds/frister.ics"
    assert frister["atom"] == "https://kalender.example.no/feeds/frister.atom"
    assert frister["outlook_office"].startswith("https://outlook.office.com/calendar/addfromweb?")
    assert frister["outlook_live"].startswith("https://outlook.live.com/calendar/addfromweb?")
    assert document["feeds"][0]["urls"]["rss"] == "https://kalender.example.no/feed.rss"


def test_subscribe_link_is_the_ics_of_the_same_view(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")
    document = page(snapshot, view=Filter(feed="arrangementer", types=("course",)))
    assert document["subscribe"]["https"] == (  # type: ignore[index]
        "https://kalender.example.no/feeds/arrangementer.ics?type=course")


def test_fullcalendar_all_day_end_is_exclusive(snapshot_of: Callable[[str], Snapshot]) -> None:
    snapshot = snapshot_of("partner_site.yaml")
    tz = snapshot.calendar.timezone
    query = apiquery.CalendarQuery(view=Filter(), start=local_midnight(date(2024, 7, 29), tz),
                                  end=local_midnight(date(2024, 9, 9), tz))
    events = jsonapi.fullcalendar_events(snapshot, CTX, query)
    for event in events:
        FullCalendarEvent.model_validate(event)
    by_id = {e["id"]: e for e in events}
    course = by_id["kurs-ungdom-utnyttet"]
    assert (course["start"], course["end"], course["allDay"]) == ("2024-08-21", "2024-08-23", True)
    assert course["classNames"] == ["calfeed-course"]
    deadline = by_id["frist-klokkeslett"]
    assert deadline["title"] == "Frist: Innspill til handlingsplan (innen kl. 12)"
    assert (deadline["start"], deadline["allDay"]) == ("2024-08-05T12:00:00+02:00", False)
    assert deadline["classNames"] == ["calfeed-deadline"]
    assert "frist-krisesenterloven" not in by_id  # 16 September: after the range asked for


def test_fullcalendar_named_time_zone_gets_times_in_that_zone(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    from calfeed.localtime import zone

    snapshot = snapshot_of("partner_site.yaml")
    tz = snapshot.calendar.timezone
    query = apiquery.CalendarQuery(view=Filter(), start=local_midnight(date(2024, 9, 1), tz),
                                  end=local_midnight(date(2024, 10, 1), tz),
                                  zone=zone("Europe/Oslo"))
    by_id = {e["id"]: e for e in jsonapi.fullcalendar_events(snapshot, CTX, query)}
    assert by_id["webinar-new-york"]["start"] == "2024-09-10T15:00:00+02:00"
    assert by_id["konferanse-avlyst"]["title"] == "AVLYST: Nordisk konferanse"
    assert by_id["konferanse-avlyst"]["classNames"] == ["calfeed-conference", "calfeed-cancelled"]


def test_an_item_is_its_kept_base_plus_the_days_deadline_fields(
        snapshot_of: Callable[[str], Snapshot]) -> None:
    """The API keeps each item without its deadline fields (per entry revision, occurrence and
    language, as orjson bytes in the database); filled in per day, it is the item itself."""
    snapshot = snapshot_of("partner_site.yaml")
    rows = apiquery.event_rows(snapshot, apiquery.EventQuery(view=Filter(), start=date(2024, 7, 1)))
    assert any(r.published.entry.is_deadline for r in rows)
    for lang in ("nb", "en"):
        for row in rows:
            base = jsonapi.item_base(row.published, row.occurrence, CTX, lang)
            kept = json.loads(jsonapi.dumps(base))
            assert jsonapi.dumps(jsonapi.with_deadline(kept, row.published.entry,
                                                       row.occurrence, CTX.today)) == \
                jsonapi.dumps(jsonapi.event_item(row.published, row.occurrence, CTX, lang))
            assert kept == json.loads(jsonapi.dumps(base))  # the kept base is never changed
