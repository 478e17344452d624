"""The serving state of one process: the current snapshot, its rendered bodies, and the loop
that notices an edited source file or a sync made by another process."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import SourceError, SyncBusyError
from ..formats.context import RenderContext
from ..formats.fragments import canonical_scopes, site_url
from ..model import Snapshot, zone
from ..settings import Settings
from ..source import load_source
from ..store import SyncReport, current_revision, load_snapshot, record_failure, sync
from ..store.fragments import load_fragments
from .cache import ResponseCache
from .fragments import FragmentCache
from .replay import Replays, replays_for

log = logging.getLogger("calfeed.serve")
Clock = Callable[[], datetime]
_NOT_SYNCED = (-1, -1)  # a source fingerprint no file has: the next watch round syncs


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Current:
    """A snapshot and the cache of bodies rendered from it, swapped together."""

    snapshot: Snapshot | None
    cache: ResponseCache = field(default_factory=lambda: ResponseCache(0))


class Publisher:
    def __init__(self, settings: Settings, engine: Engine, clock: Clock = system_clock) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self.current = Current(None)
        self.fragments = FragmentCache()
        self._loaded = False
        self._lock = threading.Lock()
        self._fingerprint: tuple[int, int] | None = self._source_fingerprint()
        self._replays: tuple[Current, Replays] | None = None

    # --- the data ---

    def refresh(self) -> bool:
        """Load a new snapshot if the database moved on; True when it did."""
        with self._lock:
            revision = current_revision(self.engine)
            if self._loaded and self.current.snapshot is not None \
                    and self.current.snapshot.revision == revision:
                return False
            snapshot = load_snapshot(self.engine)
            if snapshot is not None:
                self._warm(snapshot)
            self.current = Current(snapshot, ResponseCache(snapshot.revision if snapshot else 0))
            self._loaded = True
            if snapshot is not None:
                log.info("serving revision %d (%d entries)", snapshot.revision,
                         len(snapshot.entries))
            return True

    def _warm(self, snapshot: Snapshot) -> None:
        """Take the fragments ``sync`` stored for this snapshot's entries, so the first requests
        assemble instead of render. Any that are missing or were rendered for another site
        URL or day are rendered in memory when first asked for; a database error here only
        costs those renders."""
        scopes = canonical_scopes(snapshot.calendar, self.context(snapshot))
        try:
            found = load_fragments(self.engine, {
                s.kind: self.fragments.missing(s, snapshot.entries) for s in scopes})
        except SQLAlchemyError:
            log.exception("could not load stored fragments; rendering them instead")
            return
        for scope in scopes:
            self.fragments.preload(scope, found.get(scope.kind, ()))

    def ensure_loaded(self) -> Current:
        """The current snapshot, looking in the database while there is none yet (before the
        first sync a request costs one cheap revision query; after it, nothing)."""
        if not self._loaded or self.current.snapshot is None:
            self.refresh()
        return self.current

    def context(self, snapshot: Snapshot) -> RenderContext:
        today = self.clock().astimezone(zone(snapshot.calendar.timezone)).date()
        return RenderContext(
            site_url=site_url(self.settings.base_url, snapshot.calendar),
            today=today,
            refresh_minutes=self.settings.refresh_interval,
            feed_entries=self.settings.feed_entries,
        )

    def replays(self) -> Replays | None:
        """The responses ``ReplayCached`` may repeat: those of the current revision and day.
        Called on the event loop only, for every GET, so it does as little as it can."""
        current = self.current
        if current.snapshot is None:
            return None
        held = self._replays
        if held is None or held[0] is not current or self.clock() >= held[1].expires:
            held = self._replays = (current, replays_for(current.snapshot, self.clock()))
        return held[1]

    # --- the source file ---

    def sync_source(self) -> SyncReport | None:
        """Sync the source file; on errors keep the last good data and record why. Raises
        SyncBusyError when another writer holds the database longer than ``lock_timeout``."""
        path = self.settings.data
        now = self.clock()
        limit = self.settings.lock_timeout
        try:
            loaded = load_source(path)
        except SourceError as exc:
            log.error("%s has errors; still serving the last good data:\n%s", path, exc)
            record_failure(self.engine, now, str(path), exc.problems, lock_timeout=limit)
            return None
        report = sync(self.engine, loaded.source, now, str(path), lock_timeout=limit,
                      base_url=self.settings.base_url)
        log.info("synced %s: %s", path, report.summary())
        return report

    def sync_at_start(self) -> None:
        """The sync ``calfeed serve`` makes before taking traffic. A database busy with another
        writer does not stop the server: it serves the last good data, and the background loop
        syncs the file on its next round."""
        if not self._sync_unless_busy():
            self.sync_soon()

    def sync_soon(self) -> None:
        """Have the next round of the background loop sync the file, changed or not."""
        self._fingerprint = _NOT_SYNCED

    def tick(self, *, watch: bool) -> None:
        """One round of the background loop: sync an edited source, then pick up new data
        (whatever became of the sync: another process may have synced)."""
        try:
            if watch:
                fingerprint = self._source_fingerprint()
                if fingerprint != self._fingerprint and self._sync_unless_busy():
                    # Only now: if the sync raised (database away) or found the database
                    # busy, the next round tries again.
                    self._fingerprint = fingerprint
        finally:
            self.refresh()

    def _sync_unless_busy(self) -> bool:
        try:
            self.sync_source()
        except SyncBusyError as exc:
            log.warning("could not sync %s: %s; still serving the last good data, and trying "
                        "again", self.settings.data, exc)
            return False
        return True

    def _source_fingerprint(self) -> tuple[int, int] | None:
        try:
            stat = Path(self.settings.data).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)
