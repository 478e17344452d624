"""What the editor says about a partner source (`sources:` in events.yaml), and what a pull
remembers of each entry it brought. Pure data: no I/O, no parsing of any format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FORMATS = ("ics", "atom", "rss", "jsonld")


@dataclass(frozen=True, slots=True)
class PartnerSource:
    """One ``sources:`` item. ``type`` None means the format's default (a deadline for atom and
    rss, an event for ics and jsonld); ``include``/``exclude`` are words matched in an item's
    title, description and location, case-insensitively and inside longer words (Norwegian
    compounds: "menneskehandel" matches "menneskehandelsfeltet")."""

    name: str
    url: str
    format: str
    type: str | None = None
    tags: tuple[str, ...] = ()
    organizer: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    every: timedelta = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a pulled entry came from: its source, the upstream UID (or the URL that stands in
    for one) and page, and when it was fetched."""

    source: str
    upstream_uid: str
    upstream_url: str | None
    fetched: datetime
