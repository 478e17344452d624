"""Where the published site lives: the one rule for the address every output links to."""

from __future__ import annotations

from ..model import CalendarInfo

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url(base_url: str | None, calendar: CalendarInfo) -> str:
    """The canonical address outputs link to: the operator's setting, else the source's."""
    return (base_url or calendar.base_url or DEFAULT_SITE_URL).rstrip("/")
