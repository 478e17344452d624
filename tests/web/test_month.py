"""``/month/{YYYY-MM}`` as served: a real table of weeks, entries on their days (spans on each
of theirs, deadlines as deadlines), filters and neighbouring months that keep them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.formats.pagecheck import document

Serve = Callable[..., TestClient]


def cells(body: bytes) -> dict[str, list[Any]]:
    """ISO day → the entry elements in its cell (days of the month and its neighbours)."""
    doc = document(body)
    return {td.cssselect("time.day-number")[0].get("datetime"): td.cssselect("li.cal-entry")
            for td in doc.cssselect("table.month-grid tbody td")}


def texts(elements: list[Any]) -> list[str]:
    return [" ".join(e.text_content().split()) for e in elements]


def test_the_month_is_a_table_with_weekday_and_week_headers(serve: Serve):
    response = serve("partner_site.yaml").get("/month/2024-08")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    doc = document(response.content)
    (table,) = doc.cssselect("table.month-grid")
    assert table.cssselect("caption")[0].text_content() == "August 2024"
    # Seen: "ons"; heard: "onsdag".
    shown = [th.cssselect("[aria-hidden]")[0].text_content() for th in table.cssselect("thead th")]
    assert shown == ["U", "man", "tir", "ons", "tor", "fre", "lør", "søn"]
    heard = [th.cssselect(".visually-hidden")[0].text_content()
             for th in table.cssselect("thead th")]
    assert heard == ["Uke", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag",
                     "søndag"]
    assert all(th.get("scope") == "col" for th in table.cssselect("thead th"))
    rows = table.cssselect("tbody tr")
    # 29 July (Monday) to 1 September (Sunday): five weeks, 31 to 35.
    assert [r.cssselect("th")[0].text_content().split()[-1] for r in rows] == \
        ["31", "32", "33", "34", "35"]
    assert all(len(r.cssselect("td")) == 7 for r in rows)
    days = cells(response.content)
    assert (min(days), max(days), len(days)) == ("2024-07-29", "2024-09-01", 35)
    # Today (the test clock's 1 August) is marked for assistive technology too.
    (today,) = doc.cssselect('td[aria-current="date"]')
    assert today.cssselect("time")[0].get("datetime") == "2024-08-01"


def test_entries_sit_on_their_days_spans_on_each_and_deadlines_as_deadlines(serve: Serve):
    days = cells(serve("partner_site.yaml").get("/month/2024-08").content)
    # The two-day course is a bar over both days; the second says which day it is.
    assert texts(days["2024-08-21"]) == ["Ungdom utnyttet til kriminalitet"]
    assert "first" in days["2024-08-21"][0].get("class").split()
    assert texts(days["2024-08-22"]) == ["Ungdom utnyttet til kriminalitet (dag 2 av 2)"]
    assert "last" in days["2024-08-22"][0].get("class").split()
    # A deadline due at noon: on its day, with its time, as a deadline.
    (due,) = days["2024-08-05"]
    assert "deadline" in due.get("class").split()
    assert texts([due]) == ["12:00 Frist: Innspill til handlingsplan (innen kl. 12)"]
    assert due.cssselect("a")[0].get("href") == "/events/frist-klokkeslett"
    # What was over by the clock's 1 August looks so; what is ahead does not.
    (past,) = cells(serve("partner_site.yaml").get("/month/2024-07").content)["2024-07-25"]
    assert "ended" in past.get("class").split()
    assert "ended" not in days["2024-08-21"][0].get("class").split()
    # Titles are text, never markup.
    assert texts(days["2024-08-29"]) == ["<img src=x onerror=alert(1)> & <b>fet</b> tittel"]
    assert not any(days[d] for d in ("2024-08-02", "2024-08-03"))


def test_cancelled_tentative_and_recurring_entries(serve: Serve):
    client = serve("partner_site.yaml")
    september = cells(client.get("/month/2024-09").content)
    cancelled = september["2024-09-17"][0]
    assert "cancelled" in cancelled.get("class").split()
    assert texts([cancelled])[0].startswith("Avlyst: Nordisk")
    assert cancelled.cssselect("del")
    october = cells(client.get("/month/2024-10").content)
    assert texts(october["2024-10-01"]) == ["12:00 Seminar om rettspraksis (Foreløpig)"]
    # A recurring deadline is on each of its days: the last day of April, August, December.
    december = cells(client.get("/month/2024-12").content)
    assert texts(december["2024-12-31"]) == [
        "Frist: Innspill til oversikt over rettsavgjørelser"]


def test_filters_and_month_links_keep_the_view(serve: Serve):
    client = serve("partner_site.yaml")
    body = client.get("/month/2024-08?type=deadline").content
    doc = document(body)
    days = cells(body)
    assert texts(days["2024-08-21"]) == []  # the course is not a deadline
    assert texts(days["2024-08-05"]) != []
    prev_link = doc.cssselect('.month-nav a[rel="prev"]')[0]
    next_link = doc.cssselect('.month-nav a[rel="next"]')[0]
    assert prev_link.get("href") == "/month/2024-07?type=deadline"
    assert next_link.get("href") == "/month/2024-09?type=deadline"
    assert next_link.text_content().strip().startswith("Neste måned: September 2024")
    current = doc.cssselect('.filters a[aria-current="page"]')
    assert "/month/2024-08?type=deadline" in [a.get("href") for a in current]
    # Across a year boundary, with a named feed.
    doc = document(client.get("/month/2025-01?feed=frister").content)
    assert doc.cssselect('.month-nav a[rel="prev"]')[0].get("href") == \
        "/month/2024-12?feed=frister"
    assert doc.cssselect("a.list-link")[0].get("href") == "/?feed=frister"


@pytest.mark.parametrize(("path", "status", "parameter"), [
    ("/month/2024-13", 400, "month"), ("/month/24-08", 400, "month"),
    ("/month/2024-8", 400, "month"), ("/month/august", 400, "month"),
    ("/month/2024-08?type=party", 400, "type"), ("/month/2024-08?feed=nope", 404, "feed"),
])
def test_bad_months_and_filters_are_named(serve: Serve, path: str, status: int,
                                          parameter: str):
    client = serve("partner_site.yaml")
    problem = client.get(path, headers={"Accept": "application/json"})
    assert problem.status_code == status
    assert problem.json()["parameter"] == parameter
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == status and "text/html" in page.headers["content-type"]


def test_the_month_page_is_cached_like_every_page(serve: Serve):
    client = serve("partner_site.yaml")
    first = client.get("/month/2024-08")
    again = client.get("/month/2024-08", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert "frame-ancestors 'none'" in first.headers["content-security-policy"]
