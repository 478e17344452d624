"""The benchmark: one run, one table, so every figure can be read as a ratio to its reference.

    .venv/bin/python bench/run.py                 # 100, 1,000 and 10,000 entries
    .venv/bin/python bench/run.py --quick         # 100 and 1,000, shorter wrk runs
    .venv/bin/python bench/run.py --write         # also write bench/RESULTS.md

Everything runs on loopback, against temporary SQLite files and a fixed clock (the generated
data is relative to 2024-08-01), and every process it starts is stopped before it exits.
A route that is not there yet (404) is shown as "n/a".
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from bench.generate import generate  # noqa: E402
from bench.pull import pull_rows  # noqa: E402
from calfeed.errors import SourceError  # noqa: E402
from calfeed.formats import ics  # noqa: E402
from calfeed.formats.context import RenderContext  # noqa: E402
from calfeed.formats.pieces import KINDS  # noqa: E402
from calfeed.formats.select import Filter, select  # noqa: E402
from calfeed.model import Published, Snapshot, Source  # noqa: E402
from calfeed.publish import Publication, publish  # noqa: E402
from calfeed.settings import Settings, get_settings  # noqa: E402
from calfeed.source import load_source, parse_source  # noqa: E402
from calfeed.store import create_db_engine  # noqa: E402
from calfeed.web import create_app  # noqa: E402
from tests.support.server import free_port, wait_until_answering  # noqa: E402

NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
BASE_URL = "https://kalender.example.no"
TODAY = NOW.date()
FORMATS = ("/calendar.ics", "/feed.atom", "/feed.rss", "/api/v1/events?limit=50", "/")
HTTP_PATHS = ("/calendar.ics", "/feed.atom", "/api/v1/events?limit=50")
RSS_PATHS = (*FORMATS, "/feeds/frister.ics", "/feeds/arrangementer.atom",
             "/api/v1/events?limit=500")
NARROW = Filter(types=("course",), tags=("menneskehandel",))  # as a partner site would ask
WIDE = Filter(types=("meeting", "conference", "course", "webinar", "seminar", "event"))
EVERY = Filter(types=("course", "conference", "webinar", "seminar", "meeting", "event",
                      "deadline"))  # every entry, under a URL never asked for before
NA = "n/a"

NGINX = """
daemon off;
worker_processes 2;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    {access_log};
    client_body_temp_path {d}/tmp-body;
    proxy_temp_path {d}/tmp-proxy;
    fastcgi_temp_path {d}/tmp-fastcgi;
    uwsgi_temp_path {d}/tmp-uwsgi;
    scgi_temp_path {d}/tmp-scgi;
    types {{ text/calendar ics; }}
    sendfile on;
    tcp_nopush on;
    etag on;
    gzip_static on;
    server {{
        listen 127.0.0.1:{port};
        root {d}/www;
    }}
}}
"""


# --- the table -----------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    value: str
    reference: str = ""
    ratio: str = ""
    target: str = ""


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def add(self, *cells: str) -> None:
        self.rows.append(Row(*cells))
        print(f"  {' | '.join(c for c in cells if c)}", file=sys.stderr, flush=True)

    def markdown(self) -> str:
        head = ("| Measurement | calfeed | Reference | Ratio | Issue target |\n"
                "|---|---:|---:|---:|---|\n")
        return head + "".join(
            f"| {r.what} | {r.value} | {r.reference} | {r.ratio} | {r.target} |\n"
            for r in self.rows)


def ms(seconds: float | None) -> str:
    if seconds is None:
        return NA
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds * 1000:.2f} ms"


def ratio(a: float | None, b: float | None, unit: str = "×") -> str:
    if a is None or b is None or b == 0:
        return NA
    if unit == "%":
        return f"{100 * a / b:.0f} %"
    return f"{a / b:.2f}×"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else (" ✅" if ok else " ❌")


def timed(fn: Callable[[], Any], repeat: int = 1) -> float:
    """The median of ``repeat`` runs, in seconds (the machine is shared; medians are steadier)."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# --- the machine ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with contextlib.suppress(OSError, IndexError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    tools = []
    for tool, args in (("wrk", ["--version"]), ("nginx", ["-v"])):
        path = shutil.which(tool)
        if path:
            out = subprocess.run([path, *args], capture_output=True, text=True, timeout=10)
            tools.append((out.stdout + out.stderr).splitlines()[0].strip())
        else:
            tools.append(f"{tool}: not installed")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return (
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or 'unknown'}\n"
        f"- CPU: {cpu}, `nproc` = {len(os.sched_getaffinity(0))}\n"
        f"- Memory: {mem}; load average at start: {load}\n"
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__})\n"
        f"- {'; '.join(tools)}\n"
    )


# --- a data set on disk --------------------------------------------------------------------------


@dataclass
class DataSet:
    n: int
    dir: Path
    yaml: Path
    db: str

    def settings(self) -> Settings:
        return get_settings(data=self.yaml, database_url=self.db,
                            base_url=BASE_URL, log_level="warning")


def make_dataset(n: int, root: Path) -> DataSet:
    folder = root / f"n{n}"
    folder.mkdir()
    path = folder / "events.yaml"
    path.write_text(generate(n), encoding="utf-8")
    return DataSet(n, folder, path, f"sqlite:///{folder / 'calfeed.db'}")


def check_and_sync(ds: DataSet, table: Table) -> None:
    label = f"{ds.n:,} entries"
    text = ds.yaml.read_text(encoding="utf-8")
    repeat = 5 if ds.n <= 1000 else 2
    pyyaml = timed(lambda: yaml.load(ds.yaml.read_text(encoding="utf-8"),
                                     Loader=yaml.CSafeLoader), repeat)
    check = timed(lambda: load_source(ds.yaml), repeat)
    target = ""
    if ds.n >= 10_000:
        target = "≤ 2×" + verdict(check <= 2 * pyyaml)
    table.add(f"`check` (load_source), {label}", ms(check),
              f"PyYAML CSafeLoader {ms(pyyaml)}", ratio(check, pyyaml), target)

    source = load_source(ds.yaml).source
    engine = create_db_engine(ds.db)

    def timed_sync(src: Source, minutes: int) -> tuple[float, Publication]:
        # What `calfeed sync` does, with the servers' base_url: it stores each entry's
        # pieces for it, so the servers below start warm.
        start = time.perf_counter()
        report = publish(ds.settings(), engine, src, NOW + timedelta(minutes=minutes))
        return time.perf_counter() - start, report

    try:
        first, first_report = timed_sync(source, 0)
        unchanged, unchanged_report = timed_sync(source, 1)
        # Change one entry's title, as an editor would; parse outside the timing.
        marker = '    title: "'
        at = text.index(marker) + len(marker)
        edited = parse_source(text[:at] + "Endret: " + text[at:]).source
        one, one_report = timed_sync(edited, 2)
        # Put the original back so later rows serve the generated data as written.
        timed_sync(source, 3)
    finally:
        engine.dispose()
    renders = " / ".join(f"{r.pieces_rendered:,}"
                         for r in (first_report, unchanged_report, one_report))
    target = ("unchanged changes nothing"
              + verdict(not unchanged_report.report.changed_anything)
              + "; re-renders nothing" + verdict(unchanged_report.pieces_rendered == 0)
              + f"; one change re-renders one entry's {len(KINDS)} pieces"
              + verdict(one_report.pieces_rendered == len(KINDS)))
    table.add(f"`sync` first / unchanged / one changed, {label}",
              f"{ms(first)} / {ms(unchanged)} / {ms(one)}",
              f"pieces rendered: {renders}", "", target)


# Repeat rules with no date at all: dateutil alone would search up to the year 9999.
NEVER = ("FREQ=WEEKLY;BYWEEKNO=53;BYMONTH=6", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
         "FREQ=MONTHLY;BYYEARDAY=366;BYMONTH=1", "FREQ=WEEKLY;BYYEARDAY=-366;BYMONTH=12")


def never_happening(table: Table) -> None:
    text = "calendar: {title: T, uid_domain: kalender.example.no}\nentries:\n" + "".join(
        f"  - {{id: r-{i}, type: event, title: R, start: 2024-04-30, repeat: '{rule}'}}\n"
        for i, rule in enumerate(NEVER))

    def check() -> None:
        with contextlib.suppress(SourceError):
            parse_source(text)

    table.add(f"`check` refusing {len(NEVER)} repeat rules that never happen", ms(timed(check)),
              "", "", "")


# --- rendering in-process ------------------------------------------------------------------------


def get(client: TestClient, path: str) -> tuple[float | None, int]:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        return None, response.status_code
    return elapsed, 200


def never_seen(app: FastAPI, client: TestClient, path: str,
               trials: int = 5) -> tuple[float | None, int]:
    """The median time to serve ``path`` as if no one had asked for it at this revision: each
    trial starts with empty response caches (the per-entry pieces stay, as they do when a
    new URL is asked for)."""
    times: list[float] = []
    status = 0
    for _ in range(trials):
        state = app.state.serving.current()
        state.responses.clear()
        state.replays.items.clear()
        took, status = get(client, path)
        if took is None:
            return None, status
        times.append(took)
    return statistics.median(times), status


def plain_ics(entries: list[Published], uid_domain: str) -> str:
    """A deliberately minimal iCalendar serializer: f-strings, escaping and folding, no library.
    The issue's reference point for what a string-assembled feed costs."""

    def esc(text: str) -> str:
        return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\n", "\\n"))

    def fold(line: str) -> str:
        if len(line) <= 74:
            return line
        return "\r\n ".join(line[i:i + 73] for i in range(0, len(line), 73))

    def when(name: str, value: date | datetime, tz: str) -> str:
        if isinstance(value, datetime):
            return f"{name};TZID={tz}:{value:%Y%m%dT%H%M%S}"
        return f"{name};VALUE=DATE:{value:%Y%m%d}"

    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//plain//EN"]
    for p in entries:
        e = p.entry
        end = e.end if isinstance(e.end, datetime) else e.end + timedelta(days=1)
        lines = [
            "BEGIN:VEVENT", f"UID:{e.id}@{uid_domain}",
            f"DTSTAMP:{p.last_modified.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            when("DTSTART", e.start, e.timezone), when("DTEND", end, e.timezone),
            f"SUMMARY:{esc(e.title)}", f"SEQUENCE:{p.sequence}", f"STATUS:{e.status.upper()}",
        ]
        if e.description:
            lines.append(f"DESCRIPTION:{esc(e.description)}")
        if e.location:
            lines.append(f"LOCATION:{esc(e.location)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        if e.repeat:
            lines.append(f"RRULE:{e.repeat}")
        if e.tags:
            lines.append(f"CATEGORIES:{','.join(esc(t) for t in e.tags)}")
        lines.append("END:VEVENT")
        out.extend(fold(line) for line in lines)
    out.append("END:VCALENDAR")
    return "\r\n".join(out) + "\r\n"


def icalendar_from_scratch(snapshot: Snapshot, entries: list[Published],
                           ctx: RenderContext) -> float:
    """Seconds to build and serialize ``entries`` with calfeed's icalendar builder, no cache."""
    start = time.perf_counter()
    ics.build_calendar(snapshot, entries, "bench", None, None, ctx).to_ical()
    return time.perf_counter() - start


def render(ds: DataSet, table: Table) -> None:
    label = f"{ds.n:,}"
    app = create_app(ds.settings(), clock=lambda: NOW)
    with TestClient(app) as client:
        for path in FORMATS:
            cold, status = get(client, path)
            warm = None
            if cold is not None:
                warm = statistics.median(get(client, path)[0] or 0 for _ in range(5))
            note = "" if cold is not None else f" (HTTP {status})"
            table.add(f"`GET {path}` cold / warm, {label} entries",
                      f"{ms(cold)} / {ms(warm)}{note}", "", ratio(cold, warm), "")
        state = app.state.serving.current()
        assert state is not None
        snapshot, ctx = state.snapshot, state.context
        uid_domain = snapshot.calendar.uid_domain
        views = (("narrow", NARROW), ("wide: every type but deadlines", WIDE),
                 ("every type", EVERY))
        for name, view in views:
            query = "&".join([f"type={t}" for t in view.types] + [f"tag={t}" for t in view.tags])
            served, status = never_seen(app, client, f"/calendar.ics?{query}")
            repeat, _ = get(client, f"/calendar.ics?{query}")  # the in-process client's floor
            entries = select(snapshot, view, TODAY)
            plain = timed(functools.partial(plain_ics, entries, uid_domain), 3)
            built = icalendar_from_scratch(snapshot, entries, ctx)
            target = ""
            if served is not None and ds.n == 1000 and view is not NARROW:
                target = ("≤ 2× plain" + verdict(served <= 2 * plain) + "; ≥ 10× faster than "
                          "icalendar" + verdict(built >= 10 * served))
            table.add(
                f"never-seen filtered `.ics` ({name}; {len(entries):,} of {label})",
                f"{ms(served)} (repeat: {ms(repeat)})" if served is not None
                else f"{NA} (HTTP {status})",
                f"plain f-strings {ms(plain)}; icalendar (`ics.build_calendar`) {ms(built)}",
                f"{ratio(served, plain)} plain; {ratio(served, built)} icalendar", target)


# --- HTTP with wrk, calfeed and nginx ------------------------------------------------------------


def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, b"", dict(exc.headers)


@contextlib.contextmanager
def running(args: list[str], ready_url: str, **kwargs: Any) -> Iterator[subprocess.Popen[bytes]]:
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, **kwargs)
    try:
        wait_until_answering(ready_url, proc, within=60)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@contextlib.contextmanager
def calfeed_serve(ds: DataSet, workers: int) -> Iterator[str]:
    """`calfeed serve` itself, as an operator runs it (the real clock; no access log)."""
    port = free_port()
    env = {**os.environ, "CALFEED_DATA": str(ds.yaml), "CALFEED_DATABASE_URL": ds.db,
           "CALFEED_BASE_URL": BASE_URL, "CALFEED_WORKERS": str(workers),
           "CALFEED_ACCESS_LOG": "false", "CALFEED_LOG_LEVEL": "warning"}
    args = [sys.executable, "-m", "calfeed", "serve", "--port", str(port)]
    with running(args, f"http://127.0.0.1:{port}/healthz", cwd=ROOT, env=env):
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def calfeed_server(ds: DataSet, access_log: str = "off", log_to: Path | None = None,
                   workers: int = 1) -> Iterator[tuple[str, int]]:
    """bench/served.py: the app on the bench's fixed clock, as `calfeed serve` runs it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [sys.executable, str(ROOT / "bench" / "served.py"), str(ds.yaml), ds.db, str(port),
            NOW.isoformat(), BASE_URL, access_log, str(workers)]
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(log_to.open("wb")) if log_to else subprocess.DEVNULL
        proc = stack.enter_context(running(args, base + "/healthz", cwd=ROOT, stdout=out))
        yield base, proc.pid


@dataclass
class Wrk:
    rps: float
    p50: str
    p99: str
    bad: int
    requests: int = 0  # completed, as wrk counts them

    def __str__(self) -> str:
        bad = f", {self.bad:,} non-2xx/3xx or errors" if self.bad else ""
        return f"{self.rps:,.0f} req/s (p50 {self.p50}, p99 {self.p99}{bad})"


def wrk(url: str, duration: int, etag: str | None = None, gzipped: bool = False) -> Wrk | None:
    args = ["wrk", "-t2", "-c50", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if etag:
        args += ["-H", f"If-None-Match: {etag}"]
    if gzipped:
        args += ["-H", "Accept-Encoding: gzip"]
    out = subprocess.run([*args, url], capture_output=True, text=True,
                         timeout=duration + 30).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not rps:
        print(out, file=sys.stderr)
        return None
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        bad += sum(int(n) for n in errors.groups())
    done = re.search(r"(\d+) requests in", out)
    return Wrk(float(rps.group(1)), p50.group(1) if p50 else "?", p99.group(1) if p99 else "?",
               bad, int(done.group(1)) if done else 0)


def http(ds: DataSet, table: Table, duration: int) -> None:
    label = f"{ds.n:,} entries"
    if not shutil.which("wrk"):
        table.add("HTTP rows", "skipped: `wrk` is not installed", "", "", "")
        return
    ours: dict[tuple[str, bool | str], Wrk | None] = {}
    missing: dict[str, int] = {}
    ics_body = b""
    with calfeed_server(ds) as (base, _pid):
        for path in HTTP_PATHS:
            status, body, headers = fetch(base + path)  # also renders it: wrk sees the cache
            etag = headers.get("etag") or headers.get("ETag")
            if status != 200:
                missing[path] = status
                continue
            ours[(path, False)] = wrk(base + path, duration)
            ours[(path, True)] = wrk(base + path, duration, etag) if etag else None
            if path == "/calendar.ics":
                ics_body = body
                # what calendar apps ask for; the body is the cached gzip twin
                ours[(path, "gzip")] = wrk(base + path, duration, gzipped=True)
        ics = ours.get(("/calendar.ics", False))

    nginx: dict[bool | str, Wrk | None] = {}
    if ("/calendar.ics", False) in ours and shutil.which("nginx"):
        nginx = nginx_rows(ics_body, duration)
    elif not shutil.which("nginx"):
        table.add("nginx rows", "skipped: `nginx` is not installed")

    workers = os.cpu_count() or 1
    multi: Wrk | None = None
    if workers > 1 and ("/calendar.ics", True) in ours:
        with calfeed_serve(ds, workers) as base:
            _, _, headers = fetch(base + "/calendar.ics")
            etag = headers.get("etag") or headers.get("ETag")
            multi = wrk(base + "/calendar.ics", duration, etag) if etag else None

    for path in HTTP_PATHS:
        if path in missing:
            table.add(f"HTTP `{path}` 200 / 304, {label}", f"{NA} (HTTP {missing[path]})")
        for not_modified in (False, True, "gzip"):
            if (path, not_modified) not in ours:
                continue
            result = ours[(path, not_modified)]
            code = {False: "200", True: "304", "gzip": "200 gzip"}[not_modified]
            reference, share, target = "", "", ""
            if path == "/calendar.ics":
                ref = nginx.get(not_modified)
                reference = f"nginx {ref}" if ref else NA
                share = ratio(result.rps if result else None, ref.rps if ref else None, "%")
                goals: dict[bool | str, float] = {False: 0.5, True: 0.25}
                goal = goals.get(not_modified)
                if goal is not None:
                    ok = None if not (result and ref) else result.rps >= goal * ref.rps
                    target = f"≥ {goal:.0%} of nginx" + verdict(ok)
            elif path.startswith("/api/") and not not_modified:
                share = ratio(result.rps if result else None, ics.rps if ics else None, "%")
                reference = "vs cached `/calendar.ics` 200"
                ok = None if not (result and ics) else result.rps >= ics.rps
                target = "≥ 100 % of `.ics`" + verdict(ok)
            table.add(f"HTTP `{path}` {code}, {label}, {len(ics_body):,} B `.ics`"
                      if path == "/calendar.ics" and not not_modified
                      else f"HTTP `{path}` {code}, {label}",
                      str(result) if result else NA, reference, share, target)
    if multi is not None:
        ref = nginx.get(True)
        table.add(f"HTTP `/calendar.ics` 304, {label}, `calfeed serve` with "
                  f"`CALFEED_WORKERS={workers}`", str(multi), f"nginx {ref}" if ref else NA,
                  ratio(multi.rps, ref.rps if ref else None, "%"), "")


def nginx_rows(body: bytes, duration: int) -> dict[bool | str, Wrk | None]:
    with nginx_serving(body) as (url, etag, _log):
        return {False: wrk(url, duration), True: wrk(url, duration, etag),
                "gzip": wrk(url, duration, gzipped=True)}


@contextlib.contextmanager
def nginx_serving(body: bytes, access_log: bool = False) -> Iterator[tuple[str, str, Path]]:
    """nginx serving ``body`` as /calendar.ics (and its gzip twin): the URL, its ETag and
    where its access log is (the "combined" format, one write per request: its default)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="calfeed-nginx-") as tmp:
        d = Path(tmp)
        (d / "www").mkdir()
        (d / "www" / "calendar.ics").write_bytes(body)
        (d / "www" / "calendar.ics.gz").write_bytes(gzip.compress(body, 9, mtime=0))
        log = d / "access.log"
        (d / "nginx.conf").write_text(NGINX.format(
            d=d, port=port,
            access_log=f"access_log {log} combined" if access_log else "access_log off"))
        # nginx's workers drop root privileges: let them read the files
        for path in (d, d / "www", *(d / "www").iterdir()):
            path.chmod(0o777 if path.is_dir() else 0o644)
        url = f"http://127.0.0.1:{port}/calendar.ics"
        args = ["nginx", "-p", str(d), "-e", str(d / "error.log"), "-c", str(d / "nginx.conf")]
        with running(args, url):
            status, served, headers = fetch(url)
            assert status == 200 and served == body, "nginx must serve the same bytes"
            yield url, headers.get("ETag") or headers.get("etag") or "", log


def access_log_rows(ds: DataSet, table: Table, duration: int, rounds: int = 2) -> None:
    """The 304 and the gzip 200 of /calendar.ics with every request logged to a file, by
    calfeed (its own log; none; and the server as it was before issue 12, uvicorn's log and
    protocol) and by nginx, taken in turns (``rounds`` times each) so a change in the
    machine's load hits all of them alike. Each log is counted afterwards: a server that
    dropped lines would look faster."""
    label = f"{ds.n:,} entries"
    if not (shutil.which("wrk") and shutil.which("nginx")):
        table.add("access-log rows", "skipped: needs `wrk` and `nginx`")
        return
    workers = len(os.sched_getaffinity(0))
    modes = {"calfeed": "one process with its own access log (`calfeed serve`'s default)",
             "off": "one process with no access log (`CALFEED_ACCESS_LOG=false`)",
             "uvicorn": "one process with uvicorn's access log and protocol (as before "
                        "issue 12)"}
    if workers > 1:
        modes["workers"] = (f"its own access log and `CALFEED_WORKERS={workers}` (one per "
                            "core, as nginx's two)")
    results: dict[tuple[str, str], list[Wrk]] = {}
    lines: dict[str, int] = {}
    served: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="calfeed-logs-") as tmp, \
            contextlib.ExitStack() as stack:
        logs = {name: Path(tmp) / f"{name}.log" for name in modes}
        servers: dict[str, tuple[str, str]] = {}
        body = b""
        for name in modes:
            log, processes = ("calfeed", workers) if name == "workers" else (name, 1)
            base, _ = stack.enter_context(calfeed_server(ds, log, logs[name], processes))
            _, body, headers = fetch(base + "/calendar.ics")
            servers[name] = (base + "/calendar.ics", headers.get("etag") or "")
        url, etag, logs["nginx"] = stack.enter_context(nginx_serving(body, access_log=True))
        servers["nginx"] = (url, etag)
        for _ in range(rounds):
            for kind in ("304", "gzip"):
                for name, (url, etag) in servers.items():
                    result = (wrk(url, duration, etag) if kind == "304"
                              else wrk(url, duration, gzipped=True))
                    if result is not None:
                        results.setdefault((name, kind), []).append(result)
                        served[name] = served.get(name, 0) + result.requests
        for name, log in logs.items():
            if name == "off":
                continue
            # both write as they go; give the last lines a moment to land
            deadline = time.monotonic() + 10
            while (count := _count_lines(log)) < served.get(name, 0) \
                    and time.monotonic() < deadline:
                time.sleep(0.2)
            lines[name] = count

    def mean(name: str, kind: str) -> Wrk | None:
        runs = results.get((name, kind))
        if not runs:
            return None
        return Wrk(statistics.fmean(r.rps for r in runs), runs[-1].p50, runs[-1].p99,
                   sum(r.bad for r in runs), sum(r.requests for r in runs))

    for kind, goal in (("304", 0.30), ("gzip", 0.50)):
        code = "304" if kind == "304" else "200 gzip"
        ref = mean("nginx", kind)
        for name, what in modes.items():
            ours = mean(name, kind)
            ok = None if not (ours and ref) else ours.rps >= goal * ref.rps
            target = f"≥ {goal:.0%} of nginx" + verdict(ok) if name == "calfeed" else ""
            table.add(f"HTTP `/calendar.ics` {code}, {label}, {what}; nginx logging every "
                      f"request (`access_log … combined`); mean of {rounds} turns",
                      str(ours) if ours else NA, f"nginx {ref}" if ref else NA,
                      ratio(ours.rps if ours else None, ref.rps if ref else None, "%"), target)
    table.add("… lines in each access log file / requests wrk counted as completed",
              ", ".join(f"{name} {lines[name]:,} / {served.get(name, 0):,}"
                        for name in lines))


def _count_lines(path: Path) -> int:
    with contextlib.suppress(OSError), path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    return 0


def peak_rss(ds: DataSet, table: Table) -> None:
    with calfeed_server(ds) as (base, pid):
        answered = [p for p in RSS_PATHS if fetch(base + p)[0] == 200]
        status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+)", status)
    assert found, "no VmHWM in /proc/<pid>/status"
    kib = int(found.group(1))
    mib = kib / 1024
    table.add(f"peak RSS of the server, {ds.n:,} entries, after "
              f"{len(answered)} URLs ({', '.join(f'`{p}`' for p in answered)})",
              f"{mib:.0f} MiB", "", "", "≤ 300 MB" + verdict(kib * 1024 <= 300e6))


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="comma-separated entry counts (default: 100,1000,10000)")
    parser.add_argument("--quick", action="store_true",
                        help="100 and 1,000 entries, 5 s wrk runs")
    parser.add_argument("--duration", type=int, default=None,
                        help="seconds per wrk run (default 10; 5 with --quick)")
    parser.add_argument("--write", action="store_true", help="also write bench/RESULTS.md")
    parser.add_argument("--no-http", action="store_true", help="skip the wrk/nginx rows")
    parser.add_argument("--only-access-log", action="store_true",
                        help="only the access-log rows (1,000 entries)")
    args = parser.parse_args(argv)
    if args.only_access_log:
        args.sizes, args.quick = "1000", False
    sizes = [100, 1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    duration = args.duration or (5 if args.quick else 10)

    header = machine()
    print(header, file=sys.stderr)
    table = Table()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="calfeed-bench-") as tmp:
        sets = {n: make_dataset(n, Path(tmp)) for n in sizes}
        for ds in sets.values():
            check_and_sync(ds, table)
        served = sets[1000] if 1000 in sets else sets[max(sets)]
        if args.only_access_log:
            access_log_rows(served, table, duration)
        else:
            never_happening(table)
            pull_rows(table.add, timed, ms, ratio)
            for ds in sets.values():
                render(ds, table)
            if not args.no_http:
                http(served, table, duration)
                access_log_rows(served, table, duration)
            peak_rss(sets[max(sets)], table)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    footer = (f"\nRun: `bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}` "
              f"in {time.monotonic() - started:.0f} s; load average at the end: {load}.\n")
    text = header + "\n" + table.markdown() + footer
    print(text)
    if args.write:
        write_results(text)
    return 0


def write_results(measured: str) -> None:
    """Replace the measured part of RESULTS.md, keeping the commentary written around it."""
    path = ROOT / "bench" / "RESULTS.md"
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    block = f"{begin}\n{measured}{end}"
    if path.exists() and begin in path.read_text():
        old = path.read_text()
        new = old[:old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = f"# Benchmark results\n\n{block}\n"
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
