"""What subscribers and readers get from issue 16 over HTTP: reminders on any .ics URL (read
back by ical.js), the reminder offer on deadline views, pages that know what is over, a footer
dated by the data, the latest past entries when nothing is ahead, and search on the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.conftest import NOW
from tests.formats.pagecheck import document, listed_ids
from tests.support.icaljs import events_by_uid, parse_with_icaljs

Serve = Callable[..., TestClient]
UID = "@kalender.example.no"


def alarms_of(body: bytes) -> dict[str, list[tuple[str | None, int | None]]]:
    events = events_by_uid(parse_with_icaljs(body, "2024-01-01", "2026-01-01"))
    return {uid.removesuffix(UID): [(a["action"], a["trigger_seconds"]) for a in e["alarms"]]
            for uid, e in events.items()}


# --- ?alarm= -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/calendar.ics", "/feeds/frister.ics",
                                  "/events/horing-krisesenterloven.ics",
                                  "/calendar.ics?type=deadline"])
def test_any_ics_url_has_no_alarms_unless_asked(serve: Serve, path: str):
    client = serve("fixed.yaml")
    plain = client.get(path)
    assert b"BEGIN:VALARM" not in plain.content
    asked = client.get(path + ("&" if "?" in path else "?") + "alarm=1d,2h")
    assert asked.status_code == 200
    found = alarms_of(asked.content)
    assert found["horing-krisesenterloven"] == [("DISPLAY", -86400), ("DISPLAY", -7200)]


def test_every_spelling_of_a_reminder_is_one_feed_that_names_itself(serve: Serve):
    client = serve("fixed.yaml")
    a = client.get("/feeds/frister.ics?alarm=2h,1d")
    b = client.get("/feeds/frister.ics?alarm=1D&alarm=120m")
    assert a.content == b.content and a.headers["etag"] == b.headers["etag"]
    assert b"SOURCE;VALUE=URI:https://kalender.example.no/feeds/frister.ics?alarm=1d,2h" \
        in a.content.replace(b"\r\n ", b"")
    assert a.headers["etag"] != client.get("/feeds/frister.ics").headers["etag"]
    again = client.get("/feeds/frister.ics?alarm=1d,2h",
                       headers={"If-None-Match": a.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(("value", "says"), [
    ("tomorrow", "'tomorrow' is not a reminder"), ("1y", "'1y' is not a reminder"),
    ("5w", "at most 4w"), ("1w,2d,1d,2h", "at most 3"),
])
def test_a_bad_alarm_is_a_400_naming_the_parameter(serve: Serve, value: str, says: str):
    response = serve("fixed.yaml").get(f"/calendar.ics?alarm={value}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["parameter"] == "alarm" and says in problem["detail"]


def test_deadline_views_offer_a_reminder_a_day_before(serve: Serve):
    client = serve("fixed.yaml")
    for path, feed in [("/?feed=frister", "/feeds/frister.ics?alarm=1d"),
                       ("/?type=deadline", "/calendar.ics?type=deadline&alarm=1d")]:
        doc = document(client.get(path).content)
        (field,) = doc.cssselect("#url-reminder")
        assert field.get("value") == "https://kalender.example.no" + feed
        assert "Med påminnelse én dag før" in doc.cssselect("#subscribe")[0].text_content()
        body = client.get(feed).content
        assert alarms_of(body)["horing-krisesenterloven"] == [("DISPLAY", -86400)]
    # Not on views of events: nobody asked to be paged a day before a course.
    assert not document(client.get("/").content).cssselect("#url-reminder")
    assert not document(client.get("/?type=course").content).cssselect("#url-reminder")


# --- what is over ------------------------------------------------------------------------------


def test_an_ended_entry_says_so_and_offers_no_add_to_calendar_links(serve: Serve):
    client = serve("cancelled.yaml")
    doc = document(client.get("/events/gjennomfort").content)
    badges = [b.text_content().strip() for b in doc.cssselect(".badges .badge")]
    assert "Avsluttet" in badges
    assert doc.cssselect("p.over")[0].text_content() == "Dette er over."
    assert not doc.cssselect("section.add")
    assert not [a for a in doc.cssselect("a") if "calendar.google.com" in (a.get("href") or "")]
    # Upcoming entries still offer them, and say nothing of having ended.
    upcoming = document(client.get("/events/forelopig").content)
    assert upcoming.cssselect("section.add a")
    assert "Avsluttet" not in upcoming.text_content()
    # The archive lists it as ended too.
    archive = document(client.get("/archive").content)
    assert "Avsluttet" in archive.cssselect("li.entry")[0].text_content()


def test_the_footer_dates_the_last_change_of_the_data_not_the_render(
        serve: Serve, publish: Callable[..., None], app) -> None:
    client = serve("cancelled.yaml", now=NOW - timedelta(days=400))
    footer = document(client.get("/").content).cssselect("footer time")[0]
    # Synced 400 days before the clock's today: the page still says when the data changed.
    assert footer.get("datetime") == "2023-06-28"
    assert "Innholdet sist endret" in footer.getparent().text_content()


QUIET = """
calendar: {title: Stille kalender, uid_domain: kalender.example.no, timezone: Europe/Oslo}
entries:
  - {id: kurs-3, type: course, title: Kurs 3. juli, start: 2024-07-03}
  - {id: kurs-10, type: course, title: Kurs 10. juli, start: 2024-07-10}
  - {id: kurs-17, type: course, title: Kurs 17. juli, start: 2024-07-17}
  - {id: kurs-24, type: course, title: Kurs 24. juli, start: 2024-07-24}
  - {id: seminar-neste-ar, type: seminar, title: Seminar neste år, start: 2025-03-01}
"""


def test_an_empty_upcoming_view_shows_the_latest_past_entries(serve: Serve):
    client = serve(QUIET)
    doc = document(client.get("/?type=course").content)
    assert "Ingen kommende oppføringer" in doc.cssselect("p.empty")[0].text_content()
    (section,) = doc.cssselect("section.latest-past")
    assert section.cssselect("h2")[0].text_content() == "Siste tidligere oppføringer"
    # The latest three, newest first, marked as over; the archive has them all.
    assert [a.get("href") for a in section.cssselect("h3 a")] == [
        "/events/kurs-24", "/events/kurs-17", "/events/kurs-10"]
    assert "Avsluttet" in section.cssselect("li")[0].text_content()
    assert section.cssselect("p a")[0].get("href") == "/archive?type=course"
    # Where something is ahead, no such section.
    assert not document(client.get("/").content).cssselect("section.latest-past")


# --- search ------------------------------------------------------------------------------------


def test_search_on_the_page_finds_what_the_api_finds(serve: Serve):
    client = serve("partner_site.yaml")
    found = listed_ids(client.get("/?q=KRISESENTER").content)
    api = client.get("/api/v1/events?q=KRISESENTER&from=2024-08-01").json()["items"]
    assert found == [item["id"] for item in api] == ["frist-krisesenterloven"]
    doc = document(client.get("/?q=krisesenter&type=deadline").content)
    assert doc.cssselect("#q")[0].get("value") == "krisesenter"
    assert "Treff på «krisesenter»" in doc.text_content()
    # The filter stays with the search (hidden field), and the filter links keep the words.
    hidden = {(i.get("name"), i.get("value"))
              for i in doc.cssselect("form.search input[type=hidden]")}
    assert hidden == {("type", "deadline")}
    links = [a.get("href") for a in doc.cssselect(".filters a")]
    assert "/?type=deadline&q=krisesenter" in links
    archive = listed_ids(client.get("/archive?q=barnevern").content)
    assert archive == ["frist-forrige-uke"]


def test_a_search_with_nothing_ahead_shows_past_matches(serve: Serve):
    client = serve("partner_site.yaml")
    doc = document(client.get("/?q=barnevernsloven").content)
    assert [a.get("href") for a in doc.cssselect("section.latest-past h3 a")] == \
        ["/events/frist-forrige-uke"]


def test_a_search_that_is_too_long_is_named(serve: Serve):
    response = serve("partner_site.yaml").get("/?q=" + "a" * 201,
                                              headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.json()["parameter"] == "q"
