"""What a renderer needs to know besides the entries: where, when and how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class RenderContext:
    site_url: str  # absolute, no trailing slash
    today: date  # in the calendar's zone: windows and "days left" are by day
    refresh_minutes: int = 60
    feed_entries: int = 50

    def url(self, path: str) -> str:
        return f"{self.site_url}{path}"

    def entry_url(self, entry_id: str) -> str:
        return self.url(f"/events/{quote(entry_id)}")
