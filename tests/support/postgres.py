"""A clean PostgreSQL schema per test, from CALFEED_TEST_DATABASE_URL.

.ci/run starts a local PostgreSQL 15 and exports
CALFEED_TEST_DATABASE_URL=postgresql+psycopg://calfeed:calfeed@127.0.0.1:5432/calfeed_test.
Each test gets its own schema, selected by the URL it receives
(`?options=-csearch_path=<schema>`), and the schema is dropped afterwards. Tables created
through that URL without a schema name land in the test's schema only.

Several pytest sessions may share one server (two developers, or a file run while the suite
runs), so a schema's name says whose it is: `calfeed_t_<machine>_<pid>_<created>_<random>`.
A session that starts drops only schemas that are provably abandoned (`abandoned`): made on
this machine by a process that is gone, or older than MAX_AGE.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from tests.support.require import require

ENV = "CALFEED_TEST_DATABASE_URL"
SCHEMA_PREFIX = "calfeed_t_"
# No test keeps its schema for hours; a session's own schemas are dropped at each test's end.
MAX_AGE = 12 * 3600
_OWNED = re.compile(rf"^{SCHEMA_PREFIX}(?P<machine>[0-9a-f]{{8}})_(?P<pid>[0-9]+)_"
                    r"(?P<created>[0-9]+)_[0-9a-f]+$")
HINT = (
    "apt-get install postgresql, then run `.ci/run --setup-only` (starts the cluster, creates "
    "role calfeed and database calfeed_test) and export "
    f"{ENV}=postgresql+psycopg://calfeed:calfeed@127.0.0.1:5432/calfeed_test"
)


def libpq_url(sqlalchemy_url: str) -> str:
    """`postgresql+psycopg://...` -> `postgresql://...` for psycopg.connect."""
    url = make_url(sqlalchemy_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def base_url_or_skip() -> str:
    """The configured URL after a 3 s connection check; skip/fail when unset or unreachable."""
    url = os.environ.get(ENV, "")
    require(bool(url), f"{ENV} is not set: {HINT}")
    require(
        make_url(url).drivername == "postgresql+psycopg",
        f"{ENV} must use the psycopg driver (postgresql+psycopg://...), got {url}",
    )
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        require(False, f"PostgreSQL at {ENV} is unreachable ({exc}): {HINT}")
    return url


def machine_id() -> str:
    """This host and PID namespace, so a PID is only looked up where it means something (two
    containers may share a hostname, or a PostgreSQL server)."""
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        namespace = 0
    return hashlib.sha256(f"{socket.gethostname()}:{namespace}".encode()).hexdigest()[:8]


def schema_name(pid: int | None = None, created: float | None = None) -> str:
    """A new schema name saying who made it and when (this process, now, by default)."""
    pid = os.getpid() if pid is None else pid
    created = time.time() if created is None else created
    return f"{SCHEMA_PREFIX}{machine_id()}_{pid}_{int(created)}_{secrets.token_hex(3)}"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    return True


def abandoned(name: str, *, now: float | None = None,
              alive: Callable[[int], bool] = process_alive) -> bool:
    """Whether no running session can be using test schema ``name``: its creator on this
    machine has exited, or it is older than MAX_AGE (made elsewhere, or its PID reused).
    A name without owner and time is from before names carried them: abandoned."""
    match = _OWNED.match(name)
    if match is None:
        return True
    now = time.time() if now is None else now
    if now - int(match["created"]) > MAX_AGE:
        return True
    return match["machine"] == machine_id() and not alive(int(match["pid"]))


def drop_stale_schemas(url: str) -> list[str]:
    """Drop test schemas left by interrupted runs (and only those: another session running
    now keeps its own); returns the names dropped."""
    dropped = []
    with psycopg.connect(libpq_url(url), connect_timeout=3, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            (SCHEMA_PREFIX.replace("_", r"\_") + "%",),
        ).fetchall()
        for (name,) in rows:
            if not abandoned(name):
                continue
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
            dropped.append(name)
    return dropped


@contextmanager
def isolated_schema(url: str) -> Iterator[str]:
    """Create a fresh schema; yield a URL whose connections use only it; drop it afterwards."""
    schema = schema_name()
    with psycopg.connect(libpq_url(url), connect_timeout=3, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    test_url = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield test_url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq_url(url), connect_timeout=3, autocommit=True) as conn:
            # A connection the test leaked must not hang the suite: give up after 10 s; the
            # next session's drop_stale_schemas removes what is left.
            conn.execute("SET lock_timeout = '10s'")
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
