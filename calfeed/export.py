"""Static export: every public URL requested from the app in-process and written to disk.

Because each file is what the app answered, the export equals what is served (Datasette's
``--get`` idea). Files get ``.gz`` twins for ``gzip_static``; a sample nginx config maps URLs
without extensions (pages, API) to the files written for them.

The lists' later pages are found the way a visitor finds them, by following each page's
``<link rel="next">``, so exactly the pages the app links to are written: ``/page/2`` becomes
``page/2/index.html``, which any static host serves at ``/page/2``.
"""

from __future__ import annotations

import asyncio
import gzip
import html
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message

from .errors import CalfeedError
from .formats.urls import public_paths
from .model import Snapshot
from .settings import Settings
from .swapdir import final_path, replacing

# Where a URL's body goes when its path has no file extension of its own.
_INDEX_BY_TYPE = {"text/html": "index.html", "application/json": "index.json"}
_GZIP_TYPES = ("text/", "application/json", "application/javascript", "application/atom+xml",
               "application/rss+xml", "image/svg+xml", "application/problem+json")
_NEXT = re.compile(rb'<link rel="next" href="([^"<>]+)">')


@dataclass(frozen=True, slots=True)
class Exported:
    url: str
    path: Path
    size: int


@dataclass(frozen=True, slots=True)
class Site:
    """What ``build_site`` wrote, and of which revision."""

    revision: int
    written: list[Exported]


def build_site(settings: Settings, outdir: Path) -> Site | None:
    """``calfeed build``: export what the database holds now, as the app serves it; None
    before the first sync. All or nothing: the export is written beside ``outdir`` and
    swapped in whole, or where ``outdir`` cannot be swapped (a mount point) inside it and
    moved in entry by entry (``swapdir.replacing``); on a failure while writing, ``outdir``
    is as it was."""
    from .web import create_app  # the app answers every URL; nothing below imports it

    # Fixed before the swap: the current folder may be the old export, gone after it.
    final = final_path(outdir)
    app = create_app(settings)
    try:
        state = app.state.serving.load()
        if state is None:
            return None
        with replacing(final) as staging:
            written = export(app, state.snapshot, staging, site_url=state.context.site_url)
            root = staging.resolve()
    finally:
        app.state.serving.engine.dispose()
    return Site(state.snapshot.revision,
                [Exported(e.url, final / e.path.relative_to(root), e.size) for e in written])


def public_urls(snapshot: Snapshot) -> Iterator[str]:
    """Every public URL the app answers for this snapshot (``formats.urls.public_paths``)."""
    return public_paths(snapshot)


def target_path(outdir: Path, url: str, content_type: str) -> Path:
    """The file for ``url``, refusing anything that would land outside ``outdir``."""
    path_part, _, query = url.partition("?")
    pure = PurePosixPath(path_part)
    if ".." in pure.parts or "\\" in path_part or "\0" in url:
        raise CalfeedError(f"refusing to export {url!r}: it leaves the output folder")
    relative = path_part.lstrip("/")
    if query:
        # A filtered view of the front page becomes its own page: /?feed=x -> view/feed-x/
        slug = query.replace("=", "-").replace("&", "_")
        relative = f"view/{slug}/" + relative
    media = content_type.split(";")[0].strip()
    if not relative or relative.endswith("/") or "." not in PurePosixPath(relative).name:
        relative = relative.rstrip("/") + "/" + _INDEX_BY_TYPE.get(media, "index.html")
    root = outdir.resolve()
    target = (root / relative.lstrip("/")).resolve()
    if root != target and root not in target.parents:
        raise CalfeedError(f"refusing to export {url!r}: it leaves the output folder")
    return target


def export(app: ASGIApp, snapshot: Snapshot, outdir: Path, *,
           site_url: str = "") -> list[Exported]:
    """Write every public URL of ``snapshot`` under ``outdir``. URLs the app does not serve
    (404) are skipped; any other failure stops the export with an error. ``site_url`` is the
    address the pages link to (it may have a path, e.g. behind a proxy at /kalender)."""
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Exported] = []
    queue = deque(public_urls(snapshot))
    seen: set[str] = set()
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        status, headers, body = asyncio.run(asgi_get(app, url))
        if status == 404:
            continue
        if status != 200:
            raise CalfeedError(f"{url} answered {status}; nothing more was exported")
        content_type = headers.get("content-type", "application/octet-stream")
        target = target_path(outdir, url, content_type)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, body)
        if content_type.startswith(_GZIP_TYPES):
            _write(Path(f"{target}.gz"), gzip.compress(body, compresslevel=9, mtime=0))
        written.append(Exported(url, target, len(body)))
        following = next_page(body, site_url) if content_type.startswith("text/html") else None
        if following is not None:
            queue.appendleft(following)
    (outdir / "nginx.conf.sample").write_text(NGINX_SAMPLE, encoding="utf-8")
    return written


def _write(path: Path, body: bytes) -> None:
    try:
        path.write_bytes(body)
    except OSError as exc:
        if exc.filename is None:  # a failed write (disk full) does not say which file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def next_page(body: bytes, site_url: str = "") -> str | None:
    """The app's path and query of a page's ``<link rel="next">`` (absolute in the page, under
    ``site_url``), if any."""
    found = _NEXT.search(body)
    if found is None:
        return None
    parts = urlsplit(html.unescape(found.group(1).decode()))
    path = parts.path.removeprefix(urlsplit(site_url).path.rstrip("/"))
    return path + (f"?{parts.query}" if parts.query else "")


async def asgi_get(app: ASGIApp, url: str) -> tuple[int, dict[str, str], bytes]:
    """One GET through the ASGI app, no network and no HTTP client library."""
    path, _, query = url.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "https", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 0), "server": ("localhost", 443),
    }
    status = 500
    headers: dict[str, str] = {}
    chunks: list[bytes] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            headers.update((k.decode().lower(), v.decode()) for k, v in message["headers"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, headers, b"".join(chunks)


NGINX_SAMPLE = r"""# Sample nginx server for a `calfeed build` export; adjust root and server_name.
server {
    listen 80;
    server_name kalender.example.no;
    root /srv/calfeed;

    gzip_static on;            # serves the .gz twins written next to each file
    etag on;
    add_header X-Content-Type-Options nosniff always;
    add_header Cache-Control "public, max-age=300" always;

    types {
        text/html html;
        text/css css;
        image/svg+xml svg;
        application/javascript js;
        application/json json;
        text/calendar ics;
        application/atom+xml atom;
        application/rss+xml rss;
    }
    charset utf-8;
    charset_types text/calendar application/atom+xml application/rss+xml application/json
                  application/javascript text/css;

    location /api/ {
        add_header Access-Control-Allow-Origin * always;
        add_header Cache-Control "public, max-age=300" always;
        try_files $uri $uri/index.json =404;
    }
    location ~ \.ics$ {
        add_header Content-Disposition inline always;
        add_header Cache-Control "public, max-age=300" always;
    }
    location = / {
        # The named feeds' views were exported as view/feed-<name>/index.html.
        if ($arg_feed ~ "^[a-z0-9-]+$") { rewrite ^ /view/feed-$arg_feed/index.html last; }
        try_files /index.html =404;
    }
    location ~ ^/(archive|page/[0-9]+|archive/page/[0-9]+)$ {
        # The archive and the later pages, of everything or of a named feed (?feed=<name>):
        # page/2/index.html, view/feed-<name>/archive/page/2/index.html, …
        set $list $1;
        if ($arg_feed ~ "^[a-z0-9-]+$") { rewrite ^ /view/feed-$arg_feed/$list/index.html last; }
        try_files /$list/index.html =404;
    }
    location / {
        try_files $uri $uri/index.html =404;
    }
}
"""
