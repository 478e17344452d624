"""Each entry's VEVENT rendered once per revision of that entry, across data revisions.

A feed is assembled from these fragments, so any new filter costs a concatenation, and a sync
that changes one entry re-renders one entry. The key holds everything a VEVENT depends on.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime

from ..formats import ics
from ..formats.context import RenderContext
from ..model import CalendarInfo, Published

FragmentKey = tuple[str, int, datetime, datetime, CalendarInfo, str]


class FragmentCache:
    def __init__(self, max_items: int = 50_000) -> None:
        self._items: OrderedDict[FragmentKey, bytes] = OrderedDict()
        self._max = max_items
        self._lock = threading.Lock()
        self.renders = 0  # VEVENTs built; tests and the bench read it

    def vevents(self, entries: Sequence[Published], calendar: CalendarInfo,
                ctx: RenderContext) -> list[bytes]:
        return [self.vevent(p, calendar, ctx) for p in entries]

    def vevent(self, published: Published, calendar: CalendarInfo, ctx: RenderContext) -> bytes:
        key = (published.entry.id, published.sequence, published.last_modified,
               published.first_seen, calendar, ctx.site_url)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        body = ics.render_vevent(published, calendar, ctx)
        with self._lock:
            self.renders += 1
            self._items[key] = body
            while len(self._items) > self._max:
                self._items.popitem(last=False)
        return body
