"""Real HTTP servers on 127.0.0.1 for tests: an ASGI app under uvicorn, or a static directory.

with serve_app(create_app(settings)) as base_url:      # "http://127.0.0.1:PORT"
    httpx.get(base_url + "/calendar.ics")

with serve_directory(tmp_path, headers={"Content-Security-Policy": "..."}) as partner:
    page.goto(partner + "/widget.html")                  # another origin than base_url

port = free_port()                                       # for `calfeed serve` in a subprocess
process = subprocess.Popen([..., "--port", str(port)], stderr=subprocess.PIPE)
wait_until_answering(f"http://127.0.0.1:{port}/healthz", process)
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import uvicorn

HOST = "127.0.0.1"


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    return sock


def free_port() -> int:
    """A port of 127.0.0.1 that was free a moment ago, for a server in another process
    (`calfeed serve`, nginx). In this process, bind the socket itself (as serve_app does)."""
    with _bound_socket() as sock:
        port: int = sock.getsockname()[1]
        return port


def wait_until_answering(url: str, process: subprocess.Popen[bytes], *,
                         within: float = 30.0) -> None:
    """Poll `url` until it answers with a 2xx status, for a server started in another process.

    Raises RuntimeError at once (with the process's stderr, if piped) when `process` exits
    first, and after `within` seconds without an answer.
    """
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None:
            stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
            raise RuntimeError(f"the server exited with {process.returncode} before {url} "
                               f"answered: {stderr}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
            return
        except OSError:  # not listening yet, or an HTTP error status
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {within:.0f} s")
        time.sleep(0.1)


@contextmanager
def serve_app(app: Callable[..., Any], *, startup_timeout: float = 30.0) -> Iterator[str]:
    """Serve ASGI `app` with uvicorn on a free port of 127.0.0.1; yields the base URL.

    The socket is bound before the server starts (no port race); the server runs in a daemon
    thread and is shut down (lifespan shutdown included) when the block exits.
    """
    sock = _bound_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host=HOST, port=port, log_level="warning", ws="none", lifespan="auto"
    )
    server = uvicorn.Server(config)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # surfaced in the test thread below
            errors.append(exc)

    thread = threading.Thread(target=run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if errors or not thread.is_alive():
            sock.close()
            raise RuntimeError(f"uvicorn did not start: {errors[0] if errors else 'exited'}")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start within {startup_timeout} s")
        time.sleep(0.02)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        if thread.is_alive():
            raise RuntimeError("uvicorn did not shut down within 30 s")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: Mapping[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(
    path: str | os.PathLike[str], *, headers: Mapping[str, str] | None = None
) -> Iterator[str]:
    """Serve the files under `path` on a free port of 127.0.0.1; yields the base URL.

    `headers` are added to every response (e.g. a Content-Security-Policy for a partner page).
    Use it for "partner pages" on another origin than the app, and for hand-written feeds.
    """
    handler_class = type("Handler", (_QuietHandler,), {"extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=os.fspath(path))
    httpd = http.server.ThreadingHTTPServer((HOST, 0), handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://{HOST}:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
