"""The one interface through which the builders take already rendered pieces.

A *piece* is one entry's part of a feed: its VEVENT (``ics.render_vevent``), Atom ``<entry>``
or RSS ``<item>`` (``atom.render_entry``), or JSON item (``jsonapi.entry_base``). Feeds are
assembled from pieces, so whoever keeps them (``calfeed.publish``: in memory, and a copy in
the database) saves every builder the work of rendering each entry again. Every builder
(``ics.render_calendar``, ``atom.atom``/``rss``, ``jsonapi.events_page``) takes a ``Pieces`` or
None, and None renders each piece afresh: the bytes are the same either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from ..model import Published
from ..recurrence import Occurrence

Kind = Literal["vevent", "atom", "rss", "json"]
KINDS: tuple[Kind, ...] = ("vevent", "atom", "rss", "json")


class Pieces(Protocol):
    """Pieces for one calendar, site URL and day (what a ``RenderContext`` names)."""

    def many(self, kind: Kind, entries: Sequence[Published]) -> Sequence[bytes]:
        """The ``vevent``, ``atom`` or ``rss`` pieces of ``entries``, in their order."""
        ...

    def item(self, published: Published, occurrence: Occurrence, lang: str) -> dict[str, Any]:
        """The JSON item of one occurrence in ``lang``, without the day's deadline fields
        (``jsonapi.item_base``); the caller must not change it (it may be shared)."""
        ...
