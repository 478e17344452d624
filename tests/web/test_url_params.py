"""Nothing in a URL gets a 500 (issue 12): a tampered cursor, dates at the ends of what Python
can hold, huge numbers, odd zones and text, on every public route. A bad value is a 4xx naming
its parameter; tests/web/test_api_schemathesis.py fuzzes the API against its OpenAPI
description, this file the rest of the URLs and the values that description cannot foresee.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

Serve = Callable[..., TestClient]


def cursor(start: str, entry_id: str = "kurs-ungdom-utnyttet") -> str:
    raw = json.dumps({"start": start, "id": entry_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture
def partner(serve: Serve) -> TestClient:
    return serve("partner_site.yaml")


@pytest.mark.parametrize("start", [
    "0001-01-01T00:00:00+01:00",  # before: OverflowError in decode_cursor, a 500
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00",  # no offset
    "2024-08-21",  # a date, not a time
])
def test_a_tampered_cursor_is_a_400_naming_cursor(partner: TestClient, start: str) -> None:
    response = partner.get(f"/api/v1/events?cursor={cursor(start)}")
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == "cursor"


def test_a_cursor_at_the_ends_of_the_calendar_still_pages(partner: TestClient) -> None:
    for start in ("1900-01-01T00:00:00+00:00", "2199-12-31T23:00:00+00:00"):
        assert partner.get(f"/api/v1/events?cursor={cursor(start)}").status_code == 200


# --- every route, generated values -------------------------------------------------------------

ROUTES = ["/", "/archive", "/page/{n}", "/archive/page/{n}", "/calendar.ics",
          "/feeds/{name}.ics", "/feed.atom", "/feed.rss", "/feeds/{name}.atom",
          "/feeds/{name}.rss", "/events/{id}", "/events/{id}.ics", "/api/v1/events",
          "/api/v1/events/{id}", "/api/v1/feeds", "/api/v1/fullcalendar", "/embed.js",
          "/embed/list", "/month/{month}", "/healthz"]
PARAMETERS = ["from", "to", "start", "end", "timeZone", "type", "tag", "feed", "q", "status",
              "limit", "cursor", "lang", "alarm", "page", "source"]

_years = st.sampled_from([0, 1, 1899, 1900, 2024, 2199, 2200, 9999, 10000]) | \
    st.integers(0, 99999)
_dates = st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", _years, st.integers(0, 13),
                   st.integers(0, 32))
_offsets = st.sampled_from(["", "Z", "+00:00", "+14:00", "-12:00", "+23:59", "-99:99", "+1400"])
_datetimes = st.builds(lambda d, t, o: f"{d}T{t}{o}", _dates,
                       st.sampled_from(["00:00:00", "23:59:59", "24:00", "12:00:00.999999"]),
                       _offsets)
_months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", _years, st.integers(0, 13))
_numbers = st.sampled_from(["0", "-1", "1", "500", "501", "99999999999999999999", "1e9",
                            "NaN", "0x10", " 1"]) | st.integers().map(str)
_words = st.sampled_from(["all", "frister", "course", "deadline", "ungdom", "nb", "en", "UTC",
                          "local", "Europe/Oslo", "Pacific/Kiritimati", "../etc/passwd",
                          "1d", "2h,1w,3d", "99999999w", "0d", "1d,1d,1d,1d", "-1d", ""])
_values = st.one_of(_dates, _datetimes, _numbers, _words, st.text(max_size=30),
                    st.builds(cursor, _datetimes))


@st.composite
def urls(draw: st.DrawFn) -> str:
    route = draw(st.sampled_from(ROUTES))
    path = route.format(
        n=draw(_numbers), name=quote(draw(_words), safe=""),
        month=quote(draw(_months | _words | _dates), safe=""),
        id=quote(draw(st.sampled_from(["kurs-ungdom-utnyttet", "rettsavgjorelser"]) | _words),
                 safe=""))
    params = draw(st.lists(st.tuples(st.sampled_from(PARAMETERS), _values), max_size=4))
    return path + ("?" + urlencode(params) if params else "")


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(url=urls())
def test_nothing_in_a_url_is_a_server_error(partner: TestClient, url: str) -> None:
    response = partner.get(url)
    event(f"{url.split('?')[0].split('/')[1]} {response.status_code}")
    assert response.status_code < 500, (url, response.text[:300])
    if response.status_code == 400 and url.startswith("/api/"):  # pages answer in HTML
        assert response.headers["content-type"] == "application/problem+json", url
