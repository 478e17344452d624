"""schema.org ``Event`` JSON-LD for an entry's page, and its safe embedding in HTML. Pure.

Every event carries what Google's event results require (``name``, ``startDate``, a
``location`` that is a ``Place`` with an ``address`` or a ``VirtualLocation`` with a ``url``)
and what they recommend that calfeed knows (``endDate``, ``eventAttendanceMode``,
``eventStatus``, ``organizer``, ``description``). Mapping decisions (documented in the README):

- ``eventStatus``: cancelled → ``EventCancelled``; confirmed and tentative → ``EventScheduled``
  (schema.org has no "tentative"; the page itself shows the "Foreløpig"/"Tentative" label).
- ``location``: a physical place is a ``Place`` whose ``address`` is the place text (the
  editor writes "Oslo kongressenter, Youngs gate 21", which is an address; schema.org allows
  ``Text``). Online attendance is a ``VirtualLocation`` whose ``url`` is the meeting link, else
  the entry's information page (where to register or answer), else its page here. An entry
  with no place at all (most deadlines: one answers on the web) is virtual too.
- ``eventAttendanceMode``: a physical place plus online attendance → Mixed; a place only →
  Offline; otherwise Online.
- ``organizer``: the entry's, else the calendar's author (or title), with the site's URL.
- Dates: all-day entries give dates (``endDate`` is the last day, inclusive); timed entries give
  date-times with their UTC offset. A recurring entry gives the occurrence its page shows.
- ``url`` is the entry's page here; the editor's information page is ``sameAs``.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..model import CalendarInfo, Entry, When
from ..recurrence import Occurrence

SCHEMA = "https://schema.org/"
_ONLINE_WORDS = frozenset({"digitalt", "digital", "online", "nett", "på nett", "webinar",
                           "virtual", "virtuelt"})


def is_online_place(location: str | None) -> bool:
    return location is not None and location.strip().lower() in _ONLINE_WORDS


def event_jsonld(entry: Entry, occurrence: Occurrence, page: str,
                 publisher: tuple[str, str] | None = None) -> dict[str, Any]:
    """The schema.org Event describing ``entry`` on its ``page`` (an absolute URL), dated by the
    ``occurrence`` the page shows (the entry itself, or a recurring one's next).
    ``publisher`` (name, URL; see ``publisher_of``) organizes the entries that name none."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": page + "#event",
        "name": entry.title,
        "url": page,
        "startDate": _when(occurrence.start),
        "endDate": _when(occurrence.end),
        "eventStatus": SCHEMA + ("EventCancelled" if entry.cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + attendance_mode(entry),
    }
    location = _location(entry, page)
    data["location"] = location[0] if len(location) == 1 else location
    if entry.description:
        data["description"] = entry.description.strip()
    if entry.organizer:
        data["organizer"] = {"@type": "Organization", "name": entry.organizer}
    elif publisher is not None:
        data["organizer"] = {"@type": "Organization", "name": publisher[0],
                             "url": publisher[1]}
    if entry.url:
        data["sameAs"] = entry.url
    if entry.tags:
        data["keywords"] = ", ".join(entry.tags)
    return data


def _physical(entry: Entry) -> bool:
    return entry.location is not None and not is_online_place(entry.location)


def attendance_mode(entry: Entry) -> str:
    online = entry.online_url is not None or not _physical(entry)
    if _physical(entry):
        return "MixedEventAttendanceMode" if online else "OfflineEventAttendanceMode"
    return "OnlineEventAttendanceMode"


def _location(entry: Entry, page: str) -> list[dict[str, Any]]:
    places: list[dict[str, Any]] = []
    if entry.location and _physical(entry):
        places.append({"@type": "Place", "name": entry.location, "address": entry.location})
    if entry.online_url or not places:
        virtual: dict[str, Any] = {"@type": "VirtualLocation",
                                   "url": entry.online_url or entry.url or page}
        if entry.location and not places:
            virtual["name"] = entry.location  # "Digitalt"
        places.append(virtual)
    return places


def publisher_of(calendar: CalendarInfo, site_url: str) -> tuple[str, str]:
    """Who publishes the calendar, as the organizer of entries that name none."""
    return calendar.author.name or calendar.title, site_url.rstrip("/") + "/"


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
