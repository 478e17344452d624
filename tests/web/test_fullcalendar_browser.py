"""FullCalendar 6 (from npm, served by the test) on a partner page from another origin, reading
/api/v1/fullcalendar from a running calfeed: each event lands on its day(s) in real Chromium,
and a pulled event's source reaches the page's hooks in ``extendedProps``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi import FastAPI
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import Engine

from calfeed.harvest import pull
from calfeed.settings import Settings
from calfeed.source import load_source
from tests.conftest import NOW
from tests.pull.conftest import DATA as PULL_DATA
from tests.pull.conftest import OWN, SOURCES, sources
from tests.support.browser import console_errors
from tests.support.paths import NODE_MODULES, NPM_HINT
from tests.support.require import require
from tests.support.server import serve_app, serve_directory
from tests.support.upstream import serve_upstream

PARTNER = Path(__file__).parent.parent / "data" / "partner"
FULLCALENDAR = NODE_MODULES / "fullcalendar" / "index.global.min.js"


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not visible"
    return found


def test_fullcalendar_shows_events_on_their_days(tmp_path: Path, publish: Callable[..., None],
                                                 app: FastAPI, page: Page) -> None:
    require(FULLCALENDAR.is_file(), f"tests/js/node_modules/fullcalendar not installed: {NPM_HINT}")
    publish("partner_site.yaml")
    # The example page's layout, with FullCalendar where its relative path expects it.
    site = tmp_path / "site"
    (site / "data" / "partner").mkdir(parents=True)
    (site / "js" / "node_modules" / "fullcalendar").mkdir(parents=True)
    shutil.copy(FULLCALENDAR, site / "js" / "node_modules" / "fullcalendar")
    shutil.copy(PARTNER / "fullcalendar-page.js", site / "data" / "partner")
    with serve_app(app) as calfeed, serve_directory(site) as origin:
        html = (PARTNER / "fullcalendar.html").read_text(encoding="utf-8")
        html = html.replace("http://127.0.0.1:8000", calfeed).replace(
            'data-initial-date="2024-09-01"', 'data-initial-date="2024-08-01"')
        (site / "data" / "partner" / "fullcalendar.html").write_text(html, encoding="utf-8")
        page.goto(origin + "/data/partner/fullcalendar.html")

        def day(iso: str) -> Locator:
            return page.locator(f'td.fc-daygrid-day[data-date="{iso}"]')

        def event(title: str) -> Locator:
            return page.locator("a.fc-event", has_text=title)

        expect(page.locator(".fc-toolbar-title")).to_have_text("August 2024")
        webinar = day("2024-08-27").locator("a.fc-event", has_text="Frokostwebinar")
        expect(webinar).to_be_visible()
        expect(webinar.locator(".fc-event-time")).to_have_text("8:30a")  # 08:30 in Oslo
        deadline = day("2024-08-05").locator(
            "a.fc-event", has_text="Frist: Innspill til handlingsplan (innen kl. 12)")
        expect(deadline.locator(".fc-event-time")).to_have_text("12p")
        expect(day("2024-08-31").locator("a.fc-event")).to_contain_text(
            "Frist: Innspill til oversikt over rettsavgjørelser")  # a recurring deadline

        # The two-day course spans exactly 21 and 22 August (end exclusive on the wire).
        course = event("Ungdom utnyttet til kriminalitet")
        expect(course).to_have_count(1)
        span, first, last = box(course), box(day("2024-08-21")), box(day("2024-08-22"))
        assert abs(span["x"] - first["x"]) < 6
        assert abs((span["x"] + span["width"]) - (last["x"] + last["width"])) < 6
        assert first["y"] <= span["y"] <= first["y"] + first["height"]

        markup = day("2024-08-29").locator("a.fc-event")
        expect(markup).to_contain_text("<img src=x onerror=alert(1)> & <b>fet</b> tittel")
        assert page.locator("#calendar img, #calendar b").count() == 0
        expect(event("UN webinar")).to_have_count(0)  # 10 September: not in this view
        assert course.get_attribute("href") == \
            "https://kalender.example.no/events/kurs-ungdom-utnyttet"
        assert console_errors(page) == []


def test_fullcalendar_reads_the_source_of_each_pulled_event(
        tmp_path: Path, settings: Settings, engine: Engine, app: FastAPI, page: Page) -> None:
    require(FULLCALENDAR.is_file(), f"tests/js/node_modules/fullcalendar not installed: {NPM_HINT}")
    local = settings.model_copy(update={"pull_allow_private": True})
    shutil.copytree(PULL_DATA, tmp_path / "up")
    with serve_upstream(tmp_path / "up") as upstream:
        local.data.write_text(sources(upstream) + OWN, encoding="utf-8")
        source = load_source(local.data).source
        # In a worker thread: Playwright's sync API runs an event loop in this one.
        with ThreadPoolExecutor(1) as worker:
            run = worker.submit(pull, engine, source, list(source.sources.values()), NOW,
                                settings=local).result()
    assert [s.outcome for s in run.sources] == ["applied"] * 3
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(FULLCALENDAR, site / "fullcalendar.js")
    with serve_app(app) as calfeed, serve_directory(site) as origin:
        # A partner page that shows each event's source from extendedProps, as FullCalendar
        # hands custom fields to a page's hooks.
        (site / "index.html").write_text(f"""<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Partner</title>
<link rel="icon" href="data:,"><script src="fullcalendar.js"></script></head>
<body><div id="calendar"></div><script>
new FullCalendar.Calendar(document.getElementById("calendar"), {{
  initialView: "listYear", initialDate: "2024-08-01", timeZone: "Europe/Oslo",
  events: "{calfeed}/api/v1/fullcalendar",
  eventDidMount: function (info) {{
    info.el.dataset.id = info.event.id;
    info.el.dataset.source = info.event.extendedProps.source || "";
  }}
}}).render();
</script></body></html>""", encoding="utf-8")
        page.goto(origin + "/index.html")
        page.wait_for_selector("tr.fc-list-event[data-id='kurs-redaksjonen']")
        shown = page.eval_on_selector_all(
            "tr.fc-list-event", "rows => rows.map(r => [r.dataset.id, r.dataset.source])")
        assert console_errors(page) == []
    by_id = dict(shown)
    assert by_id["kurs-redaksjonen"] == ""  # the editor's own
    assert {s for s in by_id.values() if s} == SOURCES
    assert all(i.startswith(f"{s}-") for i, s in by_id.items() if s)
