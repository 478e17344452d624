"""tests/support/postgres.py when several pytest sessions share one PostgreSQL server: a
session that starts drops the schemas of sessions that are gone, never those of one still
running (before, it dropped every `calfeed_t_*` schema, so two sessions broke each other)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.support import postgres as pg

ROOT = Path(__file__).resolve().parent.parent
NOW = 2_000_000_000.0
HOUR = 3600


def gone_pid() -> int:
    """The PID of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --- which names are abandoned -------------------------------------------------------------


def test_a_schema_of_a_running_process_on_this_machine_is_kept() -> None:
    assert not pg.abandoned(pg.schema_name(created=NOW), now=NOW + 60)
    assert not pg.abandoned(pg.schema_name(pid=os.getppid(), created=NOW), now=NOW + 60)


def test_a_schema_of_a_process_that_has_exited_is_dropped() -> None:
    assert pg.abandoned(pg.schema_name(pid=gone_pid(), created=NOW), now=NOW + 60)


def test_a_schema_made_on_another_machine_is_dropped_only_when_old() -> None:
    name = pg.schema_name(pid=1234, created=NOW).replace(pg.machine_id(), "0123abcd")
    # Its PID means nothing here, dead or alive: only its age tells.
    assert not pg.abandoned(name, now=NOW + HOUR, alive=lambda pid: False)
    assert pg.abandoned(name, now=NOW + pg.MAX_AGE + 1, alive=lambda pid: True)


def test_a_schema_older_than_max_age_is_dropped_even_if_its_pid_is_in_use() -> None:
    # The PID may have been reused by an unrelated process since.
    assert pg.abandoned(pg.schema_name(created=NOW), now=NOW + pg.MAX_AGE + 1)


def test_a_name_without_owner_and_time_is_from_an_older_harness_and_dropped() -> None:
    assert pg.abandoned("calfeed_t_0a1b2c3d4e5f", now=NOW)


def test_names_say_who_made_them_and_fit_postgresql() -> None:
    name = pg.schema_name()
    assert name.startswith(f"{pg.SCHEMA_PREFIX}{pg.machine_id()}_{os.getpid()}_")
    assert len(name) <= 63  # NAMEDATALEN - 1
    assert pg.schema_name() != name


# --- on a real server ------------------------------------------------------------------------


@pytest.fixture
def base() -> str:
    return pg.base_url_or_skip()


@pytest.fixture
def schemas(base: str) -> Iterator[dict[str, str]]:
    """Schemas as three other sessions left them: one still running, one that died, one from
    an older harness. Whatever is left is dropped at the end."""
    names = {
        "running": pg.schema_name(pid=os.getppid()),
        "dead": pg.schema_name(pid=gone_pid()),
        "old harness": "calfeed_t_" + "5eed" * 3,
    }
    with psycopg.connect(pg.libpq_url(base), autocommit=True) as conn:
        for name in names.values():
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    yield names
    with psycopg.connect(pg.libpq_url(base), autocommit=True) as conn:
        for name in names.values():
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def existing(base: str, names: dict[str, str]) -> set[str]:
    with psycopg.connect(pg.libpq_url(base)) as conn:
        rows = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)",
                            (list(names.values()),)).fetchall()
    found = {row[0] for row in rows}
    return {label for label, name in names.items() if name in found}


def test_a_starting_session_drops_only_abandoned_schemas(
    base: str, schemas: dict[str, str],
) -> None:
    dropped = pg.drop_stale_schemas(base)
    assert schemas["dead"] in dropped and schemas["old harness"] in dropped
    assert existing(base, schemas) == {"running"}


def test_a_second_pytest_session_leaves_a_running_sessions_schema_alone(
    postgres_url: str, base: str,
) -> None:
    # This test holds a schema, as any test of a running suite does; meanwhile someone runs
    # one PostgreSQL test in another session, which starts by cleaning up.
    with psycopg.connect(pg.libpq_url(postgres_url)) as conn:
        mine = conn.execute("SELECT current_schema()").fetchone()
    assert mine is not None
    other = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_harness.py::test_postgres_url_is_an_empty_schema_of_its_own"],
        cwd=ROOT, env={**os.environ, pg.ENV: base}, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert other.returncode == 0, other.stdout + other.stderr
    assert existing(base, {"mine": mine[0]}) == {"mine"}
