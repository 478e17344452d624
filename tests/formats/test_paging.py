"""Splitting a long list into pages: every entry once, at most 100 a page, whole months where
a month boundary allows it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfeed.formats.paging import LEAST, PAGE_SIZE, page_bounds


def months_of(*sizes: int) -> list[int]:
    """One key per entry: ``months_of(2, 3)`` is two entries in month 0, three in month 1."""
    return [month for month, size in enumerate(sizes) for _ in range(size)]


def sizes(pages: list[range]) -> list[int]:
    return [len(page) for page in pages]


def test_a_short_list_is_one_page():
    assert page_bounds(months_of(30, 40, 30)) == [range(0, 100)]


def test_an_empty_list_is_one_empty_page():
    assert page_bounds([]) == [range(0, 0)]


def test_a_page_ends_with_a_whole_month():
    # 40 + 30 + 20 = 90 fit; the next month (25) would overflow 100, so it opens page 2.
    assert sizes(page_bounds(months_of(40, 30, 20, 25, 10))) == [90, 35]


def test_a_page_is_not_cut_short_to_end_a_month_early():
    # Ending after the first month would leave a page of 20: it is cut at 100 instead.
    assert sizes(page_bounds(months_of(20, 150))) == [100, 70]


def test_a_month_larger_than_a_page_runs_on_over_pages():
    assert sizes(page_bounds(months_of(250))) == [100, 100, 50]


@given(st.lists(st.integers(min_value=1, max_value=180), max_size=40))
def test_every_entry_is_on_exactly_one_page_in_order(month_sizes: list[int]) -> None:
    keys = months_of(*month_sizes)
    pages = page_bounds(keys)
    assert [i for page in pages for i in page] == list(range(len(keys)))
    for number, page in enumerate(pages, start=1):
        assert len(page) <= PAGE_SIZE
        if number < len(pages):
            assert len(page) >= LEAST
            cut_in_a_month = keys[page.stop - 1] == keys[page.stop]
            # A month is only cut when no month ends between the LEAST-th and the last entry.
            boundaries = [b for b in range(page.start + LEAST, page.stop + 1)
                          if keys[b - 1] != keys[b]]
            assert cut_in_a_month == (not boundaries)
            assert not cut_in_a_month or len(page) == PAGE_SIZE


def test_sizes_must_make_sense():
    with pytest.raises(ValueError, match="least"):
        page_bounds([1, 2], size=10, least=20)
