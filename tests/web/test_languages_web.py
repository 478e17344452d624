"""Every output in the calendar's language and in another (`?lang=`), from the same data, with
the same UIDs; untranslated text marked with its language (iCalendar `LANGUAGE=`, Atom
`xml:lang`, HTML `lang`, JSON `fallback`), read back by ical.js, feedparser and Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import feedparser
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from tests.support.icaljs import events_by_uid, parse_with_icaljs
from tests.support.server import serve_app
from tests.support.strict_ical import parse_strict

SOURCE = "two_languages.yaml"
Serve = Callable[..., TestClient]
ICS_URLS = ("/calendar.ics", "/feeds/frister.ics", "/events/unodc-webinar-2024.ics")


@pytest.fixture
def two(serve: Serve) -> TestClient:
    return serve(SOURCE)


def _get(two: TestClient, url: str, **headers: str) -> Any:
    response = two.get(url, headers=headers)
    assert response.status_code == 200, (url, response.text[:300])
    return response


def _uids(body: bytes) -> set[str]:
    return set(re.findall(rb"^UID:(.+?)\r$", body, re.MULTILINE))


@pytest.mark.parametrize("url", ICS_URLS)
def test_ics_in_both_languages_has_the_same_uids(two: TestClient, url: str) -> None:
    nb = _get(two, url).content
    en = _get(two, url + "?lang=en").content
    assert _uids(nb) and _uids(nb) == _uids(en)
    assert b"LANGUAGE=" not in nb  # the calendar's own output is as it always was
    assert _get(two, url + "?lang=nb").content == nb
    parse_strict(en)


def test_icaljs_reads_the_english_feed_with_its_language_marks(two: TestClient) -> None:
    nb = events_by_uid(parse_with_icaljs(_get(two, "/calendar.ics").content,
                                         "2024-01-01", "2025-01-01"))
    en = events_by_uid(parse_with_icaljs(_get(two, "/calendar.ics?lang=en").content,
                                         "2024-01-01", "2025-01-01"))
    assert set(nb) == set(en)
    meeting = en["cbss-mote-2024@kalender.example.no"]
    assert meeting["summary"] == "Meeting of the CBSS task force"
    assert meeting["location"] == "Online"
    assert meeting["languages"] == {"summary": "en", "description": "en", "location": "en"}
    webinar = en["unodc-webinar-2024@kalender.example.no"]
    assert webinar["summary"] == "UNODC webinar on human trafficking"
    assert webinar["location"] == "Wien"  # no English text: the calendar's, marked as such
    assert webinar["languages"]["location"] == "nb"
    course = en["kurs-bare-norsk-2024@kalender.example.no"]
    assert (course["summary"], course["languages"]["summary"]) == ("Kurs på norsk", "nb")
    cancelled = en["horing-avlyst-2024@kalender.example.no"]
    assert cancelled["summary"] == "CANCELLED: Deadline: Consultation on the crisis centre act"
    assert nb["horing-avlyst-2024@kalender.example.no"]["summary"] == \
        "AVLYST: Frist: Høring om krisesenterloven"
    assert nb["cbss-mote-2024@kalender.example.no"]["languages"]["summary"] is None
    # The subscription names its own URL, in its language.
    assert "SOURCE;VALUE=URI:https://kalender.example.no/calendar.ics?lang=en" in \
        _get(two, "/calendar.ics?lang=en").text.replace("\r\n ", "")


@pytest.mark.parametrize("ext", ["atom", "rss"])
def test_feedparser_reads_the_english_feed_with_its_language_marks(two: TestClient,
                                                                   ext: str) -> None:
    nb = feedparser.parse(_get(two, f"/feed.{ext}").content)
    en = feedparser.parse(_get(two, f"/feed.{ext}?lang=en").content)
    assert not en.bozo, en.get("bozo_exception")
    assert [e.id for e in nb.entries] == [e.id for e in en.entries]
    assert en.feed.title == "Calendar for partners"
    assert en.feed.get("language") == "en"
    by_id = {e.id.rsplit("/", 1)[1]: e for e in en.entries}
    assert by_id["cbss-mote-2024"].title.endswith("Meeting of the CBSS task force")
    assert by_id["cbss-mote-2024"].title_detail.language == "en"
    assert by_id["kurs-bare-norsk-2024"].title.endswith("Kurs på norsk")
    assert by_id["kurs-bare-norsk-2024"].title_detail.language == "nb"
    webinar = by_id["unodc-webinar-2024"]
    body = (webinar.get("content") or [webinar.get("summary_detail")])[0]
    assert '<span lang="nb">Wien</span>' in body["value"]
    assert b"xml:lang" not in _get(two, f"/feed.{ext}").content.replace(
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nb">', b"")


@pytest.mark.parametrize("ext", ["atom", "rss"])
def test_a_feed_title_with_no_translation_says_its_language(two: TestClient, ext: str) -> None:
    # "moter" has a Norwegian title only; its description is the calendar's, translated.
    en = feedparser.parse(_get(two, f"/feeds/moter.{ext}?lang=en").content)
    assert not en.bozo, en.get("bozo_exception")
    assert en.feed.title.startswith("Møter")
    assert en.feed.title_detail.language == "nb"
    # translated text is in the feed's language: Atom's xml:lang="en" on <feed>, RSS's
    # <language>en</language> (which feedparser does not carry down to the fields)
    in_feed = "en" if ext == "atom" else None
    assert en.feed.subtitle == "Courses and consultation deadlines"
    assert en.feed.subtitle_detail.language == in_feed
    frister = feedparser.parse(_get(two, f"/feeds/frister.{ext}?lang=en").content).feed
    assert frister.title.startswith("Consultation deadlines")
    assert frister.title_detail.language == in_feed


def test_api_items_in_both_languages_say_what_fell_back(two: TestClient) -> None:
    nb = _get(two, "/api/v1/events?from=2024-01-01").json()
    en = _get(two, "/api/v1/events?from=2024-01-01&lang=en").json()
    assert [i["id"] for i in nb["items"]] == [i["id"] for i in en["items"]]
    assert all("fallback" not in i and "lang" not in i for i in nb["items"])
    items = {i["id"]: i for i in en["items"]}
    assert items["cbss-mote-2024"]["title"] == "Meeting of the CBSS task force"
    assert items["cbss-mote-2024"]["fallback"] == {}
    assert items["unodc-webinar-2024"]["fallback"] == {"location": "nb"}
    assert items["kurs-bare-norsk-2024"]["fallback"] == {"title": "nb", "location": "nb"}
    assert items["kurs-bare-norsk-2024"]["lang"] == "en"
    assert "lang=en" in en["subscribe"]["https"]
    one = _get(two, "/api/v1/events/cbss-mote-2024?lang=en").json()
    assert one["description"] == "The meeting was about <exploitation> & children."
    full = _get(two, "/api/v1/fullcalendar?start=2024-09-01&end=2024-11-01&lang=en").json()
    assert "Meeting of the CBSS task force" in {e["title"] for e in full}


def test_feeds_list_gives_each_languages_subscription(two: TestClient) -> None:
    feeds = {f["name"]: f for f in _get(two, "/api/v1/feeds").json()["feeds"]}
    frister = feeds["frister"]
    assert frister["urls"]["https"] == "https://kalender.example.no/feeds/frister.ics"
    assert frister["languages"]["en"]["https"] == \
        "https://kalender.example.no/feeds/frister.ics?lang=en"
    assert frister["languages"]["nb"]["atom"] == \
        "https://kalender.example.no/feeds/frister.atom?lang=nb"
    english = {f["name"]: f for f in _get(two, "/api/v1/feeds?lang=en").json()["feeds"]}
    assert english["frister"]["title"] == "Consultation deadlines"
    assert english["moter"]["title"] == "Møter"  # no English title
    assert english["all"]["urls"]["api"] == "https://kalender.example.no/api/v1/events?lang=en"


@pytest.mark.parametrize("url", ["/calendar.ics", "/feed.atom", "/feeds/frister.rss",
                                 "/api/v1/events", "/api/v1/events/cbss-mote-2024",
                                 "/api/v1/feeds", "/events/cbss-mote-2024.ics", "/"])
@pytest.mark.parametrize("value", ["de", "nn", "EN", "en&lang=nb"])
def test_a_language_the_calendar_does_not_have_is_a_400_naming_lang(
        two: TestClient, url: str, value: str) -> None:
    response = two.get(f"{url}?lang={value}", headers={"Accept": "application/json"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem.get("parameter") == "lang" or \
        [p["name"] for p in problem.get("invalid_params", [])] == ["lang"], problem


def test_pages_follow_accept_language_and_say_so(two: TestClient) -> None:
    plain = _get(two, "/")
    assert 'lang="nb"' in plain.text.split(">", 2)[1]
    assert "Accept-Language" in plain.headers["vary"]
    english = _get(two, "/", **{"Accept-Language": "en-GB,en;q=0.9,nb;q=0.5"})
    assert '<html lang="en">' in english.text and "Calendar for partners" in english.text
    assert "Accept-Language" in english.headers["vary"]
    assert english.headers["etag"] != plain.headers["etag"]
    norwegian = _get(two, "/", **{"Accept-Language": "no, en;q=0.5"})
    assert norwegian.content == plain.content
    asked = _get(two, "/?lang=en", **{"Accept-Language": "nb"})
    assert '<html lang="en">' in asked.text
    assert "Accept-Language" not in asked.headers.get("vary", "")
    # A 304 for the English page is not the Norwegian page's.
    again = two.get("/", headers={"Accept-Language": "en",
                                     "If-None-Match": english.headers["etag"]})
    assert again.status_code == 304
    assert two.get("/", headers={"If-None-Match": english.headers["etag"]}).status_code == 200


def test_the_english_page_marks_norwegian_text_and_offers_the_switch(two: TestClient) -> None:
    page = lxml_html.fromstring(_get(two, "/?lang=en").content)
    assert page.get("lang") == "en"
    marked = {el.text_content(): el.get("lang") for el in page.cssselect("main [lang]")}
    assert marked["Kurs på norsk"] == "nb" and marked["Wien"] == "nb"
    assert "Meeting of the CBSS task force" not in marked
    switch = {a.get("hreflang"): a.get("href") for a in page.cssselect("nav.languages a")}
    assert switch == {"nb": "/?lang=nb", "en": "/?lang=en"}
    assert page.cssselect("#url-https")[0].get("value") == \
        "https://kalender.example.no/calendar.ics?lang=en"
    links = [a.get("href") for a in page.cssselect("main a[href^='/']")]
    assert links and all("lang=en" in href for href in links), links
    entry = lxml_html.fromstring(_get(two, "/events/unodc-webinar-2024?lang=en").content)
    assert entry.cssselect("h1")[0].text_content().strip() == "UNODC webinar on human trafficking"
    assert [dd.get("lang") for dd in entry.cssselect("dd span[lang]")] == ["nb"]


def test_a_calendar_in_one_language_keeps_its_pages(serve: Serve) -> None:
    client = serve("fixed.yaml")
    page = _get(client, "/").text
    assert "hreflang" not in page and 'class="languages"' not in page
    english = _get(client, "/?lang=en").text
    assert '<html lang="en">' in english


@pytest.fixture
def base(publish: Callable[..., None], app: FastAPI) -> Iterator[str]:
    publish(SOURCE)
    with serve_app(app) as url:
        yield url


def test_chromium_reads_the_english_page_with_its_language_marks(base: str, page: Any) -> None:
    page.goto(base + "/")  # the test browser asks for nb-NO
    assert page.evaluate("document.documentElement.lang") == "nb"
    page.click("nav.languages a[hreflang=en]")
    page.wait_for_url("**/?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    marks = page.eval_on_selector_all(
        "main [lang]", "els => els.map(e => [e.textContent, e.closest('[lang]').lang])")
    assert ["Kurs på norsk", "nb"] in marks
    page.click("text=UNODC webinar on human trafficking")
    page.wait_for_url("**/events/unodc-webinar-2024?lang=en")
    assert page.locator("h1").inner_text() == "UNODC webinar on human trafficking"
    location = page.locator("dd span[lang]")
    assert location.inner_text() == "Wien"
    # lang="nb" inside an English page: what a screen reader switches its voice for.
    assert location.evaluate("e => e.lang") == "nb"
