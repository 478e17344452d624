"""schema.org ``Event`` JSON-LD for an entry's page, and its safe embedding in HTML. Pure.

Mapping decisions (documented in the README):

- ``eventStatus``: cancelled → ``EventCancelled``; confirmed and tentative → ``EventScheduled``
  (schema.org has no "tentative"; the page itself shows the "Foreløpig"/"Tentative" label).
- ``eventAttendanceMode``: an online link or an "online" place (``Digitalt``/``Online``) without
  a physical place → Online; a physical place plus an online link → Mixed; a place only →
  Offline; neither (most deadlines) → left out rather than guessed.
- ``location``: a ``Place`` named by ``location``, a ``VirtualLocation`` with ``online_url``, or
  both; an "online" place name without a link becomes a ``VirtualLocation`` with that name.
- Dates: all-day entries give dates (``endDate`` is the last day, inclusive); timed entries give
  date-times with their UTC offset. A recurring entry gives the occurrence its page shows.
- ``url`` is the entry's page here; the editor's information page is ``sameAs``.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..model import Entry, Occurrence, When

SCHEMA = "https://schema.org/"
_ONLINE_WORDS = frozenset({"digitalt", "digital", "online", "nett", "på nett", "webinar",
                           "virtual", "virtuelt"})


def is_online_place(location: str | None) -> bool:
    return location is not None and location.strip().lower() in _ONLINE_WORDS


def event_jsonld(entry: Entry, occurrence: Occurrence, page: str) -> dict[str, Any]:
    """The schema.org Event describing ``entry`` on its ``page`` (an absolute URL), dated by the
    ``occurrence`` the page shows (the entry itself, or a recurring one's next)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": page + "#event",
        "name": entry.title,
        "url": page,
        "startDate": _when(occurrence.start),
        "endDate": _when(occurrence.end),
        "eventStatus": SCHEMA + ("EventCancelled" if entry.cancelled else "EventScheduled"),
    }
    mode = attendance_mode(entry)
    if mode is not None:
        data["eventAttendanceMode"] = SCHEMA + mode
    location = _location(entry)
    if location:
        data["location"] = location[0] if len(location) == 1 else location
    if entry.description:
        data["description"] = entry.description.strip()
    if entry.organizer:
        data["organizer"] = {"@type": "Organization", "name": entry.organizer}
    if entry.url:
        data["sameAs"] = entry.url
    if entry.tags:
        data["keywords"] = ", ".join(entry.tags)
    return data


def attendance_mode(entry: Entry) -> str | None:
    physical = entry.location is not None and not is_online_place(entry.location)
    online = entry.online_url is not None or is_online_place(entry.location)
    if physical and online:
        return "MixedEventAttendanceMode"
    if online:
        return "OnlineEventAttendanceMode"
    if physical:
        return "OfflineEventAttendanceMode"
    return None


def _location(entry: Entry) -> list[dict[str, Any]]:
    places: list[dict[str, Any]] = []
    if entry.location and not is_online_place(entry.location):
        places.append({"@type": "Place", "name": entry.location})
    if entry.online_url:
        places.append({"@type": "VirtualLocation", "url": entry.online_url})
    elif is_online_place(entry.location):
        places.append({"@type": "VirtualLocation", "name": entry.location})
    return places


def _when(value: When) -> str:
    # date → "2024-08-21"; aware datetime → "2024-08-21T10:00:00+02:00"
    return value.isoformat()


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/ld+json">``: no ``<``, ``>`` or ``&`` can
    close the element or start a comment, and the line separators JavaScript once choked on are
    escaped too. The result is still exactly the same JSON value."""
    text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
