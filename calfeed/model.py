"""Domain types and the rules of time: local times, DST, and occurrences of recurring entries.

Pure: no I/O, no clock, no output formats. Everything here is immutable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

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


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


# --- local times (RFC 5545 §3.3.5) -------------------------------------------------------------


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


# --- the source ----------------------------------------------------------------------------------


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


# --- recurrence ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: When
    end: When  # inclusive last day for all-day, like Entry.end

    def instants(self, tz_name: str) -> tuple[datetime, datetime]:
        """Start and exclusive end as aware datetimes, for overlap tests."""
        return span_instants(self.start, self.end, tz_name)


def span_instants(start: When, end: When, tz_name: str) -> tuple[datetime, datetime]:
    if isinstance(start, datetime):
        assert isinstance(end, datetime)
        return start, end
    assert not isinstance(end, datetime)
    return local_midnight(start, tz_name), local_midnight(end + timedelta(days=1), tz_name)


def parse_rule(text: str, start: When) -> rrule:
    """Parse an RRULE for an entry starting at ``start``; raises ValueError when invalid.

    A timed entry's rule runs on an aware start, so dateutil steps in wall-clock time and UNTIL
    must be UTC (as RFC 5545 requires for a DTSTART with TZID); an all-day rule runs on dates.
    """
    rule_text = text.removeprefix("RRULE:")
    if "\n" in rule_text or "RRULE" in rule_text or "EXDATE" in rule_text:
        raise ValueError("write one RRULE without the 'RRULE:' prefix")
    names = {part.split("=", 1)[0].strip().upper() for part in rule_text.split(";")}
    if {"COUNT", "UNTIL"} <= names:  # RFC 5545: MUST NOT occur together
        raise ValueError("use COUNT or UNTIL, not both")
    try:
        rule = rrulestr(rule_text, dtstart=rule_start(start), forceset=False, cache=False)
    except ValueError as exc:
        if "UNTIL" not in str(exc):
            raise
        # dateutil's wording ("DTSTART is timezone-aware") is wrong for all-day entries.
        example = "a UTC time like 20261105T225959Z" if isinstance(start, datetime) \
            else "a date like 20261105"
        kind = "a timed" if isinstance(start, datetime) else "an all-day"
        raise ValueError(f"for {kind} entry, UNTIL must be {example}") from None
    if not isinstance(rule, rrule):  # pragma: no cover - forceset=False gives rrule
        raise ValueError("not a single RRULE")
    # INTERVAL=0 makes dateutil loop forever; COUNT=0 is an entry that never happens.
    if getattr(rule, "_interval", 1) < 1:
        raise ValueError("INTERVAL must be 1 or more")
    count = getattr(rule, "_count", None)
    if count is not None and count < 1:
        raise ValueError("COUNT must be 1 or more")
    return rule


def rule_start(start: When) -> datetime:
    """The DTSTART a rule runs from: an all-day entry's rule runs on naive midnights."""
    return start if isinstance(start, datetime) else datetime.combine(start, time())


def occurrences(entry: Entry, window_from: datetime, window_to: datetime) -> list[Occurrence]:
    """The concrete occurrences of ``entry`` that overlap ``[window_from, window_to)``.

    Times are in the entry's zone and correct across DST: each occurrence starts at the
    original's wall-clock time on its own day, read as RFC 5545 §3.3.5 says (a time in the
    spring gap with the offset before it, an autumn time as its first occurrence), and lasts
    exactly as long as the original (§3.8.5.3: a rule with DTEND repeats the exact duration).
    """
    return list(_iter_occurrences(entry, window_from, window_to))


def _iter_occurrences(
    entry: Entry, window_from: datetime, window_to: datetime
) -> Iterator[Occurrence]:
    if entry.repeat is None:
        first = Occurrence(entry.start, entry.end)
        start, end = first.instants(entry.timezone)
        if _overlaps(start, end, window_from, window_to):
            yield first
        return
    rule = parse_rule(entry.repeat, entry.start)
    if isinstance(entry.start, datetime):
        length = _exact_length(entry)
        # Look back by the length so an occurrence that started before the window but is still
        # running is included; dateutil compares wall times, so allow a day for any DST shift.
        after = (window_from - length - timedelta(days=1)).astimezone(entry.start.tzinfo)
        previous = None
        for wall in rule.xafter(after, inc=True):
            occ = _timed_occurrence(wall, length, entry.timezone)
            assert isinstance(occ.start, datetime) and isinstance(occ.end, datetime)
            if occ.start >= window_to:
                break
            # An hourly rule's wall time in the spring gap is read as the hour after it, so the
            # next wall time starts at the same instant: one instance (a recurrence set holds
            # each start once, RFC 5545 §3.8.5.3), listed once.
            if occ.start != previous and _overlaps(occ.start, occ.end, window_from, window_to):
                yield occ
            previous = occ.start
        return
    assert not isinstance(entry.end, datetime)
    days = entry.end - entry.start
    after_day = window_from.astimezone(zone(entry.timezone)).date() - days - timedelta(days=1)
    for wall in rule.xafter(datetime.combine(after_day, time()), inc=True):
        day = wall.date()
        occ = Occurrence(day, day + days)
        start, end = occ.instants(entry.timezone)
        if start >= window_to:
            break
        if _overlaps(start, end, window_from, window_to):
            yield occ


def _exact_length(entry: Entry) -> timedelta:
    """How long a timed entry lasts in elapsed time (not wall-clock time: 01:00-04:00 on the
    spring-forward night is two hours)."""
    assert isinstance(entry.start, datetime) and isinstance(entry.end, datetime)
    # Through UTC: Python subtracts two datetimes with the same tzinfo as wall-clock times.
    return entry.end.astimezone(UTC) - entry.start.astimezone(UTC)


def _timed_occurrence(wall: datetime, length: timedelta, tz_name: str) -> Occurrence:
    """The occurrence the rule puts at wall-clock ``wall``: read like any local time, so one in
    the spring gap starts after it (02:30 is 03:30 CEST) rather than collapsing to nothing,
    and ends the exact length later."""
    start = resolve_local(wall.replace(tzinfo=None), tz_name).value
    return Occurrence(start, (start.astimezone(UTC) + length).astimezone(start.tzinfo))


def _overlaps(start: datetime, end: datetime, window_from: datetime, window_to: datetime) -> bool:
    # A zero-length (instant) entry overlaps a window that contains its instant.
    return start < window_to and (end > window_from or (end == start and start >= window_from))


@lru_cache(maxsize=65536)
def last_end(entry: Entry) -> datetime | None:
    """When the entry (all its occurrences) is over; None if it recurs without end.

    Cached: every view's window test asks this of every entry, and entries are immutable.
    """
    if entry.repeat is None:
        return span_instants(entry.start, entry.end, entry.timezone)[1]
    rule = parse_rule(entry.repeat, entry.start)
    # dateutil has no public API for "is this rule bounded?"
    if getattr(rule, "_count", None) is None and getattr(rule, "_until", None) is None:
        return None
    last = None
    for last in rule:  # noqa: B007 - bounded by COUNT/UNTIL
        pass
    if last is None:
        return span_instants(entry.start, entry.end, entry.timezone)[1]
    if isinstance(entry.start, datetime):
        end = _timed_occurrence(last, _exact_length(entry), entry.timezone).end
        assert isinstance(end, datetime)
        return end
    assert not isinstance(entry.end, datetime)
    days = entry.end - entry.start
    return span_instants(last.date(), last.date() + days, entry.timezone)[1]


def next_occurrences(entry: Entry, after: datetime, count: int) -> list[Occurrence]:
    """Up to ``count`` occurrences that have not ended by ``after``, within 55 years of it.

    The occurrences are generated lazily, so an unbounded rule stops at the ``count``-th.
    """
    return list(islice(_iter_occurrences(entry, after, after + _NEXT_HORIZON), count))


_NEXT_HORIZON = timedelta(days=50 * 400)


@dataclass(frozen=True, slots=True)
class Removed:
    """A tombstone: an entry a sync removed, and when (what ``updated_since`` reports)."""

    id: str
    at: datetime


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
