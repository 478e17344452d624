"""One line for a failure of the database or the file system: what failed, why, and what to
do, in the messages' language (``messages.line``; the cause itself is the driver's or the
system's words). The command line prints it instead of a traceback (``--debug`` adds the
traceback); SQL and its parameters are never part of it, nor a database password."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from .messages import line
from .swapdir import FolderKeptError


def database_failure(exc: SQLAlchemyError, database_url: str, lang: str = "en") -> str:
    where = _safe_url(database_url)
    if isinstance(exc, ArgumentError):
        return f"error: {line(lang, 'db_url', where=where)}"
    # DBAPIError's own text carries the statement and its parameters: only the driver's cause.
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    reason = _first_line(str(cause)) or type(cause).__name__
    return f"error: {line(lang, 'db_failed', where=where, reason=reason, debug=_debug(lang))}"


def file_failure(exc: OSError, lang: str = "en") -> str:
    what = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or _first_line(str(exc)) or type(exc).__name__
    at = kept = ""
    if isinstance(exc, FolderKeptError):
        at = line(lang, "file_at", file=exc.at) if exc.at else ""
        kept = line(lang, "file_kept")
    return "error: " + line(lang, "file_failed", what=what, reason=reason, at=at, kept=kept,
                            debug=_debug(lang))


def _debug(lang: str) -> str:
    return line(lang, "debug")


def _safe_url(database_url: str) -> str:
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "CALFEED_DATABASE_URL"


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
