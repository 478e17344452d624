"""One line for a failure of the database or the file system: what failed, why, and what to
do. The command line prints it instead of a traceback (``--debug`` adds the traceback); SQL and
its parameters are never part of it, nor a database password."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

DEBUG_HINT = "--debug or CALFEED_LOG_LEVEL=DEBUG shows the traceback"


def database_failure(exc: SQLAlchemyError, database_url: str) -> str:
    where = _safe_url(database_url)
    if isinstance(exc, ArgumentError):
        return (f"error: CALFEED_DATABASE_URL is not a database URL ({where}); write it like "
                "sqlite:///var/calfeed.db or postgresql+psycopg://user:pass@host/db")
    # DBAPIError's own text carries the statement and its parameters: only the driver's cause.
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    reason = _first_line(str(cause)) or type(cause).__name__
    return (f"error: the database at {where} failed: {reason}; check that it is reachable, "
            "its disk has space and it may be written, then run the command again (nothing "
            f"was changed by this run; {DEBUG_HINT})")


def file_failure(exc: OSError) -> str:
    what = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or _first_line(str(exc)) or type(exc).__name__
    return (f"error: cannot read or write{what}: {reason}; free disk space or fix the path "
            f"and its permissions, then run the command again ({DEBUG_HINT})")


def _safe_url(database_url: str) -> str:
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "CALFEED_DATABASE_URL"


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
