"""/api/v1/…: what a partner site's code sees over HTTP — parameters, paging while the data
changes, errors, CORS and caching."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.conftest import NOW

Publish = Callable[..., None]
Serve = Callable[..., TestClient]  # tests/conftest.py's serve: publish, serve now


def ids(client: TestClient, query: str) -> list[str]:
    response = client.get("/api/v1/events?" + query)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def partner(serve: Serve, client: TestClient) -> TestClient:
    serve("partner_site.yaml")
    return client


# --- each parameter ---------------------------------------------------------------------------


def test_default_window_starts_today_in_start_order(partner: TestClient) -> None:
    assert ids(partner, "") == [
        "frist-klokkeslett", "kurs-ungdom-utnyttet", "webinar-frokost", "markup-i-tittel",
        "rettsavgjorelser", "webinar-new-york", "frist-krisesenterloven", "konferanse-avlyst",
        "seminar-forelopig", "rettsavgjorelser", "rettsavgjorelser", "rettsavgjorelser",
        "konferanse-neste-ar"]


def test_from_and_to_are_days_and_to_is_inclusive(partner: TestClient) -> None:
    assert ids(partner, "from=2024-07-01&to=2024-08-21") == [
        "frist-forrige-uke", "frist-klokkeslett", "kurs-ungdom-utnyttet"]
    assert ids(partner, "from=2024-08-22&to=2024-08-22") == ["kurs-ungdom-utnyttet"]


def test_type_tag_and_feed_narrow_the_list(partner: TestClient) -> None:
    assert ids(partner, "type=webinar") == ["webinar-frokost", "webinar-new-york"]
    assert ids(partner, "type=webinar&type=course") == ids(partner, "type=course,webinar")
    assert ids(partner, "tag=nordisk") == ["konferanse-avlyst"]
    assert ids(partner, "tag=ungdom&tag=krisesenter") == [
        "kurs-ungdom-utnyttet", "frist-krisesenterloven"]
    assert ids(partner, "feed=frister&to=2024-12-31") == [
        "frist-klokkeslett", "rettsavgjorelser", "frist-krisesenterloven", "rettsavgjorelser"]
    assert ids(partner, "feed=arrangementer&type=course") == ["kurs-ungdom-utnyttet"]


def test_q_finds_text_whatever_the_case(partner: TestClient) -> None:
    assert ids(partner, "from=2024-07-01&q=høring") == ["frist-forrige-uke"]
    assert ids(partner, "from=2024-07-01&q=H%C3%98RING") == ["frist-forrige-uke"]
    assert ids(partner, "q=trondheim") == ["konferanse-neste-ar"]


def test_status_filters_and_cancelled_entries_are_listed_by_default(partner: TestClient) -> None:
    assert ids(partner, "status=cancelled") == ["konferanse-avlyst"]
    assert ids(partner, "status=tentative,cancelled") == ["konferanse-avlyst",
                                                          "seminar-forelopig"]
    assert "konferanse-avlyst" in ids(partner, "")


def test_limit_and_lang(partner: TestClient) -> None:
    body = partner.get("/api/v1/events?limit=2&lang=en").json()
    assert [item["id"] for item in body["items"]] == ["frist-klokkeslett", "kurs-ungdom-utnyttet"]
    assert body["items"][0]["type_label"] == "Consultation deadline"
    assert partner.get("/api/v1/events?limit=1").json()["items"][0]["type_label"] == "Høringsfrist"


def test_response_names_feed_and_subscribe_links(partner: TestClient) -> None:
    body = partner.get("/api/v1/events?feed=frister&tag=krisesenter").json()
    assert body["feed"] == {"name": "frister", "title": "Høringsfrister"}
    assert body["subscribe"]["https"] == \
        "https://kalender.example.no/feeds/frister.ics?tag=krisesenter"
    assert body["subscribe"]["webcal"] == \
        "webcal://kalender.example.no/feeds/frister.ics?tag=krisesenter"


def test_one_entry_with_rule_and_next_occurrences(partner: TestClient) -> None:
    body = partner.get("/api/v1/events/rettsavgjorelser").json()
    assert body["repeat"] == "FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1"
    assert body["next_occurrences"][0] == {"start": "2024-08-31", "end": "2024-08-31"}
    assert body["links"]["html"] == "https://kalender.example.no/events/rettsavgjorelser"
    one_off = partner.get("/api/v1/events/kurs-ungdom-utnyttet").json()
    assert (one_off["repeat"], one_off["next_occurrences"]) == (
        None, [{"start": "2024-08-21", "end": "2024-08-22"}])


def test_feeds_lists_every_feed_with_its_urls(partner: TestClient) -> None:
    feeds = partner.get("/api/v1/feeds").json()["feeds"]
    assert [f["name"] for f in feeds] == ["all", "arrangementer", "frister"]
    assert feeds[0]["urls"]["https"] == "https://kalender.example.no/calendar.ics"
    assert feeds[2]["urls"]["atom"] == "https://kalender.example.no/feeds/frister.atom"


def test_fullcalendar_reads_fullcalendars_own_parameters(partner: TestClient) -> None:
    # What FullCalendar 6 sends for August 2024 in a browser in Oslo ('+' percent-encoded).
    url = ("/api/v1/fullcalendar?start=2024-07-29T00%3A00%3A00%2B02%3A00"
           "&end=2024-09-09T00%3A00%3A00%2B02%3A00")
    events = partner.get(url).json()
    by_id = {e["id"]: e for e in events}
    assert (by_id["kurs-ungdom-utnyttet"]["start"], by_id["kurs-ungdom-utnyttet"]["end"]) == (
        "2024-08-21", "2024-08-23")
    typed = "/api/v1/fullcalendar?start=2024-07-29T00:00:00+02:00&end=2024-09-09T00:00:00+02:00"
    assert partner.get(typed).json() == events  # a '+' typed into the URL arrives as a space
    assert partner.get("/api/v1/fullcalendar?start=2024-07-29&end=2024-09-09").json() == events
    in_oslo = partner.get("/api/v1/fullcalendar?start=2024-09-01T00:00:00&end=2024-10-01T00:00:00"
                          "&timeZone=Europe/Oslo&type=webinar").json()
    assert [(e["id"], e["start"]) for e in in_oslo] == [
        ("webinar-new-york", "2024-09-10T15:00:00+02:00")]


# --- paging -------------------------------------------------------------------------------------


def many_entries(count: int, *, edit: Callable[[int, dict[str, str]], None] | None = None,
                 extra: str = "") -> str:
    """`count` entries, three per day so ties in start are ordered by id."""
    lines = ["calendar:", "  title: Mange", "  uid_domain: kalender.example.no",
             "  timezone: Europe/Oslo", "entries:"]
    for n in range(count):
        fields = {"id": f"e{n:03d}", "type": "course", "title": f"Kurs {n}",
                  "start": (date(2024, 8, 2) + timedelta(days=n // 3)).isoformat()}
        if edit:
            edit(n, fields)
        if fields.get("removed"):
            continue
        lines.append(f"  - id: {fields['id']}")
        lines += [f"    {key}: {value}" for key, value in fields.items() if key != "id"]
    return "\n".join(lines) + "\n" + extra


def follow(client: TestClient, url: str) -> tuple[list[dict[str, Any]], str | None]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["items"], body["next"]


def test_paging_with_cursor_gives_every_item_once(serve: Serve,
                                                  client: TestClient) -> None:
    serve(many_entries(23))
    seen: list[str] = []
    url: str | None = "/api/v1/events?limit=4"
    pages = 0
    while url:
        items, url = follow(client, url)
        seen += [item["id"] for item in items]
        pages += 1
    assert pages == 6
    assert seen == [f"e{n:03d}" for n in range(23)]


def test_paging_stays_consistent_while_a_sync_changes_the_data(
        serve: Serve, client: TestClient) -> None:
    serve(many_entries(30))
    first, url = follow(client, "/api/v1/events?limit=5")
    second, url = follow(client, str(url))
    seen = [item["id"] for item in first + second]
    assert seen == [f"e{n:03d}" for n in range(10)]

    def edit(n: int, fields: dict[str, str]) -> None:
        if n in (2, 17):  # one already seen, one not yet: retitled
            fields["title"] = f"Kurs {n} (endret)"
        if n == 20:  # removed before its page was read
            fields["removed"] = "yes"
        if n == 25:  # moved to before the cursor: it has already "passed" for this reader
            fields["start"] = "2024-08-02"

    added = ("  - id: ny-tidlig\n    type: course\n    title: Ny tidlig\n    start: 2024-08-02\n"
             "  - id: ny-sen\n    type: course\n    title: Ny sen\n    start: 2024-08-30\n")
    serve(many_entries(30, edit=edit, extra=added), now=NOW + timedelta(hours=1))
    while url:
        items, url = follow(client, url)
        seen += [item["id"] for item in items]
    assert len(seen) == len(set(seen)), "an item was listed twice"
    unchanged = {f"e{n:03d}" for n in range(30)} - {"e020", "e025"}
    assert unchanged <= set(seen), f"missing: {sorted(unchanged - set(seen))}"
    assert "e020" not in seen[10:]
    assert "ny-sen" in seen  # added after the cursor: seen on a later page


def test_next_url_repeats_the_query(partner: TestClient) -> None:
    body = partner.get("/api/v1/events?feed=frister&to=2024-12-31&limit=1&q=Frist").json()
    assert body["next"] is None or body["next"].startswith("https://kalender.example.no/")
    body = partner.get("/api/v1/events?feed=frister&to=2024-12-31&limit=1").json()
    query = parse_qs(urlsplit(body["next"]).query)
    assert query["feed"] == ["frister"]
    assert query["from"] == ["2024-08-01"]  # today, resolved, so later pages keep the window
    assert query["to"] == ["2024-12-31"]
    assert query["limit"] == ["1"]
    assert len(query["cursor"]) == 1


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "status", "parameter"), [
    ("/api/v1/events?limit=0", 400, "limit"),
    ("/api/v1/events?limit=100000", 400, "limit"),
    ("/api/v1/events?limit=ten", 400, "limit"),
    ("/api/v1/events?from=notadate", 400, "from"),
    ("/api/v1/events?from=2024-02-30", 400, "from"),
    ("/api/v1/events?from=0001-01-01", 400, "from"),
    ("/api/v1/events?to=nope", 400, "to"),
    ("/api/v1/events?from=2024-08-10&to=2024-08-09", 400, "to"),
    ("/api/v1/events?from=2024-01-01&to=2099-01-01", 400, "to"),
    ("/api/v1/events?feed=finnes-ikke", 404, "feed"),
    ("/api/v1/events?type=party", 400, "type"),
    ("/api/v1/events?tag=Not%20A%20Tag", 400, "tag"),
    ("/api/v1/events?status=done", 400, "status"),
    ("/api/v1/events?lang=de", 400, "lang"),
    ("/api/v1/events?q=" + "x" * 201, 400, "q"),
    ("/api/v1/events?cursor=bm90LWEtY3Vyc29y", 400, "cursor"),
    ("/api/v1/fullcalendar?end=2024-09-09", 400, "start"),
    ("/api/v1/fullcalendar?start=yesterday&end=2024-09-09", 400, "start"),
    ("/api/v1/fullcalendar?start=2024-09-09&end=2024-09-01", 400, "end"),
    ("/api/v1/fullcalendar?start=2024-01-01&end=2030-01-01", 400, "end"),
    ("/api/v1/fullcalendar?start=2024-09-01&end=2024-10-01&timeZone=Mars/Olympus", 400,
     "timeZone"),
    ("/api/v1/fullcalendar?start=2024-09-01&end=2024-10-01&feed=x", 404, "feed"),
])
def test_bad_values_get_a_problem_document_naming_the_parameter(
        partner: TestClient, url: str, status: int, parameter: str) -> None:
    response = partner.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["parameter"] == parameter
    assert f"'{parameter}'" in problem["detail"]
    assert response.headers["access-control-allow-origin"] == "*"  # partners can read it


def test_unknown_entry_is_a_404_problem(partner: TestClient) -> None:
    response = partner.get("/api/v1/events/finnes-ikke")
    assert response.status_code == 404
    assert response.json()["detail"] == "No entry with id 'finnes-ikke'"


# --- CORS and caching ------------------------------------------------------------------------


def test_any_origin_may_read_without_credentials(partner: TestClient) -> None:
    for headers in ({"Origin": "https://partner.example.org"}, {}):
        response = partner.get("/api/v1/events", headers=headers)
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["access-control-expose-headers"] == "ETag, Last-Modified"
        assert "access-control-allow-credentials" not in response.headers
    assert "access-control-allow-origin" not in partner.get("/healthz").headers


def test_preflight_is_answered(partner: TestClient) -> None:
    response = partner.options("/api/v1/events", headers={
        "Origin": "https://partner.example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["access-control-allow-headers"] == "If-None-Match, If-Modified-Since"


def test_etag_last_modified_and_304(partner: TestClient) -> None:
    response = partner.get("/api/v1/events?feed=frister")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"].startswith("public, max-age=")
    etag = response.headers["etag"]
    again = partner.get("/api/v1/events?feed=frister", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["access-control-allow-origin"] == "*"
    since = partner.get("/api/v1/events?feed=frister",
                        headers={"If-Modified-Since": response.headers["last-modified"]})
    assert since.status_code == 304
    head = partner.head("/api/v1/events?feed=frister")
    assert (head.status_code, head.content, head.headers["etag"]) == (200, b"", etag)


def test_each_distinct_query_is_rendered_once(partner: TestClient, app: Any) -> None:
    first = partner.get("/api/v1/events?feed=frister")
    renders = app.state.serving.current().responses.renders
    # The default `from` is today, so naming today asks for the same body.
    for url in ("/api/v1/events?feed=frister", "/api/v1/events?from=2024-08-01&feed=frister"):
        assert partner.get(url).headers["etag"] == first.headers["etag"]
    assert app.state.serving.current().responses.renders == renders


def test_embed_js_is_small_cacheable_javascript(partner: TestClient) -> None:
    response = partner.get("/embed.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/javascript; charset=utf-8"
    # What a partner page's visitors download: the gzip'd script, in one small response.
    gzipped = partner.get("/embed.js", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["content-encoding"] == "gzip"
    assert gzipped.num_bytes_downloaded < 4_096
    assert len(response.content) < 12_000  # readable source, not minified
    assert b"innerHTML" not in response.content
    assert partner.get("/embed.js", headers={"If-None-Match": response.headers["etag"]}
                       ).status_code == 304
