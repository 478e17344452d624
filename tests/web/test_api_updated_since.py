"""API ``updated_since`` for partners who mirror the data: entries changed or cancelled since an
instant, and removals as tombstones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from tests.conftest import DATA, NOW

Serve = Callable[..., TestClient]
BASE = (DATA / "sync_base.yaml").read_text(encoding="utf-8")
LATER = NOW + timedelta(hours=1)


def edited() -> str:
    """The editor's next version: the course moves, the webinar is cancelled, the deadline
    is removed; the recurring entry is untouched."""
    text = BASE.replace("start: 2024-08-21\n    end: 2024-08-22",
                        "start: 2024-08-28\n    end: 2024-08-29")
    text = text.replace("    tags: [utnyttelse]\n",
                        "    tags: [utnyttelse]\n    status: cancelled\n", 1)
    start = text.index("  - id: horing-krisesenterloven")
    end = text.index("  - id: rettsavgjorelser")
    return text[:start] + text[end:]


def test_only_what_changed_since_and_what_was_removed(serve: Serve):
    serve(BASE)
    client = serve(edited(), now=LATER)
    since = (NOW + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get(f"/api/v1/events?updated_since={since}&from=2024-01-01")
    assert response.status_code == 200
    data = response.json()
    assert sorted(item["id"] for item in data["items"]) == ["kurs-ungdom", "webinar-rus"]
    by_id = {item["id"]: item for item in data["items"]}
    assert by_id["webinar-rus"]["status"] == "cancelled"
    assert by_id["kurs-ungdom"]["start"] == "2024-08-28"
    assert data["removed"] == [{"id": "horing-krisesenterloven",
                                "removed": "2024-08-01T11:00:00Z"}]
    # Nothing since the later sync: an empty list and no removals.
    after = client.get("/api/v1/events?updated_since=2024-08-01T11:00:01Z&from=2024-01-01")
    assert after.json()["items"] == [] and after.json()["removed"] == []
    # Since before everything: every entry, and the removal.
    everything = client.get("/api/v1/events?updated_since=2024-01-01T00:00:00%2B02:00"
                            "&from=2024-01-01&to=2024-12-31").json()
    assert {i["id"] for i in everything["items"]} == {"kurs-ungdom", "webinar-rus",
                                                      "rettsavgjorelser"}
    # Without the parameter, the response has no removed list (unchanged for old clients).
    assert "removed" not in client.get("/api/v1/events").json()


def test_removals_come_on_the_first_page_and_paging_keeps_the_filter(serve: Serve):
    serve(BASE)
    client = serve(edited(), now=LATER)
    first = client.get("/api/v1/events?updated_since=2024-08-01T10:30:00Z&from=2024-01-01"
                       "&limit=1").json()
    assert len(first["items"]) == 1 and first["removed"]
    assert "updated_since=2024-08-01T10%3A30%3A00Z" in first["next"]
    second = client.get(first["next"].removeprefix("https://kalender.example.no")).json()
    assert len(second["items"]) == 1 and second["removed"] == []
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {"kurs-ungdom", "webinar-rus"}


def test_a_bad_instant_is_named(serve: Serve):
    client = serve(BASE)
    for value in ("yesterday", "2024-08-01T10:00:00", "2024-13-01T00:00:00Z"):
        response = client.get(f"/api/v1/events?updated_since={value}")
        assert response.status_code == 400, value
        assert response.json()["parameter"] == "updated_since", value


def test_openapi_documents_updated_since_and_the_tombstones(serve: Serve):
    spec = serve(BASE).get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert "tombstones" in params["updated_since"]["description"]
    assert "removed" in spec["components"]["schemas"]["EventList"]["properties"]
    assert "Tombstone" in spec["components"]["schemas"]
