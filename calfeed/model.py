"""Domain types: the calendar, its entries and feeds, and what a published revision holds.

Pure: no I/O, no clock, no output formats. Everything here is immutable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .localtime import resolve_local

if TYPE_CHECKING:
    from .partners import PartnerSource

# "publication": a report, a newsletter issue, an updated overview — dated, but no event.
TYPES = ("course", "conference", "webinar", "seminar", "meeting", "event", "deadline",
         "publication")
STATUSES = ("confirmed", "tentative", "cancelled")
LANGUAGES = ("nb", "en")
# The languages a calendar offers when it declares none: its own first, then these.
DEFAULT_LANGUAGES = ("nb", "en")
# The entry fields whose text may be given per language (``title: {nb: …, en: …}``).
TEXT_FIELDS = ("title", "description", "location")

# Text in other languages than the calendar's: (language, field, text), sorted. A tuple, not a
# mapping, so the frozen types holding it stay hashable; see languages.py for reading it.
Texts = tuple[tuple[str, str, str], ...]

When = date | datetime  # a date means all-day; a datetime is always timezone-aware


@dataclass(frozen=True, slots=True)
class Month:
    """A month whose day is not known yet ("start: 2024-06")."""

    year: int
    month: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        following = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class Author:
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarInfo:
    title: str
    uid_domain: str
    description: str | None = None
    timezone: str = "Europe/Oslo"
    language: str = "nb"
    base_url: str | None = None
    author: Author = field(default_factory=Author)
    past_days: int | None = 400
    # As declared in ``calendar.languages``; empty: the default (see ``offered``).
    languages: tuple[str, ...] = ()
    translations: Texts = ()  # title and description in the other languages
    # Set only on a view of the calendar in another language (languages.snapshot_in): then
    # ``language`` is the view's and this is the one plain text is written in, so outputs can
    # mark text that had no translation with its own language.
    written_in: str | None = None
    # A page asked for in a language by name (``?lang=``): its links keep asking for it.
    asked: bool = False

    @property
    def offered(self) -> tuple[str, ...]:
        """The languages every output can be asked for (``?lang=``), the calendar's first."""
        if self.languages:
            return self.languages
        return (self.language, *(lang for lang in DEFAULT_LANGUAGES if lang != self.language))
    # The tag vocabulary (``tags:`` at the top level): (slug, nb label, en label), sorted by
    # slug. Empty when the source declares none; then every tag is shown as its slug.
    tag_labels: tuple[tuple[str, str, str], ...] = ()

    def tag_label(self, slug: str, language: str | None = None) -> str:
        """What a person reads for a tag: its label in ``language`` (default: the calendar's),
        or the slug itself when the vocabulary has no such tag."""
        for known, nb, en in self.tag_labels:
            if known == slug:
                return en if (language or self.language) == "en" else nb
        return slug


@dataclass(frozen=True, slots=True)
class Entry:
    """One event or deadline as the editor wrote it, with times resolved.

    ``start``/``end`` are both dates (all-day; ``end`` is the last day, inclusive) or both aware
    datetimes in ``timezone``. A deadline's ``due`` is its ``start`` and ``end``.
    """

    id: str
    type: str
    title: str
    start: When
    end: When
    timezone: str
    location: str | None = None
    online_url: str | None = None
    url: str | None = None
    organizer: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    status: str = "confirmed"
    published: date | None = None
    repeat: str | None = None
    source: str | None = None  # the partner source it was pulled from; None: the editor's
    translations: Texts = ()  # title, description, location in other languages
    # "month": the editor knows the month, not the day ("start: 2024-06"); ``start``/``end``
    # are then the month's first and last day. Such an entry stays out of iCalendar.
    precision: str = "day"
    # The event whose ``registration: {due}`` this deadline was derived from.
    registration_for: str | None = None

    @property
    def month_only(self) -> bool:
        return self.precision == "month"

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def is_deadline(self) -> bool:
        return self.type == "deadline"

    @property
    def due(self) -> When | None:
        return self.start if self.is_deadline else None

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    def content(self) -> dict[str, Any]:
        """A canonical, JSON-ready form: equal entries give equal dicts (used for hashing)."""
        content: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "start": _when_to_text(self.start),
            "end": _when_to_text(self.end),
            "timezone": self.timezone,
            "location": self.location,
            "online_url": self.online_url,
            "url": self.url,
            "organizer": self.organizer,
            "description": self.description,
            "tags": list(self.tags),
            "status": self.status,
            "published": self.published.isoformat() if self.published else None,
            "repeat": self.repeat,
            # Only when set, so the content (and hash) of every other entry stays as it was.
            **({"precision": self.precision} if self.precision != "day" else {}),
            **({"registration_for": self.registration_for} if self.registration_for else {}),
        }
        if self.source is not None:  # only then: the editor's entries keep their hashes
            content["source"] = self.source
        if self.translations:  # likewise: entries in plain text keep theirs
            content["translations"] = [list(t) for t in self.translations]
        return content

    @classmethod
    def from_content(cls, data: Mapping[str, Any]) -> Entry:
        tz = data["timezone"]
        return cls(
            id=data["id"],
            type=data["type"],
            title=data["title"],
            start=_when_from_text(data["start"], tz),
            end=_when_from_text(data["end"], tz),
            timezone=tz,
            location=data.get("location"),
            online_url=data.get("online_url"),
            url=data.get("url"),
            organizer=data.get("organizer"),
            description=data.get("description"),
            tags=tuple(data.get("tags") or ()),
            status=data.get("status", "confirmed"),
            published=date.fromisoformat(data["published"]) if data.get("published") else None,
            repeat=data.get("repeat"),
            source=data.get("source"),
            translations=tuple((lang, name, text)
                               for lang, name, text in data.get("translations") or ()),
            precision=data.get("precision", "day"),
            registration_for=data.get("registration_for"),
        )


def _when_to_text(value: When) -> str:
    # Wall-clock time without offset: the zone name carries the meaning, so a tzdata update
    # that changes an offset does not look like an edit.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    return value.isoformat()


def _when_from_text(text: str, tz: str) -> When:
    if "T" in text:
        return resolve_local(datetime.fromisoformat(text), tz).value
    return date.fromisoformat(text)


@dataclass(frozen=True, slots=True)
class FeedDef:
    """A named subset of the entries. An empty ``types`` or ``tags`` means "any"."""

    name: str
    title: str
    description: str | None = None
    types: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    translations: Texts = ()  # title and description in other languages

    def matches(self, entry: Entry) -> bool:
        if self.types and entry.type not in self.types:
            return False
        return not self.tags or any(tag in entry.tags for tag in self.tags)


@dataclass(frozen=True, slots=True)
class Source:
    calendar: CalendarInfo
    feeds: Mapping[str, FeedDef]  # always has "all"
    entries: tuple[Entry, ...]
    # Partner sources to pull (`sources:`), and pulled entry ids the editor hides (`hide:`).
    sources: Mapping[str, PartnerSource] = field(default_factory=dict)
    hide: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Published:
    """An entry as the store knows it: the source's content plus what only history knows."""

    entry: Entry
    first_seen: datetime
    last_modified: datetime
    sequence: int


@dataclass(frozen=True, slots=True)
class Removed:
    """A tombstone: an entry a sync removed, and when (what ``updated_since`` reports).

    ``entry`` is the entry as it was when removed, so a filtered view (type, tag, source, q…)
    reports only the removals it could have listed; None where that is not known (then every
    view reports it). Not compared: the id and the time already tell one tombstone from
    another (a removed row's content does not change until the id returns)."""

    id: str
    at: datetime
    entry: Entry | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything published at one data revision: what every output is rendered from.

    A request reads one snapshot from start to end, so no response mixes two revisions.
    """

    revision: int
    changed_at: datetime  # newest change of any kind (an edit, a removal, a settings change)
    calendar: CalendarInfo
    feeds: Mapping[str, FeedDef]
    entries: tuple[Published, ...]  # live entries only (tombstones are not published)
    removed: tuple[Removed, ...] = ()  # tombstones, for mirrors that ask what went away
    # An index of ``entries`` by id, built once: every request for one entry's page, .ics or
    # API item asks for it, most of them answered from the cache (a 304) right after.
    _by_id: Mapping[str, Published] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {published.entry.id: published for published in reversed(self.entries)}
        object.__setattr__(self, "_by_id", by_id)  # frozen: set once, here

    def entry(self, entry_id: str) -> Published | None:
        return self._by_id.get(entry_id)
