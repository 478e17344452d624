"""The snapshot carries the tombstones (what the API's ``updated_since`` reports as removed):
an entry removed by a sync, with when; gone again when the id is restored. Runs on SQLite and
PostgreSQL (see conftest.py)."""

from __future__ import annotations

from sqlalchemy import Engine

from calfeed.model import Removed
from tests.store.test_sync import BASE, LATER, MUCH_LATER, NOW, apply, snapshot, without


def test_a_removal_is_a_tombstone_with_its_time_until_the_id_returns(engine: Engine) -> None:
    apply(engine, BASE, NOW)
    assert snapshot(engine).removed == ()
    apply(engine, without(without(BASE, "webinar-rus"), "kurs-ungdom"), LATER)
    assert snapshot(engine).removed == (Removed("kurs-ungdom", LATER),
                                        Removed("webinar-rus", LATER))
    # An unchanged file later changes no tombstone's time.
    apply(engine, without(without(BASE, "webinar-rus"), "kurs-ungdom"), MUCH_LATER)
    assert [r.at for r in snapshot(engine).removed] == [LATER, LATER]
    # Restored: live again, no longer a tombstone.
    apply(engine, without(BASE, "webinar-rus"), MUCH_LATER)
    assert snapshot(engine).removed == (Removed("webinar-rus", LATER),)
    assert "kurs-ungdom" in {p.entry.id for p in snapshot(engine).entries}
