"""Every public URL of every test source, captured: status, validators and body digest.

    .venv/bin/python bench/compare_outputs.py capture before.json   # on the old code
    .venv/bin/python bench/compare_outputs.py capture after.json    # on the new code
    .venv/bin/python bench/compare_outputs.py compare before.json after.json

A refactoring that must not change any output (issue 11) is proven by capturing before and
after and comparing: every URL's status, ``ETag``, ``Content-Type``, ``Content-Disposition``,
``Last-Modified``, ``Cache-Control`` and body (SHA-256) must be equal.

For each valid ``tests/data/*.yaml`` and ``data/events.yaml``: sync into a temporary SQLite
at a fixed time with a fixed base URL, then request, through the app in-process, the URLs the
static export writes (following ``rel="next"``) plus filtered views of every feed, type and
tag, API windows with their ``next`` pages, FullCalendar ranges and a second language, on two
days (the fixed day and 200 days later, so day-dependent pieces are rendered twice).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calfeed.errors import SourceError  # noqa: E402
from calfeed.export import asgi_get  # noqa: E402
from calfeed.model import Snapshot  # noqa: E402
from calfeed.settings import Settings, get_settings  # noqa: E402
from calfeed.source import load_source  # noqa: E402
from calfeed.store import create_db_engine, load_snapshot  # noqa: E402
from calfeed.web import create_app  # noqa: E402

NOW = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
DAYS = (NOW, NOW + timedelta(days=200))
BASE_URL = "https://kalender.example.no"
HEADERS = ("content-type", "etag", "last-modified", "cache-control", "content-disposition",
           "vary", "location")
_NEXT = re.compile(rb'<link rel="next" href="([^"<>]+)">')


def sources() -> list[Path]:
    found = [*sorted((ROOT / "tests" / "data").glob("*.yaml")), ROOT / "data" / "events.yaml"]
    valid = []
    for path in found:
        path = path.relative_to(ROOT)  # /healthz names it: the same in every checkout
        try:
            load_source(path)
        except SourceError:
            continue
        valid.append(path)
    return valid


def _sync(settings: Settings, path: Path, now: datetime) -> None:
    """Sync as `calfeed sync` does, storing the pieces for the operator's base URL."""
    try:
        from calfeed.publish import publish_file  # the pipeline of issue 11
    except ImportError:
        from calfeed.store import sync
        engine = create_db_engine(settings.database_url)
        try:
            sync(engine, load_source(path).source, now, str(path), base_url=settings.base_url)
        finally:
            engine.dispose()
        return
    engine = create_db_engine(settings.database_url)
    try:
        publish_file(settings, engine, now, path)
    finally:
        engine.dispose()


def _refresh(app: Any) -> None:
    state = app.state
    if hasattr(state, "publisher"):
        state.publisher.refresh()
    else:
        state.serving.refresh()


def urls(snapshot: Snapshot) -> Iterator[str]:
    yield from ("/", "/archive", "/calendar.ics", "/feed.atom", "/feed.rss", "/embed.js",
                "/api/v1/events", "/api/v1/feeds", "/openapi.json", "/healthz",
                "/static/style.css", "/static/favicon.svg", "/static/page.js",
                "/api/v1/events?from=2000-01-01&limit=7",
                "/api/v1/events?from=2024-01-01&to=2025-12-31&limit=5&lang=en",
                "/api/v1/fullcalendar?start=2024-07-29&end=2024-09-09",
                "/api/v1/fullcalendar?start=2024-07-29T00:00:00%2B02:00"
                "&end=2025-03-01T00:00:00%2B01:00&timeZone=Europe/Oslo",
                "/api/v1/fullcalendar?start=2024-01-01&end=2024-12-31&timeZone=UTC&lang=en",
                "/page/2", "/page/abc", "/nope", "/events/does-not-exist")
    types = sorted({p.entry.type for p in snapshot.entries})
    tags = sorted({t for p in snapshot.entries for t in p.entry.tags})
    views = [f"type={t}" for t in types] + [f"tag={quote(t)}" for t in tags]
    if len(types) > 1:
        views.append(f"type={types[1]},{types[0]}")
    if types and tags:
        views.append(f"tag={quote(tags[0])}&type={types[0]}")
    for name in snapshot.feeds:
        feed = "" if name == "all" else f"feed={quote(name)}"
        if name != "all":
            for suffix in ("ics", "atom", "rss"):
                yield f"/feeds/{quote(name)}.{suffix}"
            yield f"/?{feed}"
            yield f"/archive?{feed}"
            yield f"/api/v1/events?{feed}&from=2023-01-01&limit=20"
        for view in views:
            both = f"{feed}&{view}" if feed else view
            if name == "all":
                yield from (f"/calendar.ics?{view}", f"/feed.atom?{view}", f"/feed.rss?{view}")
            else:
                yield from (f"/feeds/{quote(name)}.ics?{view}", f"/feeds/{quote(name)}.atom?{view}")
            yield f"/?{both}"
            yield f"/api/v1/events?{both}&from=2020-01-01"
    for published in snapshot.entries:
        entry_id = quote(published.entry.id)
        yield from (f"/events/{entry_id}", f"/events/{entry_id}.ics",
                    f"/api/v1/events/{entry_id}", f"/api/v1/events/{entry_id}?lang=en")


def _follow(body: bytes, url: str) -> str | None:
    """The next page of a list page or of an API list, as a path under the site."""
    if url.startswith("/api/v1/events") and body.startswith(b"{"):
        following = json.loads(body).get("next")
    else:
        found = _NEXT.search(body)
        following = found.group(1).decode().replace("&amp;", "&") if found else None
    if not following:
        return None
    parts = urlsplit(following)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def capture_source(path: Path, work: Path) -> dict[str, Any]:
    settings = get_settings(data=path, database_url=f"sqlite:///{work / 'calfeed.db'}",
                            base_url=BASE_URL, watch_interval=3600)
    _sync(settings, path, NOW)
    engine = create_db_engine(settings.database_url)
    snapshot = load_snapshot(engine)
    engine.dispose()
    assert snapshot is not None
    result: dict[str, Any] = {}
    for day in DAYS:
        app = create_app(settings, clock=_fixed(day))
        _refresh(app)
        queue = deque(urls(snapshot))
        seen: set[str] = set()
        while queue:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            plain = b""
            for encoding in ("identity", "gzip"):
                status, headers, body = asyncio.run(_get(app, url, encoding))
                result[f"{day.date()} {encoding} {url}"] = {
                    "status": status,
                    **{h: headers.get(h) for h in HEADERS},
                    "sha256": hashlib.sha256(body).hexdigest(),
                    "size": len(body),
                }
                if encoding == "identity" and status == 200:
                    plain = body
            following = _follow(plain, url) if plain else None
            if following is not None:
                queue.append(following)
    return result


async def _get(app: Any, url: str, encoding: str) -> tuple[int, dict[str, str], bytes]:
    if encoding == "identity":
        return await asgi_get(app, url)
    # asgi_get sends no Accept-Encoding; wrap it to ask for gzip.
    async def with_gzip(scope: Any, receive: Any, send: Any) -> None:
        scope = {**scope, "headers": [*scope["headers"], (b"accept-encoding", b"gzip")]}
        await app(scope, receive, send)

    return await asgi_get(with_gzip, url)


def _fixed(now: datetime) -> Callable[[], datetime]:
    return lambda: now


def capture(out: Path) -> None:
    out = out.resolve()
    os.chdir(ROOT)
    everything: dict[str, Any] = {}
    for path in sources():
        with tempfile.TemporaryDirectory() as tmp:
            name = path.as_posix()
            everything[name] = capture_source(path, Path(tmp))
            print(f"{name}: {len(everything[name])} responses", file=sys.stderr)
    out.write_text(json.dumps(everything, indent=1, sort_keys=True), encoding="utf-8")
    total = sum(len(v) for v in everything.values())
    print(f"{out}: {total} responses of {len(everything)} sources")


def compare(before: Path, after: Path, ignore: tuple[str, ...]) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    differences = 0
    for source in sorted(set(old) | set(new)):
        a, b = old.get(source, {}), new.get(source, {})
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                print(f"{source}: {key}: only {'after' if key in b else 'before'}")
                differences += 1
                continue
            changed = {h: (a[key].get(h), b[key].get(h)) for h in a[key] | b[key]
                       if h not in ignore and a[key].get(h) != b[key].get(h)}
            if changed:
                differences += 1
                print(f"{source}: {key}: {changed}")
    total = sum(len(v) for v in old.values())
    print(f"{total} responses compared, {differences} differ"
          + (f" (ignoring {', '.join(ignore)})" if ignore else ""))
    return 1 if differences else 0


def main() -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # FastAPI names an operation after one of its methods taken from a set (GET or
        # HEAD), so /openapi.json varies with the string hash seed: fix it for both runs.
        os.execve(sys.executable, [sys.executable, *sys.argv],  # noqa: S606 - itself, again
                  {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    cap = commands.add_parser("capture")
    cap.add_argument("out", type=Path)
    cmp = commands.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    cmp.add_argument("--ignore", action="append", default=[],
                     help="a field not to compare, e.g. a header a change means to alter")
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.out)
        return 0
    return compare(args.before, args.after, tuple(args.ignore))


if __name__ == "__main__":
    sys.exit(main())
