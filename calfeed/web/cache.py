"""Rendered bodies kept per data revision, so each is built once, not once per request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from .http import Rendered


class ResponseCache:
    """A bounded LRU of rendered bodies for one served state. Arbitrary filter combinations
    can't grow it without limit; a new state (a sync, midnight) gets a fresh cache."""

    def __init__(self, max_items: int = 4096) -> None:
        self._items: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._max = max_items
        self._lock = threading.Lock()
        self.renders = 0  # how many bodies were built (tests and the bench read it)

    def get(self, key: Hashable) -> Rendered | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get_or_render(self, key: Hashable, render: Callable[[], Rendered]) -> Rendered:
        found = self.get(key)
        if found is not None:
            return found
        rendered = render()  # outside the lock: a slow render must not block hits
        with self._lock:
            self.renders += 1
            self._items[key] = rendered
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)
        return rendered
