"""The access log (web/accesslog.py): a combined-format line per request, replayed answers
included, that no request can forge or break, and that never stops the serving."""

from __future__ import annotations

import os
import re
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from calfeed.settings import Settings
from calfeed.web import create_app
from tests.conftest import DATA, MovableClock
from tests.support.server import free_port, wait_until_answering

Publish = Callable[..., None]
HOST = "127.0.0.1"
# nginx's "combined": $remote_addr - $remote_user [$time_local] "$request" $status
# $body_bytes_sent "$http_referer" "$http_user_agent"
COMBINED = re.compile(
    r'^(?P<client>\S+) - - \[(?P<time>\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\] '
    r'"(?P<method>[A-Z]+) (?P<target>[^" ]+) HTTP/(?P<version>[0-9.]+)" (?P<status>\d{3}) '
    r'(?P<size>\d+) "(?P<referer>[^"]*)" "(?P<agent>[^"]*)"$')


def parsed(text: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    found = [COMBINED.match(line) for line in lines]
    assert all(found), [line for line, match in zip(lines, found, strict=True) if not match]
    return [match.groupdict() for match in found if match]


def test_every_request_is_one_line_with_what_was_answered(
        settings: Settings, clock: MovableClock, publish: Publish, tmp_path: Path) -> None:
    publish(DATA / "fixed.yaml")
    path = tmp_path / "access.log"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        with TestClient(create_app(settings, clock=clock, access_log=fd)) as client:
            first = client.get("/calendar.ics?type=course", headers={
                "Referer": "https://partner.example/kalender", "User-Agent": "Thunderbird/128"})
            etag = first.headers["etag"]
            again = client.get("/calendar.ics?type=course")  # the replayed answer
            unchanged = client.get("/calendar.ics?type=course",
                                   headers={"If-None-Match": etag})
            missing = client.get("/no-such-page")
            bad = client.get("/api/v1/events?limit=x")
        # the server has stopped: whatever was pending is written
    finally:
        os.close(fd)
    assert (again.status_code, unchanged.status_code) == (200, 304)

    lines = parsed(path.read_text())
    assert [(line["method"], line["target"], line["status"]) for line in lines] == [
        ("GET", "/calendar.ics?type=course", "200"),
        ("GET", "/calendar.ics?type=course", "200"),
        ("GET", "/calendar.ics?type=course", "304"),
        ("GET", "/no-such-page", "404"),
        ("GET", "/api/v1/events?limit=x", "400"),
    ]
    # The bytes sent, as nginx's $body_bytes_sent: gzip bytes for a client that took them.
    sizes = [int(line["size"]) for line in lines]
    assert sizes == [r.num_bytes_downloaded for r in (first, again, unchanged, missing, bad)]
    assert first.headers["content-encoding"] == "gzip" and 0 < sizes[0] < len(first.content)
    assert (lines[0]["referer"], lines[0]["agent"]) == (
        "https://partner.example/kalender", "Thunderbird/128")
    assert lines[1]["referer"] == "-"
    assert lines[0]["client"] == "testclient"


def test_a_log_that_cannot_be_written_does_not_stop_the_serving(
        settings: Settings, clock: MovableClock, publish: Publish,
        caplog: pytest.LogCaptureFixture) -> None:
    publish(DATA / "fixed.yaml")
    fd = os.open("/dev/full", os.O_WRONLY)  # every write fails with "No space left on device"
    try:
        app = create_app(settings, clock=clock, access_log=fd)
        with TestClient(app) as client:
            statuses = [client.get("/calendar.ics").status_code for _ in range(3)]
            health = client.get("/healthz")
        assert statuses == [200, 200, 200]
        assert app.state.access_log.failed >= 3  # the health check's own line may be too
        # The operator's monitoring sees it: data served, something to fix.
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["problems"] == [{
            "part": "access_log",
            "cause": "cannot write the access log: No space left on device; 3 lines lost so far"}]
        said = [r.getMessage() for r in caplog.records if "access log" in r.getMessage()]
        assert said == ["cannot write the access log (No space left on device); requests are "
                        "still served, their lines are lost until it can be written again"]
    finally:
        os.close(fd)


# --- a real `calfeed serve`: what an operator reads on its standard output ---------------------


class Output:
    """A server's standard output, read as it comes (a pipe, as under systemd or Docker)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.data = bytearray()
        self._lock = threading.Lock()
        assert process.stdout is not None
        stdout = process.stdout
        self._thread = threading.Thread(target=self._read, args=(stdout,), daemon=True)
        self._thread.start()

    def _read(self, stdout: object) -> None:
        while chunk := stdout.read1(65536):  # type: ignore[attr-defined]
            with self._lock:
                self.data += chunk

    def lines(self) -> list[bytes]:
        with self._lock:
            return bytes(self.data).splitlines()

    def wait_for_lines(self, count: int, starting: bytes, within: float = 60) -> list[bytes]:
        """The lines whose request line starts with ``starting``, once there are ``count``."""
        deadline = time.monotonic() + within
        while True:
            lines = self.lines()
            found = [line for line in lines if b'] "' + starting in line]
            if len(found) >= count:
                return found
            assert time.monotonic() < deadline, f"{len(found)} of {count} lines logged"
            time.sleep(0.05)


@pytest.fixture
def serve_logging(tmp_path: Path) -> Iterator[Callable[[int], tuple[str, Output]]]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(workers: int) -> tuple[str, Output]:
        shutil.copy(DATA / "fixed.yaml", tmp_path / "events.yaml")
        env = {**os.environ, "CALFEED_DATA": str(tmp_path / "events.yaml"),
               "CALFEED_DATABASE_URL": f"sqlite:///{tmp_path / 'calfeed.db'}",
               "CALFEED_WORKERS": str(workers), "CALFEED_ACCESS_LOG": "true",
               "CALFEED_LOG_LEVEL": "warning"}
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "calfeed", "serve", "--port", str(port)], env=env,
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        processes.append(process)
        output = Output(process)
        base = f"http://{HOST}:{port}"
        wait_until_answering(base + "/healthz", process, within=60)
        return base, output

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def raw_request(port: int, head: bytes) -> bytes:
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(head)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_what_a_client_sends_cannot_forge_or_break_a_line(serve_logging) -> None:
    base, output = serve_logging(1)
    port = int(base.rsplit(":", 1)[1])
    answer = raw_request(port, b"GET /calendar.ics?q=%22x HTTP/1.1\r\nHost: x\r\n"
                               b'User-Agent: evil" 200 1 "-" "\\ \xc3\xa6\xff\r\n'
                               b"Referer: https://a.example/\tx\r\n"
                               b"X-Forwarded-For: 10.0.0.9\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")
    [logged] = output.wait_for_lines(1, b"GET /calendar")
    [line] = parsed(logged.decode("ascii"))  # nothing but printable ASCII on the line
    assert line["agent"] == r'evil\x22 200 1 \x22-\x22 \x22\x5C \xC3\xA6\xFF'
    assert line["referer"] == r"https://a.example/\x09x"
    assert line["target"] == "/calendar.ics?q=%22x"
    # Behind a proxy on this machine, the address the proxy says the request came from.
    assert line["client"] == "10.0.0.9"


def test_a_forwarded_address_cannot_forge_the_address_or_time(serve_logging) -> None:
    base, output = serve_logging(1)
    port = int(base.rsplit(":", 1)[1])
    forged = b"6.6.6.6 - - [01/Jan/2000:00:00:00 +0000] [GET] 401"
    answer = raw_request(port, b"GET /healthz?forged HTTP/1.1\r\nHost: x\r\n"
                               b"X-Forwarded-For: " + forged + b"\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")
    [logged] = output.wait_for_lines(1, b"GET /healthz?forged")
    [line] = parsed(logged.decode("ascii"))
    # one field, the forged text escaped: a log reader takes neither its address nor its time
    assert line["client"] == (r"6.6.6.6\x20-\x20-\x20\x5B01\x2FJan\x2F2000:00:00:00\x20"
                              r"\x2B0000\x5D\x20\x5BGET\x5D\x20401")
    assert not line["time"].startswith("01/Jan/2000")


def test_a_head_request_logs_no_body_and_a_huge_one_stays_one_write(serve_logging) -> None:
    base, output = serve_logging(1)
    port = int(base.rsplit(":", 1)[1])
    head = raw_request(port, b"HEAD /calendar.ics HTTP/1.1\r\nHost: x\r\n"
                             b"Connection: close\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    [logged] = output.wait_for_lines(1, b"HEAD /calendar.ics")
    assert parsed(logged.decode("ascii"))[0]["size"] == "0"
    # 20 KB of query and of User-Agent, all of it bytes that escape to four: still one line
    # a pipe takes in one atomic write, with what it had to leave out marked.
    huge = raw_request(port, b"GET /healthz?" + b"%22" * 7000 + b" HTTP/1.1\r\nHost: x\r\n"
                             b"User-Agent: " + b"\xff" * 20000 + b"\r\nConnection: close\r\n\r\n")
    assert huge.startswith(b"HTTP/1.1 200 ")
    [logged] = output.wait_for_lines(1, b"GET /healthz?%22")
    assert len(logged) + 1 <= select.PIPE_BUF
    [line] = parsed(logged.decode("ascii"))
    assert line["target"].endswith("...") and line["agent"].endswith("...")


def test_two_workers_on_one_pipe_never_mix_their_lines(serve_logging) -> None:
    base, output = serve_logging(2)
    paths = [f"/calendar.ics?tag=t{n % 40}" for n in range(1200)]

    def fetch(batch: list[str]) -> list[int]:
        with httpx.Client(base_url=base, timeout=30) as client:
            return [client.get(path).status_code for path in batch]

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for got in pool.map(fetch, [paths[i::8] for i in range(8)]) for s in got]
    assert statuses == [200] * len(paths)
    parsed(b"\n".join(output.lines()).decode("ascii"))  # every line, the healthz ones too
    lines = output.wait_for_lines(len(paths), b"GET /calendar.ics?tag=")
    logged = parsed(b"\n".join(lines).decode("ascii"))
    assert len(logged) == len(paths)
    assert sorted(line["target"] for line in logged) == sorted(paths)
