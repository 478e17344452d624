"""Pieces kept in memory per entry revision, across data revisions (``PieceCache``), and the
``Pieces`` one served state hands the builders (``ServedPieces``).

A feed is assembled from these, so any new filter costs a concatenation, and a sync that
changes one entry re-renders one piece per format. A piece is found by its key
(``keys.PieceMaker.key``: everything it depends on), so pieces the database already holds
(``preload``, from the writer's publish) count as rendered: a new replica starts warm.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..formats.context import RenderContext
from ..formats.jsonapi import at_occurrence
from ..formats.pieces import KINDS, Kind
from ..model import CalendarInfo, Published
from ..recurrence import Occurrence
from .keys import PieceKey, PieceMaker


class PieceCache:
    def __init__(self, max_items: int = 50_000) -> None:
        # One LRU per kind, so many JSON occurrences cannot push out the VEVENTs.
        self._items: dict[str, OrderedDict[PieceKey, Any]] = {k: OrderedDict() for k in KINDS}
        self._max = max_items
        self._lock = threading.Lock()
        self.renders: Counter[str] = Counter()  # pieces built, per kind; tests and the bench
        self.preloaded = 0  # pieces taken from the database
        # JSON items of a recurring entry's later occurrences, derived from its piece.
        self._occurrences: OrderedDict[tuple[str, Occurrence], dict[str, Any]] = OrderedDict()
        self.derived = 0

    def get(self, maker: PieceMaker, published: Published) -> Any:
        key = maker.key(published)
        items = self._items[maker.kind]
        with self._lock:
            found = items.get(key)
            if found is not None:
                items.move_to_end(key)
                if isinstance(found, bytes) and maker.kind == "json":
                    found = items[key] = maker.load(found)  # preloaded: parse on first use
                return found
        value = maker.load(maker.render(published))  # outside the lock: renders are slow
        with self._lock:
            self.renders[maker.kind] += 1
            self._put(items, key, value)
        return value

    def item(self, maker: PieceMaker, published: Published, occ: Occurrence) -> dict[str, Any]:
        """The JSON item (without the day's deadline fields) of one occurrence."""
        base: dict[str, Any] = self.get(maker, published)
        item = at_occurrence(base, published, occ, maker.ctx, maker.lang)
        if item is base:
            return base
        key = (maker.digest(published), occ)
        with self._lock:
            found = self._occurrences.get(key)
            if found is not None:
                self._occurrences.move_to_end(key)
                return found
            self.derived += 1
            self._put(self._occurrences, key, item)
        return item

    def many(self, maker: PieceMaker, entries: Sequence[Published]) -> list[Any]:
        return [self.get(maker, p) for p in entries]

    def missing(self, maker: PieceMaker, entries: Iterable[Published]) -> dict[str, date | None]:
        """The pieces of ``entries`` not held yet: digest → day."""
        items = self._items[maker.kind]
        keys = [maker.key(p) for p in entries]
        with self._lock:
            return {digest: day for digest, day in keys if (digest, day) not in items}

    def preload(self, maker: PieceMaker, bodies: Iterable[tuple[PieceKey, bytes]]) -> None:
        """Keep pieces rendered elsewhere, as the database has them. Kept as bytes until
        first used (a parsed JSON item is several times bigger, and most entries of a big
        calendar are seldom asked for)."""
        items = self._items[maker.kind]
        with self._lock:
            for key, body in bodies:
                self._put(items, key, body)
                self.preloaded += 1

    def _put(self, items: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        items[key] = value
        items.move_to_end(key)
        while len(items) > self._max:
            items.popitem(last=False)


class ServedPieces:
    """The ``formats.pieces.Pieces`` of one calendar and context, kept in a ``PieceCache``."""

    def __init__(self, cache: PieceCache, calendar: CalendarInfo, ctx: RenderContext) -> None:
        self.cache = cache
        self.calendar = calendar
        self.ctx = ctx
        self._makers: dict[tuple[str, str], PieceMaker] = {}

    def maker(self, kind: Kind, lang: str | None = None) -> PieceMaker:
        key = (kind, lang or self.calendar.language)
        found = self._makers.get(key)
        if found is None:
            found = self._makers[key] = PieceMaker(kind, self.calendar, self.ctx, key[1])
        return found

    def many(self, kind: Kind, entries: Sequence[Published]) -> list[bytes]:
        return self.cache.many(self.maker(kind), entries)

    def item(self, published: Published, occurrence: Occurrence, lang: str) -> dict[str, Any]:
        return self.cache.item(self.maker("json", lang), published, occurrence)
