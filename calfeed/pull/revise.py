"""Decide what a pull changes: revisions, not surprises.

Given a source's last good entries and what upstream gives now: new and changed entries are
taken (sync then raises SEQUENCE, as for an edit); an entry upstream stopped listing stays, as
cancelled, until it has ended (a subscriber sees it cancelled instead of silently gone); and a
source that suddenly gives far fewer entries than before keeps its last good set, reported.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime

from ..partners import PulledEntry
from ..recurrence import last_end
from .mapping import Pulled

# "Far fewer": under this share of the entries before, when there were at least SHRINK_FLOOR.
SHRINK_SHARE = 0.5
SHRINK_FLOOR = 4


@dataclass(slots=True)
class Revision:
    entries: list[PulledEntry] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)  # vanished upstream, not yet ended
    unchanged: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # vanished and ended: gone
    refused: str | None = None  # why the new set was not taken (the last good one is kept)

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.cancelled or self.dropped)


def revise(previous: list[PulledEntry], pulled: list[Pulled], now: datetime, *,
           force: bool = False, cancel_vanished: bool = True,
           unwanted: Collection[str] = ()) -> Revision:
    """``cancel_vanished`` False is for feeds (Atom/RSS), which list only their latest items:
    an item that scrolled off is kept as it was (until it has ended), not cancelled.
    ``unwanted``: ids upstream still lists but include/exclude now leave out; they go."""
    before = {p.entry.id: p for p in previous}
    listed_before = sum(1 for p in previous if p.vanished is None)
    # What upstream lists, whether or not include/exclude keep it (narrowing is the editor's).
    listed_now = len(pulled) + len(unwanted)
    if not force and listed_before >= SHRINK_FLOOR and listed_now < listed_before * SHRINK_SHARE:
        return Revision(entries=list(previous), refused=(
            f"upstream now lists {listed_now} entries, far fewer than the {listed_before} "
            "before; kept the last good entries (`calfeed pull --force NAME` takes them)"))
    result = Revision()
    for item in pulled:
        old = before.get(item.entry.id)
        kept = PulledEntry(item.entry, item.provenance)
        if old is None:
            result.added.append(item.entry.id)
        elif old.entry != item.entry:
            result.changed.append(item.entry.id)
        else:
            result.unchanged.append(item.entry.id)
        result.entries.append(kept)
    listed = {item.entry.id for item in pulled}
    for old in previous:
        if old.entry.id in listed:
            continue
        ends = last_end(old.entry)
        if old.entry.id in unwanted or (ends is not None and ends <= now):
            result.dropped.append(old.entry.id)
            continue
        if old.vanished is None and cancel_vanished:
            result.cancelled.append(old.entry.id)
            old = PulledEntry(replace(old.entry, status="cancelled"), old.provenance, now)
        else:
            result.unchanged.append(old.entry.id)
            if old.vanished is None:
                old = PulledEntry(old.entry, old.provenance, now)
        result.entries.append(old)
    result.entries.sort(key=lambda p: p.entry.id)
    return result
