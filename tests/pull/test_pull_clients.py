"""Pulled Outlook, Teams and Nextcloud calendars as subscribers' clients read our feed: the
strict RFC 5545 parser and ical.js (which uses only the document's own VTIMEZONEs) see the
times, all-day spans and cancellations the partner meant."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calfeed.harvest import pull
from calfeed.settings import Settings
from calfeed.source import load_source
from calfeed.web import create_app
from tests.conftest import NOW
from tests.support.clock import MovableClock
from tests.support.icaljs import parse_with_icaljs
from tests.support.strict_ical import parse_strict
from tests.support.upstream import serve_upstream

DATA = Path(__file__).parent.parent / "data" / "pull"


def _feed(settings: Settings, engine: Engine, tmp_path: Path) -> bytes:
    shutil.copytree(DATA, tmp_path / "up")
    local = settings.model_copy(update={"pull_allow_private": True, "pull_timeout": 10.0})
    with serve_upstream(tmp_path / "up") as upstream:
        local.data.write_text(f"""calendar:
  title: KOM
  uid_domain: kalender.example.no
sources:
  bufdir: {{url: '{upstream.url("outlook.ics")}', format: ics}}
  teams: {{url: '{upstream.url("teams.ics")}', format: ics, type: webinar}}
  nettverk: {{url: '{upstream.url("nextcloud.ics")}', format: ics, type: meeting}}
""", encoding="utf-8")
        source = load_source(local.data).source
        run = pull(engine, source, list(source.sources.values()), NOW, settings=local)
        assert [s.outcome for s in run.sources] == ["applied"] * 3
    with TestClient(create_app(local, clock=MovableClock(NOW))) as client:
        response = client.get("/calendar.ics")
        assert response.status_code == 200
        return response.content


def _by_summary(events: list[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for event in events:
        found.setdefault(event["summary"], []).append(event)
    return found


def test_strict_parser_reads_the_partners_times_and_statuses(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    events = _by_summary(parse_strict(_feed(settings, engine, tmp_path)))
    fagdag, = events["Fagdag: Barn utnyttet i menneskehandel"]
    assert fagdag["start"] == datetime(2024, 9, 17, 7, 0, tzinfo=UTC)  # 09:00 in Oslo
    webinar, = events["Labor trafficking in supply chains (webinar)"]
    assert webinar["start"] == datetime(2024, 11, 6, 15, 0, tzinfo=UTC)  # 10:00 New York
    samling, = events["Nasjonal samling mot menneskehandel"]
    assert (samling["all_day"], samling["start"], samling["end"]) == (
        True, date(2024, 10, 23), date(2024, 10, 25))
    cancelled, = events["AVLYST: Nettverksmøte Vest"]
    assert cancelled["status"] == "CANCELLED"
    moved, = events["Nettverksmøte (månedlig) – flyttet til onsdag"]
    assert moved["start"] == datetime(2024, 11, 6, 12, 0, tzinfo=UTC)
    december, = events["AVLYST: Nettverksmøte (månedlig)"]
    assert december["start"] == datetime(2024, 12, 3, 9, 0, tzinfo=UTC)
    assert "Lege" not in events  # CLASS:PRIVATE never reaches subscribers


def test_icaljs_reads_the_same_with_our_vtimezones(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    parsed = parse_with_icaljs(_feed(settings, engine, tmp_path), "2024-01-01", "2026-01-01")
    events = _by_summary(parsed["events"])
    assert events["Fagdag: Barn utnyttet i menneskehandel"][0]["start"] == "2024-09-17T07:00:00Z"
    assert events["Digitalt frokostmøte: Ny handlingsplan"][0]["start"] == \
        "2024-10-15T06:30:00Z"
    assert events["Nordisk seminar i Berlin"][0]["start"] == "2024-11-20T17:00:00Z"
    assert events["Nasjonal samling mot menneskehandel"][0]["end"] == "2024-10-25"
    uids = [e["uid"] for e in parsed["events"]]
    assert len(uids) == len(set(uids))
