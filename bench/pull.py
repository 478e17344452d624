"""Bench rows for partner pulls (issue 13): 50 sources of which 49 answer 304, and reading a
5,000-event upstream .ics against icalendar parsing the same file."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar

from calfeed.harvest import pull
from calfeed.partners import PartnerSource
from calfeed.pull.mapping import map_items
from calfeed.pull.readers import read_body
from calfeed.settings import get_settings
from calfeed.source import load_source
from calfeed.store import create_db_engine
from tests.support.server import free_port, wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
SOURCES = 50
EVENTS = 5000

Add = Callable[..., None]


def pull_rows(add: Add, timed: Callable[..., float], ms: Callable[[float | None], str],
              ratio: Callable[[float | None, float | None], str]) -> None:
    with tempfile.TemporaryDirectory(prefix="calfeed-bench-pull-") as tmp:
        _fifty_sources(Path(tmp), add, ms)
    body = big_ics(EVENTS)
    source = PartnerSource("bench", "https://example.org/big.ics", "ics")

    def ours() -> Any:
        parsed = read_body(source, body, url=source.url, default_tz="Europe/Oslo", now=NOW)
        return map_items(source, parsed, fetched=NOW, default_tz="Europe/Oslo")

    mapped = ours()
    assert len(mapped.entries) >= EVENTS, (len(mapped.entries), mapped.skipped[:3])
    mine = timed(ours, repeat=3)
    reference = timed(lambda: Calendar.from_ical(body), repeat=3)
    within = mine <= 2 * reference
    add(f"`calfeed pull`: read, map and check a {EVENTS:,}-event upstream .ics "
        f"({len(body) / 1e6:.1f} MB, {len(mapped.entries):,} entries)", ms(mine),
        f"{ms(reference)} (icalendar parsing it)", ratio(mine, reference),
        f"within 2× of icalendar{' ✅' if within else ' ❌'}")


def _fifty_sources(root: Path, add: Add, ms: Callable[[float | None], str]) -> None:
    up = root / "up"
    up.mkdir()
    sample = (ROOT / "tests" / "data" / "pull" / "google.ics").read_bytes()
    for i in range(SOURCES):
        (up / f"s{i:02d}.ics").write_bytes(sample.replace(b"@google.com", f"@s{i}".encode()))
    port = free_port()
    # A separate process, so its CPU time is not counted as the pull's.
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(up)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/s00.ics", server)
        data = root / "events.yaml"
        lines = "".join(
            f"  s{i:02d}: {{url: 'http://127.0.0.1:{port}/s{i:02d}.ics', format: ics}}\n"
            for i in range(SOURCES))
        data.write_text("calendar: {title: T, uid_domain: kalender.example.no}\nsources:\n"
                        + lines, encoding="utf-8")
        settings = get_settings(data=data, database_url=f"sqlite:///{root / 'db.sqlite'}",
                                base_url="https://kalender.example.no", pull_allow_private=True)
        engine = create_db_engine(settings.database_url)
        source = load_source(data).source
        partners = list(source.sources.values())
        pull(engine, source, partners, NOW, settings=settings)  # all new: 200s
        changed = up / "s07.ics"
        changed.write_bytes(changed.read_bytes().replace(b"SEQUENCE:2", b"SEQUENCE:3")
                            .replace(b"Julem\xc3\xb8te", b"Julebord"))
        stamp = time.time() + 5  # http.server's Last-Modified has whole seconds
        os.utime(changed, (stamp, stamp))
        cpu, wall = time.process_time(), time.perf_counter()
        run = pull(engine, source, partners, NOW + timedelta(hours=6), settings=settings)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        engine.dispose()
        unchanged = sum(1 for s in run.sources if s.http == "HTTP 304 not modified")
        rendered = run.published.pieces_rendered if run.published else 0
        add(f"`calfeed pull` of {SOURCES} sources, {unchanged} answering 304 (one changed "
            f"entry; {rendered} pieces rendered)", f"{ms(cpu)} CPU",
            f"{ms(wall)} wall", "", f"well under 1 s{' ✅' if cpu < 1 else ' ❌'}")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(up, ignore_errors=True)


def big_ics(count: int) -> bytes:
    """An export like a busy partner's: mostly timed events in Europe/Oslo, some all-day and
    multi-day, some in UTC, a few weekly series; HTML-free descriptions and locations."""
    rng = random.Random(13)
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//calfeed//EN",
           "BEGIN:VTIMEZONE", "TZID:Europe/Oslo",
           "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
           "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
           "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
           "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
           "END:VTIMEZONE"]
    for i in range(count):
        day = NOW + timedelta(days=rng.randrange(0, 360))
        kind = i % 20
        out += ["BEGIN:VEVENT", f"UID:bench-{i}@example.org", "DTSTAMP:20240701T080000Z",
                f"SUMMARY:Kurs nummer {i} om menneskehandel", f"LOCATION:Sal {i % 30}\\, Oslo",
                f"DESCRIPTION:Beskrivelse av arrangement {i}.\\nPåmelding på nettsiden.",
                f"URL:https://example.org/kurs/{i}"]
        if kind == 0:
            out += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                    f"DTEND;VALUE=DATE:{day + timedelta(days=2):%Y%m%d}"]
        elif kind == 1:
            out += [f"DTSTART:{day:%Y%m%d}T080000Z", f"DTEND:{day:%Y%m%d}T100000Z"]
        else:
            out += [f"DTSTART;TZID=Europe/Oslo:{day:%Y%m%d}T{9 + i % 8:02d}0000",
                    f"DTEND;TZID=Europe/Oslo:{day:%Y%m%d}T{10 + i % 8:02d}3000"]
        if kind == 2:
            out.append("RRULE:FREQ=WEEKLY;COUNT=4")
        out.append("END:VEVENT")
    out.append("END:VCALENDAR")
    return ("\r\n".join(out) + "\r\n").encode()
