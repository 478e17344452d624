"""Local times in a zone, the way RFC 5545 §3.3.5 reads them: a wall-clock time in the
spring-forward gap or the ambiguous autumn hour, resolved to one aware instant.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True, slots=True)
class LocalTime:
    """A wall-clock time resolved in a zone, and what (if anything) was odd about it."""

    value: datetime  # aware
    note: str | None = None  # "does not exist …" / "occurs twice …"


def resolve_local(naive: datetime, tz_name: str) -> LocalTime:
    """Read a wall-clock time in a zone the way RFC 5545 §3.3.5 says.

    A time in the spring-forward gap is read with the offset from before the gap (02:30 in Oslo
    on the last Sunday of March becomes 03:30 CEST); an ambiguous autumn time is its first
    occurrence. Python's ``fold=0`` has exactly these semantics, so we normalise through UTC.
    """
    tz = zone(tz_name)
    first = naive.replace(tzinfo=tz, fold=0)
    resolved = first.astimezone(UTC).astimezone(tz)
    if resolved.replace(tzinfo=None) != naive:
        return LocalTime(
            resolved,
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz_name}; "
            f"read as {resolved:%H:%M} {resolved.tzname()}",
        )
    if first.utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        return LocalTime(
            resolved,
            f"{naive:%Y-%m-%d %H:%M} occurs twice in {tz_name}; "
            f"read as the first, {resolved:%H:%M} {resolved.tzname()}",
        )
    return LocalTime(resolved)


def local_midnight(day: date, tz_name: str) -> datetime:
    return resolve_local(datetime.combine(day, time()), tz_name).value
