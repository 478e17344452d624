"""The file watcher of ``calfeed serve``: publishes the source file when it changes, through
the same pipeline as ``calfeed sync`` (``pipeline.publish_file``), then has the server pick up
whatever revision the database now holds (its own, or one another process published)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from ..errors import SourceError, SyncBusyError
from ..settings import Settings
from .pipeline import Publication, publish_file, record_rejection

log = logging.getLogger("calfeed.serve")
Clock = Callable[[], datetime]
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
        self._fingerprint: tuple[int, int] | None = self._file_fingerprint()

    def publish_source(self) -> Publication | None:
        """Publish the source file; on errors keep the last good data and record why. Raises
        SyncBusyError when another writer holds the database longer than ``lock_timeout``."""
        path = self.settings.data
        now = self.clock()
        try:
            publication = publish_file(self.settings, self.engine, now, path)
        except SourceError as exc:
            log.error("%s has errors; still serving the last good data:\n%s", path, exc)
            record_rejection(self.settings, self.engine, now, str(path), exc.problems)
            return None
        log.info("synced %s: %s", path, publication.summary())
        return publication

    def publish_at_start(self) -> None:
        """The publish ``calfeed serve`` makes before taking traffic. A database busy with
        another writer does not stop the server: it serves the last good data, and the next
        round publishes the file."""
        if not self._publish_unless_busy():
            self.publish_soon()

    def publish_soon(self) -> None:
        """Have the next round publish the file, changed or not."""
        self._fingerprint = _NOT_PUBLISHED

    def tick(self, *, watch: bool) -> None:
        """One round of the background loop: publish an edited source, then pick up new data
        (whatever became of the publish: another process may have published)."""
        try:
            if watch:
                fingerprint = self._file_fingerprint()
                if fingerprint != self._fingerprint and self._publish_unless_busy():
                    # Only now: if the publish raised (database away) or found the database
                    # busy, the next round tries again.
                    self._fingerprint = fingerprint
        finally:
            self.refresh()

    def _publish_unless_busy(self) -> bool:
        try:
            self.publish_source()
        except SyncBusyError as exc:
            log.warning("could not sync %s: %s; still serving the last good data, and trying "
                        "again", self.settings.data, exc)
            return False
        return True

    def _file_fingerprint(self) -> tuple[int, int] | None:
        try:
            stat = Path(self.settings.data).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)
