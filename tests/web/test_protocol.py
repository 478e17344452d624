"""The HTTP protocol `calfeed serve` runs (web/protocol.py), against a real server: request heads
are bounded (a 431 past 64 KiB of request line and headers, instead of gathering a 200 MB
header for 91 s; issue 12), and responses stay whole and in order."""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

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


def _responses(data: bytes) -> list[tuple[bytes, dict[bytes, bytes], bytes]]:
    """Status line, headers and body of each response in ``data``, in order."""
    found = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        status, *lines = head.split(b"\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines)}
        size = int(headers.get(b"content-length", b"0"))
        found.append((status, headers, rest[:size]))
        data = rest[size:]
    return found


def test_pipelined_requests_get_whole_answers_in_order(port: int) -> None:
    """Head and body of each response go out together (web/protocol.py), and a 304, a HEAD
    and a 404 between full answers on one connection keep the stream well-formed."""
    first = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        first.request("GET", "/calendar.ics")
        answer = first.getresponse()
        etag, body = answer.getheader("etag"), answer.read()
    finally:
        first.close()
    requests = [
        b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag.encode() + b"\r\n\r\n",
        b"GET /no-such-page HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n",
        # a file sent in 64 KiB pieces, the head held with the first
        b"GET /docs/swagger-ui-bundle.js HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /feed.atom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ]
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(b"".join(requests))  # all at once: the server answers them in turn
        answers = _responses(_read_all(sock))
    assert [status.split(b" ")[1] for status, _, _ in answers] == [
        b"200", b"304", b"404", b"200", b"200", b"200"]
    assert answers[0][2] == body
    assert gzip.decompress(answers[3][2]) == body
    assert answers[3][1][b"content-encoding"] == b"gzip"
    bundle = Path(str(files("swagger_ui") / "static" / "swagger-ui-bundle.js")).read_bytes()
    assert len(bundle) > 1_000_000 and answers[4][2] == bundle
    assert answers[5][2].startswith(b"<?xml")
