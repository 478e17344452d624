"""`calfeed serve` pulls each partner source on its `every`.

Every replica runs this; a source is pulled by the one that claims it in the database first
(``store.pulled.claim``: one write transaction, so SQLite's lock or PostgreSQL's advisory lock
decides), and every replica then serves the result like any other sync. A pull runs in its own
thread, so a slow partner never holds up the loop that picks up new data.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from ..errors import CalfeedError
from ..model import Source
from ..partners import PartnerSource
from ..settings import Settings
from ..source import load_source
from ..store.pulled import claim

log = logging.getLogger("calfeed.pull")
CHECK_EVERY = timedelta(seconds=30)  # how often a replica asks whether a source is due


class PullScheduler:
    def __init__(self, settings: Settings, engine: Engine,
                 clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self._source: Source | None = None
        self._fingerprint: tuple[int, int] | None = None
        self._next_check: datetime | None = None
        self._running: threading.Thread | None = None

    def tick(self) -> None:
        """Start a pull of the sources that are due, unless one is still running."""
        now = self.clock()
        if self._next_check is not None and now < self._next_check:
            return
        self._next_check = now + CHECK_EVERY
        if self._running is not None and self._running.is_alive():
            return
        source = self._current_source()
        if source is None or not source.sources:
            return
        lease = timedelta(seconds=self.settings.pull_timeout * 2 + 60)
        due = [p for p in source.sources.values()
               if claim(self.engine, p.name, now, p.every, lease,
                        lock_timeout=self.settings.lock_timeout)]
        if due:
            self._running = threading.Thread(target=self._pull, args=(source, due, now),
                                             name="calfeed-pull", daemon=True)
            self._running.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the running pull (if any) is done; for tests and shutdown."""
        if self._running is not None:
            self._running.join(timeout)

    def _pull(self, source: Source, due: list[PartnerSource], now: datetime) -> None:
        from ..harvest import pull

        try:
            run = pull(self.engine, source, due, now, settings=self.settings,
                       source_name=str(self.settings.data))
        except Exception:  # a thread's error would vanish: log it, the next round retries
            log.exception("pulling %s failed", ", ".join(p.name for p in due))
            return
        for result in run.sources:
            level = logging.WARNING if result.outcome == "kept" else logging.INFO
            log.log(level, "pulled %s: %s — %s", result.name, result.summary(), result.http)

    def _current_source(self) -> Source | None:
        """The file's sources, read again only when the file changed; a broken file keeps
        the last good ones (the watcher reports its errors)."""
        path = Path(self.settings.data)
        try:
            stat = path.stat()
        except OSError:
            return self._source
        fingerprint = (stat.st_mtime_ns, stat.st_size)
        if fingerprint != self._fingerprint:
            with contextlib.suppress(CalfeedError):
                self._source = load_source(path).source
            self._fingerprint = fingerprint
        return self._source
