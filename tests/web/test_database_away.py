"""`calfeed serve` and a PostgreSQL that is away (issue 12): down when the server starts, it
starts anyway, answers /healthz 503 "failing" naming the database and the cause (without the
password) and serves its static files, and serves the data once the database answers;
stopped while serving, requests are answered from the last good state and /healthz says
"degraded" with the cause, until it is back.

Real PostgreSQL (required in CI) behind a TCP gate in the test (tests/support/tcpgate.py):
closed is the database down (connections refused, those open cut), open is it up. Before,
the server exited at start (exit 6) while the database was down.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import DATA
from tests.support.server import free_port
from tests.support.tcpgate import TcpGate

WITHIN = 60.0  # seconds: generous, for a busy machine; the loop retries every 0.2 s


@pytest.fixture
def gate(postgres_url: str) -> Iterator[TcpGate]:
    real = make_url(postgres_url)
    with TcpGate((real.host or "127.0.0.1", real.port or 5432)) as gate:
        yield gate


@pytest.fixture
def server(postgres_url: str, gate: TcpGate, tmp_path: Path) -> Iterator[str]:
    """`calfeed serve` on the shipped-like test file, its database behind the (closed) gate."""
    source = tmp_path / "events.yaml"
    source.write_text((DATA / "sync_base.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    through_gate = make_url(postgres_url).set(host="127.0.0.1", port=gate.port) \
        .update_query_dict({"connect_timeout": "5"})
    env = {**os.environ, "CALFEED_DATA": str(source),
           "CALFEED_DATABASE_URL": through_gate.render_as_string(hide_password=False),
           "CALFEED_WATCH_INTERVAL": "0.2", "CALFEED_WATCH_SETTLE": "0",
           "CALFEED_LOG_LEVEL": "warning", "CALFEED_ACCESS_LOG": "false"}
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "calfeed", "serve", "--port",
                                    str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        until(lambda: get(base, "/healthz")[0] != 0, log, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(base: str, path: str, timeout: float = 10) -> tuple[int, bytes]:
    """Status and body; 0 while nothing listens."""
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def health(base: str, timeout: float = 10) -> tuple[int, dict[str, Any]]:
    status, body = get(base, "/healthz", timeout)
    return status, json.loads(body)


def until(condition: Callable[[], bool], log: Path | None = None,
          process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + WITHIN
    while not condition():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"calfeed serve exited with {process.returncode}: "
                                 f"{log.read_text() if log else ''}")
        assert time.monotonic() < deadline, "not within the deadline"
        time.sleep(0.1)


def test_serve_starts_while_postgresql_is_down_and_serves_it_once_it_answers(
        server: str, gate: TcpGate) -> None:
    status, body = health(server)
    assert (status, body["status"], body["entries"]) == (503, "failing", 0)
    (problem,) = [p for p in body["problems"] if p["part"] == "database"]
    cause = problem["cause"]
    assert f"postgresql+psycopg://calfeed:***@127.0.0.1:{gate.port}/" in cause, cause
    assert "Connection refused" in cause, cause
    assert ":calfeed@" not in json.dumps(body)  # the password is never shown
    assert get(server, "/static/style.css")[0] == 200
    status, answer = get(server, "/calendar.ics")  # a problem document, not a bare 500
    assert (status, json.loads(answer)["detail"]) == (503, (
        "The data cannot be read now: the database does not answer. The server tries again; "
        "see /healthz."))
    gate.open()  # PostgreSQL answers: the file is published, then served
    until(lambda: health(server)[1]["status"] == "ok")
    status, body = health(server)
    assert (status, body["entries"], body["revision"], body["problems"]) == (200, 4, 1, [])
    status, calendar = get(server, "/events/kurs-ungdom.ics")
    assert status == 200 and b"UID:kurs-ungdom@" in calendar

    # PostgreSQL stops while serving: the last good data is served, /healthz says why.
    gate.close()
    until(lambda: health(server)[1]["status"] == "degraded")
    status, body = health(server)
    assert (status, body["entries"]) == (200, 4)
    (problem,) = [p for p in body["problems"] if p["part"] == "database"]
    assert f"127.0.0.1:{gate.port}" in problem["cause"]
    assert get(server, "/events/kurs-ungdom.ics") == (200, calendar)
    assert get(server, "/events/kurs-ungdom")[0] == 200
    gate.open()  # and back
    until(lambda: health(server)[1]["status"] == "ok")
    assert get(server, "/events/kurs-ungdom.ics") == (200, calendar)


def test_serve_starts_while_the_database_host_hangs(tmp_path: Path) -> None:
    """A database that takes the connection and never answers (a hung host, a cut that drops
    packets): serve starts all the same, within the connect timeout (5 s; no
    connect_timeout in this URL), and says what failed."""
    source = tmp_path / "events.yaml"
    source.write_text((DATA / "sync_base.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with socket.socket() as silent:  # listens, and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        env = {**os.environ, "CALFEED_DATA": str(source),
               "CALFEED_DATABASE_URL": "postgresql+psycopg://calfeed:calfeed@127.0.0.1:"
                                       f"{silent.getsockname()[1]}/calfeed",
               "CALFEED_WATCH_INTERVAL": "0.2", "CALFEED_LOG_LEVEL": "warning",
               "CALFEED_ACCESS_LOG": "false"}
        port = free_port()
        log = tmp_path / "serve.log"
        with log.open("w") as out:
            process = subprocess.Popen([sys.executable, "-m", "calfeed", "serve", "--port",
                                        str(port)], env=env, stdout=out,
                                       stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            until(lambda: get(base, "/static/style.css")[0] == 200, log, process)
            # Each /healthz waits out a connect timeout (5 s), or two when the background
            # loop's attempt holds the lock: a reader must wait longer than that.
            status, body = health(base, timeout=30)
            assert (status, body["status"]) == (503, "failing")
            (problem,) = [p for p in body["problems"] if p["part"] == "database"]
            assert "timeout" in problem["cause"].lower(), problem["cause"]
        finally:
            process.terminate()
            process.wait(timeout=30)
