"""Each entry's fragments (VEVENT, Atom entry, RSS item, JSON item) kept in memory per entry
revision, across data revisions.

A feed is assembled from these, so any new filter costs a concatenation, and a sync that
changes one entry re-renders one fragment per format. A fragment is found by its digest
(``formats.fragments.Scope.digest``: everything it depends on), so fragments the database
already holds (``preload``, from the writer's ``sync``) count as rendered: a new replica starts
warm.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..formats.context import RenderContext
from ..formats.fragments import KINDS, FragmentKey, Scope
from ..formats.jsonapi import at_occurrence
from ..model import CalendarInfo, Occurrence, Published


class FragmentCache:
    def __init__(self, max_items: int = 50_000) -> None:
        # One LRU per kind, so many JSON occurrences cannot push out the VEVENTs.
        self._items: dict[str, OrderedDict[FragmentKey, Any]] = {k: OrderedDict() for k in KINDS}
        self._max = max_items
        self._lock = threading.Lock()
        self.renders: Counter[str] = Counter()  # fragments built, per kind; tests and the bench
        self.preloaded = 0  # fragments taken from the database
        # JSON items of a recurring entry's later occurrences, derived from its fragment.
        self._occurrences: OrderedDict[tuple[str, Occurrence], dict[str, Any]] = OrderedDict()
        self.derived = 0

    def get(self, scope: Scope, published: Published) -> Any:
        key = scope.key(published)
        items = self._items[scope.kind]
        with self._lock:
            found = items.get(key)
            if found is not None:
                items.move_to_end(key)
                if isinstance(found, bytes) and scope.kind == "json":
                    found = items[key] = scope.load(found)  # preloaded: parse on first use
                return found
        value = scope.load(scope.render(published))  # outside the lock: renders are slow
        with self._lock:
            self.renders[scope.kind] += 1
            self._put(items, key, value)
        return value

    def item(self, scope: Scope, published: Published, occ: Occurrence) -> dict[str, Any]:
        """The JSON item (without the day's deadline fields) of one occurrence."""
        base: dict[str, Any] = self.get(scope, published)
        item = at_occurrence(base, published, occ, scope.ctx, scope.lang)
        if item is base:
            return base
        key = (scope.digest(published), occ)
        with self._lock:
            found = self._occurrences.get(key)
            if found is not None:
                self._occurrences.move_to_end(key)
                return found
            self.derived += 1
            self._put(self._occurrences, key, item)
        return item

    def many(self, scope: Scope, entries: Sequence[Published]) -> list[Any]:
        return [self.get(scope, p) for p in entries]

    def vevents(self, entries: Sequence[Published], calendar: CalendarInfo,
                ctx: RenderContext) -> list[bytes]:
        return self.many(Scope("vevent", calendar, ctx, calendar.language), entries)

    def missing(self, scope: Scope, entries: Iterable[Published]) -> dict[str, date | None]:
        """The fragments of ``entries`` not held yet: digest → day."""
        items = self._items[scope.kind]
        keys = [scope.key(p) for p in entries]
        with self._lock:
            return {digest: day for digest, day in keys if (digest, day) not in items}

    def preload(self, scope: Scope, bodies: Iterable[tuple[FragmentKey, bytes]]) -> None:
        """Keep fragments rendered elsewhere, as the database has them. Kept as bytes until
        first used (a parsed JSON item is several times bigger, and most entries of a big
        calendar are seldom asked for)."""
        items = self._items[scope.kind]
        with self._lock:
            for key, body in bodies:
                self._put(items, key, body)
                self.preloaded += 1

    def _put(self, items: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        items[key] = value
        items.move_to_end(key)
        while len(items) > self._max:
            items.popitem(last=False)
