"""What one process serves: an immutable ``ServedState`` (snapshot, render context, pieces,
the responses rendered from them and the replays of those), swapped whole when the database
has a new revision or the calendar's day changes. A request reads the state once and answers
from it alone, so nothing it uses can change under it."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from ..formats.context import RenderContext
from ..languages import snapshot_in
from ..localtime import zone
from ..model import Snapshot
from ..publish import Clock
from ..publish.memory import PieceCache, ServedPieces
from ..publish.sites import site_url
from ..publish.stored import warm
from ..settings import Settings
from ..store import current_revision, load_snapshot
from .cache import ResponseCache
from .replay import Replays

log = logging.getLogger("calfeed.serve")


@dataclass(frozen=True, slots=True)
class ServedState:
    """Everything a response is made from, for one data revision on one calendar day."""

    snapshot: Snapshot
    context: RenderContext
    pieces: ServedPieces
    expires: datetime  # the next local midnight: "today" moves on, and with it every window
    responses: ResponseCache  # bodies rendered from this state, each once
    replays: Replays  # what web/replay.py repeats before routing
    # This state in other languages (``?lang=``), each made on first use: its own snapshot
    # (languages.snapshot_in), pieces under their own keys in the shared cache, its own
    # responses; so each language's bodies are rendered once per revision too.
    views: dict[tuple[str, bool], ServedState] = field(default_factory=dict, compare=False)

    def in_language(self, language: str, *, pinned: bool = False) -> ServedState:
        """The state as a reader of ``language`` sees it (itself for the calendar's own,
        unless ``pinned``: a page asked for in it by name, whose links keep asking)."""
        if language == self.snapshot.calendar.language and not pinned:
            return self
        found = self.views.get((language, pinned))
        if found is None:
            snapshot = snapshot_in(self.snapshot, language, pinned=pinned)
            pieces = ServedPieces(self.pieces.cache, snapshot.calendar, self.context)
            found = self.views.setdefault((language, pinned), ServedState(
                snapshot, self.context, pieces, self.expires, ResponseCache(), self.replays))
        return found


class Serving:
    """Holds the current ``ServedState`` of one process and makes the next one."""

    def __init__(self, settings: Settings, engine: Engine, clock: Clock) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self.pieces = PieceCache()  # kept across revisions: an entry's pieces outlive them
        self._snapshot: Snapshot | None = None
        self._state: ServedState | None = None
        self._loaded = False
        self._lock = threading.Lock()

    def refresh(self) -> bool:
        """Load a new snapshot if the database moved on; True when it did."""
        with self._lock:
            revision = current_revision(self.engine)
            if self._loaded and self._snapshot is not None \
                    and self._snapshot.revision == revision:
                return False
            snapshot = load_snapshot(self.engine)
            state = self._make(snapshot) if snapshot is not None else None
            if state is not None:
                warm(self.engine, self.pieces, state.snapshot, state.context)
            self._snapshot, self._state, self._loaded = snapshot, state, True
            if snapshot is not None:
                log.info("serving revision %d (%d entries)", snapshot.revision,
                         len(snapshot.entries))
            return True

    def current(self) -> ServedState | None:
        """The state to answer from now: a new one (same snapshot, fresh caches) once the
        calendar's day has changed. Called on the event loop for every GET: cheap."""
        state = self._state
        if state is not None and self.clock() >= state.expires:
            with self._lock:
                state = self._state
                if state is not None and self.clock() >= state.expires:
                    state = self._state = self._make(state.snapshot)
        return state

    def load(self) -> ServedState | None:
        """The current state, looking in the database while there is none yet (before the
        first sync a request costs one cheap revision query; after it, nothing)."""
        if not self._loaded or self._state is None:
            self.refresh()
        return self.current()

    def replays(self) -> Replays | None:
        """The responses ``ReplayCached`` may repeat: those of the current state."""
        state = self.current()
        return state.replays if state is not None else None

    def context(self, snapshot: Snapshot) -> RenderContext:
        today = self.clock().astimezone(zone(snapshot.calendar.timezone)).date()
        return RenderContext(
            site_url=site_url(self.settings.base_url, snapshot.calendar),
            today=today,
            refresh_minutes=self.settings.refresh_interval,
            feed_entries=self.settings.feed_entries,
        )

    def _make(self, snapshot: Snapshot) -> ServedState:
        ctx = self.context(snapshot)
        tz = zone(snapshot.calendar.timezone)
        # In UTC: compared with the clock on every request, and a zone's offset is looked
        # up at each comparison (4x the cost).
        midnight = datetime.combine(ctx.today + timedelta(days=1), datetime.min.time(),
                                    tzinfo=tz).astimezone(UTC)
        return ServedState(snapshot, ctx, ServedPieces(self.pieces, snapshot.calendar, ctx),
                           midnight, ResponseCache(max_bytes=self.settings.response_cache_bytes),
                           Replays(midnight, max_bytes=self.settings.response_cache_bytes))
