"""Request heads are bounded: a real `calfeed serve` answers 431 past 64 KiB of request line
and headers and stops reading, instead of gathering a 200 MB header for 91 s (issue 12)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.conftest import DATA
from tests.support.server import free_port, wait_until_answering

HOST = "127.0.0.1"


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    where = tmp_path_factory.mktemp("headlimit")
    shutil.copy(DATA / "fixed.yaml", where / "events.yaml")
    env = {**os.environ, "CALFEED_DATA": str(where / "events.yaml"),
           "CALFEED_DATABASE_URL": f"sqlite:///{where / 'calfeed.db'}",
           "CALFEED_LOG_LEVEL": "warning"}
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "calfeed", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=where)
    try:
        wait_until_answering(f"http://{HOST}:{port}/healthz", process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_an_oversized_head_is_answered_431_and_closed(port: int) -> None:
    with socket.create_connection((HOST, port), timeout=10) as sock:
        # 70 KB of one header, not even finished: the server must not wait for its end.
        sock.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 70_000)
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"connection: close" in answer.lower()


def test_a_200_mb_header_is_not_read(port: int) -> None:
    chunk = b"a" * (1 << 20)
    sent = 0
    started = time.monotonic()
    with socket.create_connection((HOST, port), timeout=20) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ")
        with pytest.raises(OSError):  # reset or broken pipe once the server has closed
            while sent < 200 * len(chunk):
                sock.sendall(chunk)
                sent += len(chunk)
    # What the kernel buffers on loopback is a few MB; the server reads 64 KiB of it.
    assert sent < 50 * len(chunk), f"{sent:,} bytes were taken"
    assert time.monotonic() - started < 20
    fresh = http.client.HTTPConnection(HOST, port, timeout=10)  # still serving
    try:
        fresh.request("GET", "/healthz")
        assert fresh.getresponse().status == 200
    finally:
        fresh.close()


def test_big_but_reasonable_heads_pass_on_one_kept_alive_connection(port: int) -> None:
    # Each under the limit, together over it: the count starts again for each request.
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        for _ in range(3):
            connection.request("GET", "/calendar.ics", headers={"Cookie": "c=" + "a" * 40_000})
            response = connection.getresponse()
            assert response.status == 200
            assert b"BEGIN:VCALENDAR" in response.read()
    finally:
        connection.close()
