"""The benchmark's generator makes sources calfeed accepts, of the size and mix asked for."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bench.generate import ANCHOR, FUTURE_DAYS, PAST_DAYS, generate
from calfeed.model import TYPES
from calfeed.source import parse_source


def test_generated_source_validates_with_the_requested_count_and_mix() -> None:
    loaded = parse_source(generate(400, seed=7), "generated.yaml")
    entries = loaded.source.entries

    assert len(entries) == 400
    assert len({e.id for e in entries}) == 400
    kinds = Counter(e.type for e in entries)
    assert set(kinds) == set(TYPES)
    assert kinds["meeting"] > kinds["event"]  # the shipped data's balance, not a uniform draw
    timed = [e for e in entries if not e.all_day]
    assert timed and len(timed) < len(entries) / 2
    assert any(e.timezone != "Europe/Oslo" for e in timed)
    assert 0 < sum(1 for e in entries if e.repeat) < len(entries) / 10
    assert {"cancelled", "tentative", "confirmed"} <= {e.status for e in entries}
    assert any(set("æøå") & set(e.title + (e.description or "")) for e in entries)
    assert all(e.tags for e in entries)


def test_dates_lie_between_300_days_ago_and_two_years_ahead() -> None:
    entries = parse_source(generate(200)).source.entries
    days = [e.start.date() if isinstance(e.start, datetime) else e.start for e in entries]
    assert min(days) >= ANCHOR - timedelta(days=PAST_DAYS)
    assert max(days) <= ANCHOR + timedelta(days=FUTURE_DAYS)
    assert min(days) < ANCHOR < max(days)


def test_same_seed_gives_the_same_text() -> None:
    assert generate(50, seed=3) == generate(50, seed=3)
    assert generate(50, seed=3) != generate(50, seed=4)
