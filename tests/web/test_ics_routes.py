"""The iCalendar URLs as a subscriber's calendar app meets them."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DATA, NOW
from tests.support.icaljs import events_by_uid, parse_with_icaljs
from tests.support.strict_ical import parse_strict

GOLDEN = Path(__file__).parent.parent / "golden"
UPDATE = os.environ.get("CALFEED_UPDATE_GOLDEN") == "1"
Publish = Callable[..., None]


@pytest.fixture
def fixed(serve: Publish, client: TestClient) -> TestClient:
    serve("fixed.yaml")
    return client


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


# --- golden files --------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "golden"), [("/calendar.ics", "fixed_calendar.ics"),
                                              ("/feeds/frister.ics", "fixed_frister.ics")])
def test_feeds_of_the_fixed_data_equal_their_golden_files_byte_for_byte(fixed, path, golden):
    body = fixed.get(path).content
    file = GOLDEN / golden
    if UPDATE:
        file.write_bytes(body)
    assert body == file.read_bytes(), (
        f"{path} changed; review the diff and regenerate with CALFEED_UPDATE_GOLDEN=1")


# --- media type and disposition ------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "application/json", "text/html", "*/*"])
def test_every_client_gets_text_calendar_whatever_it_accepts(fixed, accept):
    headers = {"Accept": accept} if accept else {}
    response = fixed.get("/calendar.ics", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"


def test_subscriptions_are_inline_and_one_entry_is_a_download(fixed):
    assert fixed.get("/calendar.ics").headers["content-disposition"] == \
        'inline; filename="calendar.ics"'
    assert fixed.get("/feeds/frister.ics").headers["content-disposition"] == \
        'inline; filename="frister.ics"'
    one = fixed.get("/events/horing-krisesenterloven.ics")
    assert one.headers["content-disposition"] == \
        'attachment; filename="horing-krisesenterloven.ics"'
    (event,) = parse_strict(one.content)
    assert event["uid"] == "horing-krisesenterloven@kalender.example.no"
    lines = unfolded(one.text)
    # a download is not a subscription: no refresh hints, no SOURCE
    assert not any(x.startswith(("REFRESH-INTERVAL", "X-PUBLISHED-TTL", "SOURCE")) for x in lines)


# --- filters -------------------------------------------------------------------------------------


def uids(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {e["uid"].split("@")[0] for e in parse_strict(response.content)}


def test_type_and_tag_filters_make_a_subscription_of_their_own(fixed):
    deadlines = fixed.get("/calendar.ics?type=deadline")
    assert uids(deadlines) == {"horing-krisesenterloven", "horing-kl-12"}
    lines = unfolded(deadlines.text)
    assert "SOURCE;VALUE=URI:https://kalender.example.no/calendar.ics?type=deadline" in lines
    assert "X-WR-CALNAME:KOM – kurs\\, konferanser og høringsfrister (Høringsfrist)" in lines
    assert uids(fixed.get("/calendar.ics?tag=ungdom&tag=internasjonalt")) == \
        {"kurs-ungdom-utnyttet", "webinar-new-york"}
    assert uids(fixed.get("/calendar.ics?type=course,webinar")) == \
        {"kurs-ungdom-utnyttet", "webinar-new-york"}
    assert uids(fixed.get("/feeds/arrangementer.ics?tag=ungdom")) == {"kurs-ungdom-utnyttet"}


def test_the_order_of_query_parameters_does_not_make_another_feed(fixed, app):
    one = fixed.get("/calendar.ics?tag=ungdom&type=webinar&tag=internasjonalt")
    renders = app.state.serving.current().responses.renders
    other = fixed.get("/calendar.ics?tag=internasjonalt&tag=ungdom&type=webinar&tag=ungdom")
    assert other.content == one.content
    assert other.headers["etag"] == one.headers["etag"]
    assert app.state.serving.current().responses.renders == renders  # served from memory
    assert ("SOURCE;VALUE=URI:https://kalender.example.no/calendar.ics"
            "?type=webinar&tag=internasjonalt&tag=ungdom") in unfolded(one.text)


def test_a_named_feed_shows_only_its_entries(fixed):
    assert uids(fixed.get("/feeds/frister.ics")) == {"horing-krisesenterloven", "horing-kl-12"}
    assert "NAME:Høringsfrister" in unfolded(fixed.get("/feeds/frister.ics").text)


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "status", "parameter"), [
    ("/feeds/nope.ics", 404, None),
    ("/events/nope.ics", 404, None),
    ("/calendar.ics?type=party", 400, "type"),
    ("/calendar.ics?tag=Not%20a%20tag", 400, "tag"),
    ("/feeds/frister.ics?type=deadline&type=", 200, None),
])
def test_bad_urls_get_a_problem_document_never_a_500(fixed, path, status, parameter):
    response = fixed.get(path)
    assert response.status_code == status
    if status != 200:
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status
        assert problem.get("parameter") == parameter
        if parameter:
            assert f"'{parameter}'" in problem["detail"]


def test_before_any_sync_a_feed_is_503_not_an_empty_calendar(client):
    response = client.get("/calendar.ics")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"


# --- cancellations and the window ----------------------------------------------------------------


def test_a_cancelled_entry_stays_until_it_has_ended_then_leaves(serve, client):
    serve("cancelled.yaml")
    shown = uids(client.get("/calendar.ics"))
    assert {"avlyst-kommende", "avlyst-i-dag", "avlyst-frist", "forelopig"} <= shown
    assert "avlyst-over" not in shown  # ended in June: gone, although inside past_days
    assert "gjennomfort" in shown  # held in June and not cancelled: inside past_days
    events = {e["uid"].split("@")[0]: e for e in parse_strict(client.get("/calendar.ics").content)}
    assert events["avlyst-kommende"]["status"] == "CANCELLED"
    assert events["avlyst-kommende"]["summary"] == "AVLYST: Konferanse som er avlyst"
    assert events["avlyst-frist"]["summary"] == "AVLYST: Frist: Trukket høring"
    assert events["forelopig"]["status"] == "TENTATIVE"


def test_cancelling_an_entry_keeps_its_uid_and_raises_its_sequence(serve, client, app):
    serve("fixed.yaml")
    source = (DATA / "fixed.yaml").read_text(encoding="utf-8")
    cancelled = source.replace("    location: Oslo kongressenter, Youngs gate 21\n    status: "
                               "tentative", "    location: Oslo kongressenter, Youngs gate 21\n"
                               "    status: cancelled")
    assert cancelled != source
    serve(cancelled, now=NOW + timedelta(hours=1))
    parsed = events_by_uid(parse_with_icaljs(client.get("/calendar.ics").content,
                                             "2024-01-01", "2026-01-01"))
    event = parsed["fagdag-oslo@kalender.example.no"]
    assert (event["status"], event["sequence"]) == ("CANCELLED", 1)
    assert event["summary"] == \
        "AVLYST: Fagdag om menneskehandel; tiltak, erfaringer og veien videre"


# --- edits reach subscribers, unchanged data changes nothing -------------------------------------


def test_an_edit_raises_sequence_and_changes_the_etag(serve, client, app):
    serve("fixed.yaml")
    before = client.get("/calendar.ics")
    source = (DATA / "fixed.yaml").read_text(encoding="utf-8")
    serve(source.replace("due: 2024-09-16", "due: 2024-09-23"), now=NOW + timedelta(days=1))
    after = client.get("/calendar.ics")
    assert after.headers["etag"] != before.headers["etag"]
    events = {e["uid"].split("@")[0]: e for e in parse_strict(after.content)}
    moved = events["horing-krisesenterloven"]
    assert (moved["sequence"], str(moved["start"])) == (1, "2024-09-23")
    assert moved["last_modified"] == NOW + timedelta(days=1)
    assert events["kurs-ungdom-utnyttet"]["sequence"] == 0
    assert after.headers["last-modified"] == "Fri, 02 Aug 2024 10:00:00 GMT"


def test_an_unchanged_sync_keeps_every_byte_and_etag(serve, client, app):
    serve("fixed.yaml")
    paths = ["/calendar.ics", "/feeds/frister.ics", "/calendar.ics?tag=ungdom",
             "/events/ukemote.ics"]
    before = {p: client.get(p) for p in paths}
    serve("fixed.yaml", now=NOW + timedelta(days=1))
    for path, response in before.items():
        again = client.get(path)
        assert again.content == response.content, path
        assert again.headers["etag"] == response.headers["etag"], path
        assert again.headers["last-modified"] == response.headers["last-modified"], path


def test_removing_an_entry_moves_last_modified_forward(serve, client, app):
    serve("fixed.yaml")
    before = client.get("/calendar.ics")
    source = (DATA / "fixed.yaml").read_text(encoding="utf-8")
    start = source.index("  - id: ukemote")
    serve(source[:start], now=NOW + timedelta(days=2))
    after = client.get("/calendar.ics")
    assert "ukemote" not in uids(after)
    assert after.headers["etag"] != before.headers["etag"]
    assert after.headers["last-modified"] == "Sat, 03 Aug 2024 10:00:00 GMT"
    assert client.get("/events/ukemote.ics").status_code == 404
