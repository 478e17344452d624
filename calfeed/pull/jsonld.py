"""Read schema.org ``Event`` data (JSON-LD in an HTML page) into items.

Events may stand alone, in a list, or in an ``@graph``, with any Event subtype; a block that is
not valid JSON is reported and the page's other blocks are still read.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from ..localtime import zone
from .items import Item, MalformedError, Parsed, Skipped, label, one_line, plain_text, when_text

EVENT_TYPES = frozenset((
    "Event", "BusinessEvent", "ChildrensEvent", "ComedyEvent", "CourseInstance", "DanceEvent",
    "DeliveryEvent", "EducationEvent", "EventSeries", "ExhibitionEvent", "Festival",
    "FoodEvent", "Hackathon", "LiteraryEvent", "MusicEvent", "PublicationEvent", "SaleEvent",
    "ScreeningEvent", "SocialEvent", "SportsEvent", "TheaterEvent", "VisualArtsEvent",
))
_STATUS = {"EventCancelled": "cancelled", "EventPostponed": "tentative"}


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        self._inside = tag == "script" and kind == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def read_jsonld(body: bytes, *, default_tz: str, page_url: str) -> Parsed:
    scripts = _Scripts()
    scripts.feed(body.decode("utf-8", "replace"))
    scripts.close()
    if not scripts.blocks:
        raise MalformedError("the page has no schema.org JSON-LD "
                             "(<script type=\"application/ld+json\">)")
    parsed = Parsed()
    events: list[dict[str, Any]] = []
    for number, block in enumerate(scripts.blocks, 1):
        try:
            data = json.loads(block)
        except ValueError as exc:
            parsed.skipped.append(Skipped(f"JSON-LD block {number} of the page",
                                          f"is not valid JSON ({exc})"))
            continue
        events.extend(_events(data))
    for index, event in enumerate(events):
        _read_event(event, index, default_tz, page_url, parsed)
    return parsed


def _events(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [event for item in data for event in _events(item)]
    if not isinstance(data, dict):
        return []
    if "@graph" in data:
        return _events(data["@graph"])
    types = data.get("@type")
    names = {str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1]
             for t in (types if isinstance(types, list) else [types])}
    return [data] if names & EVENT_TYPES else []


def _read_event(event: dict[str, Any], index: int, default_tz: str, page_url: str,
                parsed: Parsed) -> None:
    title = one_line(_text(event.get("name")))
    link = _link(event.get("url"), page_url)
    start_raw, end_raw = _text(event.get("startDate")), _text(event.get("endDate"))
    key = _text(event.get("@id")) or link or f"{page_url}#{title}@{start_raw}"
    name = label(title, key)
    try:
        start = _when(start_raw, default_tz)
        end = _when(end_raw, default_tz) if end_raw else start
    except ValueError as exc:
        parsed.skipped.append(Skipped(name, f"has an unreadable date: {exc}"))
        return
    if start is None or end is None:
        parsed.skipped.append(Skipped(name, "has no startDate"))
        return
    if isinstance(start, datetime) and not isinstance(end, datetime):
        end = start if end == start.date() else datetime.combine(end, start.timetz())
    if isinstance(end, datetime) and not isinstance(start, datetime):
        end = end.date()
    place, online = _location(event.get("location"), page_url)
    status = str(_text(event.get("eventStatus")) or "").rsplit("/", 1)[-1]
    fields: dict[str, Any] = {
        "title": title,
        "start": when_text(start),
        "end": when_text(end),
        "timezone": default_tz,
        "location": place,
        "online_url": online,
        "url": link or page_url,
        "organizer": _name(event.get("organizer")),
        "description": plain_text(_text(event.get("description")), limit=2000),
        "status": _STATUS.get(status, "confirmed"),
    }
    parsed.items.append(Item(key, name, {k: v for k, v in fields.items() if v is not None},
                             link or page_url))


def _when(text: str | None, tz: str) -> date | datetime | None:
    """An ISO 8601 date or time; one with an offset is shown at that instant in ``tz``."""
    if not text:
        return None
    if len(text) <= 10:
        return date.fromisoformat(text)
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(zone(tz)).replace(tzinfo=None)
    return value


def _location(value: Any, page_url: str) -> tuple[str | None, str | None]:
    places: list[str] = []
    online: str | None = None
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            places.append(item)
        elif isinstance(item, dict):
            kind = str(item.get("@type", ""))
            if kind.endswith("VirtualLocation"):
                online = online or _link(item.get("url"), page_url)
                continue
            address = item.get("address")
            if isinstance(address, dict):
                address = ", ".join(str(address[k]) for k in (
                    "streetAddress", "postalCode", "addressLocality") if address.get(k))
            parts = [p for p in (_text(item.get("name")), _text(address)) if p]
            places.append(", ".join(dict.fromkeys(parts)))
    return one_line(", ".join(p for p in places if p)), online


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return one_line(_text(value.get("name")))
    return one_line(_text(value))


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("@id")
    return str(value).strip() if value is not None and str(value).strip() else None


def _link(value: Any, page_url: str) -> str | None:
    text = _text(value)
    if not text:
        return None
    absolute = urljoin(page_url, text)
    return absolute if absolute.lower().startswith(("http://", "https://")) else None
