"""A partner's web server on 127.0.0.1, for pull tests: serves files from a directory (read
anew on every request, so a test can change "upstream") and misbehaves on request.

    with serve_upstream(tmp_path) as upstream:
        upstream.url("google.ics")            # 200 with ETag/Last-Modified, 304 when unchanged
        upstream.url("google.ics", "lm")      # Last-Modified only (If-Modified-Since → 304)
        upstream.url("google.ics", "slow")    # answers after upstream.delay seconds
        upstream.url("google.ics", "trickle") # one byte every 0.2 s
        upstream.url("google.ics", "redirect")  # 302 to the plain URL
        upstream.url("google.ics", "error")   # 500
        upstream.url("x", "big")              # 2 MB with Content-Length; "big-stream" without
        upstream.url("x", "loop")             # redirects to itself
        upstream.requests                     # [(path, status, If-None-Match header), ...]
"""

from __future__ import annotations

import hashlib
import http.server
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
BIG = 2 * 1024 * 1024
TYPES = {".ics": "text/calendar; charset=utf-8", ".rss": "application/rss+xml",
         ".atom": "application/atom+xml", ".html": "text/html; charset=utf-8"}


class Upstream:
    def __init__(self, directory: Path, base: str) -> None:
        self.directory = directory
        self.base = base
        self.delay = 3.0
        self.requests: list[tuple[str, int, str | None]] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0  # how many slow requests were being answered at once

    def url(self, name: str, behaviour: str = "files") -> str:
        return f"{self.base}/{behaviour}/{name}"

    def statuses(self, name: str) -> list[int]:
        with self.lock:
            return [status for path, status, _ in self.requests if path.endswith("/" + name)]


def _handler(upstream: Upstream) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _log(self, status: int) -> None:
            with upstream.lock:
                upstream.requests.append((self.path, status, self.headers.get("If-None-Match")))

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
                  length: bool = True) -> None:
            self._log(status)
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if length:
                self.send_header("Content-Length", str(len(body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            _, behaviour, name = [*self.path.split("?")[0].split("/", 2), "", ""][:3]
            if behaviour == "loop":
                return self._send(302, headers={"Location": self.path})
            if behaviour == "to-file":
                return self._send(302, headers={"Location": "file:///etc/passwd"})
            if behaviour == "big":
                return self._send(200, b"B" * BIG)
            if behaviour == "big-stream":
                return self._send(200, b"B" * BIG, length=False)
            if behaviour == "error":
                return self._send(500, b"Internal Server Error")
            if behaviour == "redirect":
                return self._send(302, headers={"Location": f"/files/{name}"})
            path = upstream.directory / name
            if not name or "/" in name or not path.is_file():
                return self._send(404, b"not found")
            body = path.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'  # noqa: S324 - not security
            modified = formatdate(int(path.stat().st_mtime), usegmt=True)
            headers = {"Content-Type": TYPES.get(path.suffix, "application/octet-stream"),
                       "Last-Modified": modified}
            if behaviour != "lm":
                headers["ETag"] = etag
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, headers=headers, length=False)
            elif self.headers.get("If-Modified-Since") == modified:
                return self._send(304, headers=headers, length=False)
            if behaviour == "slow":
                with upstream.lock:
                    upstream.in_flight += 1
                    upstream.most_in_flight = max(upstream.most_in_flight, upstream.in_flight)
                time.sleep(upstream.delay)
                with upstream.lock:
                    upstream.in_flight -= 1
            if behaviour == "trickle":
                self._log(200)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
                return None
            return self._send(200, body, headers)

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that stops reading a too-large answer is what the tests ask for


@contextmanager
def serve_upstream(directory: str | os.PathLike[str]) -> Iterator[Upstream]:
    httpd = _Server((HOST, 0), http.server.BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    upstream = Upstream(Path(directory), f"http://{HOST}:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = _handler(upstream)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield upstream
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
