"""What a reader makes of one upstream item, before the source's settings and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any


class MalformedError(ValueError):
    """The whole document cannot be read (not iCalendar, not a feed, no JSON-LD at all)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One upstream event or deadline. ``fields`` are entry keys as the editor writes them in
    events.yaml (``start: "2024-08-21 10:00"``, ``timezone: Europe/Oslo``), so a pulled entry
    is checked by the very code that checks the editor's. ``key`` is hashed into its id: the
    upstream UID (with the occurrence, for one of a series) or its URL."""

    key: str
    label: str  # how a report names it: "'Title' (UID abc@x)"
    fields: dict[str, Any]
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    label: str
    reason: str

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"


@dataclass(slots=True)
class Parsed:
    items: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def when_text(value: date | datetime) -> str:
    """A date or a wall-clock time as events.yaml has it."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.second else \
            value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def label(title: Any, key: str) -> str:
    name = f"'{str(title).strip()[:60]}'" if title else "an item without a title"
    return f"{name} ({key})"


class _Text(HTMLParser):
    _BREAKS = frozenset(("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_RULE = re.compile(r"[_=*~-]{8,}")


def plain_text(html: str | None, limit: int = 4000) -> str | None:
    """Text of an HTML fragment (feed summaries, Outlook's descriptions), trimmed and capped:
    a description is a summary, not a copy of the partner's page."""
    if not html:
        return None
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = _SPACES.sub(" ", "".join(parser.parts))
    # Rules drawn with characters (Teams and Outlook frame their join block with underscores)
    lines = (line.strip() for line in text.split("\n"))
    text = "\n".join(line for line in lines if not _RULE.fullmatch(line))
    text = _BLANK_LINES.sub("\n\n", text)
    text = text.strip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return text or None


def one_line(value: Any, limit: int = 300) -> str | None:
    """A single line: line breaks become ", " (Apple writes a place's name and address on two
    lines), runs of spaces one."""
    if value is None:
        return None
    lines = (" ".join(line.split()) for line in str(value).splitlines())
    text = ", ".join(line for line in lines if line)
    return text[:limit] or None
