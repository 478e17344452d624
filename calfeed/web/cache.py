"""Rendered bodies kept per data revision, so each is built once, not once per request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from .http import Rendered


class ResponseCache:
    """An LRU of rendered bodies for one served state, bounded in items and in bytes (bodies
    and their gzip twins): distinct filter URLs can't grow the process, however big each body
    is; a new state (a sync, midnight) gets a fresh cache."""

    def __init__(self, max_items: int = 4096, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._items: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._max = max_items
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self.renders = 0  # how many bodies were built (tests and the bench read it)
        self.bytes = 0  # bytes of the bodies held

    def get(self, key: Hashable) -> Rendered | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0

    def get_or_render(self, key: Hashable, render: Callable[[], Rendered]) -> Rendered:
        found = self.get(key)
        if found is not None:
            return found
        rendered = render()  # outside the lock: a slow render must not block hits
        size = rendered_bytes(rendered)
        with self._lock:
            self.renders += 1
            if size > self._max_bytes:
                return rendered  # served, not kept: it alone would be over the bound
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= rendered_bytes(old)
            self._items[key] = rendered
            self.bytes += size
            while len(self._items) > self._max or self.bytes > self._max_bytes:
                _, dropped = self._items.popitem(last=False)
                self.bytes -= rendered_bytes(dropped)
        return rendered


def rendered_bytes(rendered: Rendered) -> int:
    return len(rendered.body) + len(rendered.gzipped or b"")
