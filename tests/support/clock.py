"""A clock a test can move: what ``create_app(clock=...)`` reads as now."""

from __future__ import annotations

from datetime import datetime, timedelta


class MovableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move forward by ``timedelta(**delta)``, e.g. ``clock.advance(minutes=5)``."""
        self.now += timedelta(**delta)
