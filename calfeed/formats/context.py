"""What a renderer needs to know besides the entries: where, when and how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class RenderContext:
    site_url: str  # absolute, no trailing slash
    today: date  # in the calendar's zone: windows and "days left" are by day
    refresh_minutes: int = 60
    feed_entries: int = 50

    def url(self, path: str) -> str:
        """A site path (``formats.urls`` makes them) made absolute."""
        return f"{self.site_url}{path}"

    def entry_url(self, entry_id: str) -> str:
        """The entry's page, absolute (``urls.entry_url``; kept for the API's builders)."""
        from .urls import entry_path  # urls imports this module

        return self.url(entry_path(entry_id))
