"""Splitting a long list into pages, of whole months where it can be done. Pure.

A page holds at most ``size`` entries. It ends at the last month boundary at or after
its ``least``-th entry, so a reader sees whole months; only a month too full for that (more than
``size - least`` entries) is cut at ``size``, and the next page carries on with the same month.
Every entry is on exactly one page, in the order given.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

PAGE_SIZE = 100
LEAST = 50


class NoSuchPage(LookupError):
    """A page number outside ``1..count``."""

    def __init__(self, number: int, count: int) -> None:
        super().__init__(f"page {number} of {count}")
        self.number = number
        self.count = count


def page_bounds(months: Sequence[Hashable], size: int = PAGE_SIZE,
                least: int = LEAST) -> list[range]:
    """The index range of each page of a list whose items fall in ``months`` (one key per item,
    equal keys adjacent). An empty list is one empty page: the page still exists and says so."""
    if not 0 < least <= size:
        raise ValueError("need 0 < least <= size")
    pages: list[range] = []
    start, total = 0, len(months)
    while start < total:
        stop = min(start + size, total)
        if stop < total:
            for boundary in range(stop, start + least - 1, -1):
                if months[boundary - 1] != months[boundary]:
                    stop = boundary
                    break
        pages.append(range(start, stop))
        start = stop
    return pages or [range(0, 0)]
