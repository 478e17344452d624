"""The file watcher of ``calfeed serve``: publishes the source file when it changes, through
the same pipeline as ``calfeed sync`` (``pipeline.publish_file``), then has the server pick up
whatever revision the database now holds (its own, or one another process published).

Two guards stand between an edit and the subscribers:

- **Settling**: an edited file is published only once it has stayed unchanged (same size and
  modification time) for ``settings.watch_settle`` seconds, so a file still being written is
  not published half-way. (Writing to a temporary file and renaming it over the source is
  safer still: the watcher then only ever sees whole files.)
- **Mass removals**: an edit that would remove most of the published entries is held back
  (``RemovalsHeldError``, shown at ``/healthz``) and published only when the same file stays
  unchanged for ``settings.removals_hold`` seconds, the editor's way of saying "I meant it"
  (or ``calfeed sync --allow-removals``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import RemovalsHeldError, SourceError, SyncBusyError
from ..settings import Settings
from .pipeline import Publication, publish_file, record_rejection

log = logging.getLogger("calfeed.serve")
Clock = Callable[[], datetime]
Fingerprint = tuple[int, int] | None
_NOT_PUBLISHED = (-1, -1)  # a file fingerprint no file has: the next round publishes


def system_clock() -> datetime:
    return datetime.now(UTC)


class Watcher:
    """Publishes ``settings.data`` when it changes; ``refresh`` is called after every round
    (it loads a new served state when the database moved on)."""

    def __init__(self, settings: Settings, engine: Engine, clock: Clock,
                 refresh: Callable[[], object]) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self.refresh = refresh
        self.problem: str | None = None  # why the last publish failed, if it did
        self._fingerprint: Fingerprint = self._file_fingerprint()  # the last one published
        # The file as last seen, and since when it has looked like that.
        self._seen: Fingerprint = self._fingerprint
        self._seen_since = clock()
        self._held: Fingerprint = None  # a file held back for its removals
        # One round at a time: two at once (the loop and a caller) would publish one edit twice.
        self._round = threading.Lock()

    def publish_source(self, *, allow_removals: bool = False) -> Publication | None:
        """Publish the source file; on errors keep the last good data and record why. Raises
        SyncBusyError when another writer holds the database longer than ``lock_timeout``."""
        path = self.settings.data
        now = self.clock()
        try:
            publication = publish_file(self.settings, self.engine, now, path,
                                       allow_removals=allow_removals)
        except SourceError as exc:
            log.error("%s has errors; still serving the last good data:\n%s", path, exc)
            self.problem = f"{path} has errors:\n{exc}"
            record_rejection(self.settings, self.engine, now, str(path), exc.problems)
            return None
        except RemovalsHeldError as exc:
            wait = timedelta(seconds=self.settings.removals_hold)
            message = (f"{exc}; publishing it when {path} stays unchanged for {wait}, or run "
                       "`calfeed sync --allow-removals` if that is meant")
            log.warning("held back: %s; still serving the last good data", message)
            self.problem = f"held back: {message}"
            self._held = self._seen
            record_rejection(self.settings, self.engine, now, str(path), [message])
            return None
        self.problem = None
        self._held = None
        log.info("synced %s: %s", path, publication.summary())
        for warning in publication.late:
            log.warning("%s", warning)
        return publication

    def publish_at_start(self) -> None:
        """The publish ``calfeed serve`` makes before taking traffic. A database busy with
        another writer, or away, does not stop the server: it serves the last good data, and
        the next round publishes the file."""
        if not self._publish_unless_busy():
            self.publish_soon()

    def publish_soon(self) -> None:
        """Have the next round publish the file, changed or not."""
        self._fingerprint = _NOT_PUBLISHED

    def tick(self, *, watch: bool) -> None:
        """One round of the background loop: publish an edited source once it has settled,
        then pick up new data (whatever became of the publish: another process may have
        published)."""
        try:
            if watch:
                with self._round:
                    self._watch_round()
        finally:
            self.refresh()

    def _watch_round(self) -> None:
        fingerprint = self._file_fingerprint()
        now = self.clock()
        if fingerprint != self._seen:
            self._seen, self._seen_since = fingerprint, now  # still changing: wait
        settled = now - self._seen_since >= timedelta(seconds=self.settings.watch_settle)
        if not settled:
            return
        if fingerprint != self._fingerprint:
            if self._publish_unless_busy():
                # Only now: if the publish raised (database away) or found the database
                # busy, the next round tries again.
                self._fingerprint = fingerprint
        elif self._held is not None and fingerprint == self._held and \
                now - self._seen_since >= timedelta(seconds=self.settings.removals_hold):
            log.warning("%s has stayed unchanged for %g s: publishing the removals held back",
                        self.settings.data, self.settings.removals_hold)
            self._publish_unless_busy(allow_removals=True)

    def _publish_unless_busy(self, *, allow_removals: bool = False) -> bool:
        try:
            self.publish_source(allow_removals=allow_removals)
        except SyncBusyError as exc:
            log.warning("could not sync %s: %s; still serving the last good data, and trying "
                        "again", self.settings.data, exc)
            self.problem = f"could not sync {self.settings.data}: {exc}"
            return False
        except SQLAlchemyError as exc:
            log.error("could not sync %s: the database failed (%s); still serving the last "
                      "good data, and trying again", self.settings.data, first_line(exc))
            self.problem = f"could not sync {self.settings.data}: {first_line(exc)}"
            return False
        return True

    def _file_fingerprint(self) -> Fingerprint:
        try:
            stat = Path(self.settings.data).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)


def first_line(exc: BaseException) -> str:
    """A database error without SQLAlchemy's parameters and background links."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:300]
