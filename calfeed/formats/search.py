"""The pages' search box: the same words match on a page as in the API's ``q=``. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Published
from .apiquery import fold_text

MAX_LENGTH = 200


def search(entries: Iterable[Published], q: str) -> list[Published]:
    """Entries whose title, description, organizer or place contains ``q`` (case, accents
    and spacing folded as the API folds them)."""
    text = fold_text(q)
    if not text:
        return list(entries)
    found = []
    for published in entries:
        entry = published.entry
        fields = (entry.title, entry.description, entry.organizer, entry.location)
        if any(text in fold_text(f) for f in fields if f):
            found.append(published)
    return found
