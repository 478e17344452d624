"""A clean PostgreSQL schema per test, from CALFEED_TEST_DATABASE_URL.

.ci/run starts a local PostgreSQL 15 and exports
CALFEED_TEST_DATABASE_URL=postgresql+psycopg://calfeed:calfeed@127.0.0.1:5432/calfeed_test.
Each test gets its own schema `calfeed_t_<random>`, selected by the URL it receives
(`?options=-csearch_path=<schema>`), and the schema is dropped afterwards. Tables created
through that URL without a schema name land in the test's schema only.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from tests.support.require import require

ENV = "CALFEED_TEST_DATABASE_URL"
SCHEMA_PREFIX = "calfeed_t_"
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


def drop_stale_schemas(url: str) -> None:
    """Drop test schemas left by an interrupted earlier run."""
    with psycopg.connect(libpq_url(url), connect_timeout=3, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            (SCHEMA_PREFIX.replace("_", r"\_") + "%",),
        ).fetchall()
        for (name,) in rows:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@contextmanager
def isolated_schema(url: str) -> Iterator[str]:
    """Create a fresh schema; yield a URL whose connections use only it; drop it afterwards."""
    schema = SCHEMA_PREFIX + secrets.token_hex(6)
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
