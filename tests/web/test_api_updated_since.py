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
SINCE = "2024-08-01T10:30:00Z"  # between the two syncs
SITE = "https://kalender.example.no"


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


def removing_two() -> str:
    """``edited()`` with the course removed too: two tombstones, a course and a deadline."""
    text = edited()
    start = text.index("  - id: kurs-ungdom")
    end = text.index("  - id: webinar-rus")
    return text[:start] + text[end:]


def changes(client: TestClient, query: str = "") -> tuple[list[str], list[str]]:
    """The ids of the items and of the tombstones for a mirror of this view, since half-way
    between the two syncs."""
    data = client.get(f"/api/v1/events?updated_since={SINCE}&from=2024-01-01&{query}").json()
    return [i["id"] for i in data["items"]], [r["id"] for r in data["removed"]]


def test_tombstones_follow_the_filters_of_the_items(serve: Serve):
    # A mirror of a filtered view is told to delete only what that view could have given it.
    serve(BASE)
    client = serve(removing_two(), now=LATER)
    # In the items' order: by start (the course on 21 August, the deadline on 16 September).
    assert changes(client) == (["webinar-rus"], ["kurs-ungdom", "horing-krisesenterloven"])
    assert changes(client, "type=deadline") == ([], ["horing-krisesenterloven"])
    assert changes(client, "feed=frister") == ([], ["horing-krisesenterloven"])
    assert changes(client, "type=course") == ([], ["kurs-ungdom"])
    assert changes(client, "tag=ungdom") == ([], ["kurs-ungdom"])
    assert changes(client, "tag=utnyttelse") == (["webinar-rus"], ["kurs-ungdom"])
    assert changes(client, "q=KRISESENTER") == ([], ["horing-krisesenterloven"])
    assert changes(client, "status=cancelled") == (["webinar-rus"], [])
    assert changes(client, "source=rvts-ost") == ([], [])  # the editor's entries have none


def test_every_tombstone_comes_once_across_the_pages(serve: Serve):
    # Items and tombstones are one list in (start, id) order, paged by `limit` and `cursor`.
    serve(BASE)
    client = serve(removing_two(), now=LATER)
    url: str | None = f"/api/v1/events?updated_since={SINCE}&from=2024-01-01&limit=1"
    pages = []
    while url:
        page = client.get(url).json()
        pages.append(page)
        url = page["next"].removeprefix(SITE) if page["next"] else None
        assert url is None or "updated_since=2024-08-01T10%3A30%3A00Z" in url
    assert [len(p["items"]) + len(p["removed"]) for p in pages] == [1, 1, 1]
    assert [r["id"] for p in pages for r in p["removed"]] == ["kurs-ungdom",
                                                              "horing-krisesenterloven"]
    assert [i["id"] for p in pages for i in p["items"]] == ["webinar-rus"]
    # Two at a time, and narrowed: the same tombstones, each once.
    first = client.get(f"/api/v1/events?updated_since={SINCE}&from=2024-01-01&limit=2"
                       "&tag=utnyttelse").json()
    assert [i["id"] for i in first["items"]] == ["webinar-rus"]
    assert [r["id"] for r in first["removed"]] == ["kurs-ungdom"] and first["next"] is None


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
