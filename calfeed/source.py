"""Read ``events.yaml`` into validated domain objects, reporting every problem with its place.

PyYAML's composer (the C one when available) gives every node its line and column; we turn the
node tree into plain data while remembering where each value came from, let pydantic check the
shape and each value, and translate its errors into ``file:line:col: message`` with a hint.
Scalars are taken as the text the editor wrote, never through YAML 1.1's implicit typing, so
``id: no`` is the string "no" and ``start: 2024-08-21 10:00`` is not silently a string while
``2024-08-21 10:00:00`` is a timestamp.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from .errors import Problem, SourceError
from .model import (
    LANGUAGES,
    STATUSES,
    TYPES,
    Author,
    CalendarInfo,
    Entry,
    FeedDef,
    Source,
    When,
    parse_rule,
    resolve_local,
)

try:  # the C composer is ~10x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
_NULL_TAG = "tag:yaml.org,2002:null"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TAG = re.compile(r"^[a-z0-9æøåäöü]+(?:-[a-z0-9æøåäöü]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]+)*$")


@dataclass(frozen=True, slots=True)
class Loaded:
    source: Source
    warnings: tuple[Problem, ...]


def load_source(path: str | Path) -> Loaded:
    """Load and validate a source file; raises SourceError with every problem found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError([_problem(str(path), 1, 1, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise SourceError(
            [_problem(str(path), 1, 1, f"not UTF-8 ({exc.reason}); save the file as UTF-8")]
        ) from None
    return parse_source(text, str(path))


def parse_source(text: str, filename: str = "events.yaml") -> Loaded:
    return _Reader(filename).read(text)


def _problem(file: str, line: int, col: int, message: str, severity: str = "error") -> Problem:
    return Problem(file, line, col, message, severity)


# --- values: each validator raises with the message the editor will read ------------------------


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("calfeed", message)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail("expected text here")
    text: str = value.strip()
    for char in text:
        if char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs"):
            raise _fail(f"contains the control character U+{ord(char):04X}; remove it")
    if not text:
        raise _fail("is empty; write some text or remove the key")
    return text


def _line(value: str) -> str:
    if "\n" in value:
        raise _fail("must be a single line")
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", _ascii(value).lower()).strip("-")
        hint = f"; for example '{suggestion}'" if suggestion else ""
        raise _fail(
            f"'{value}' is not a valid id: ids must be lowercase letters, digits and '-'{hint}"
        )
    return value


def _ascii(value: str) -> str:
    value = value.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    value = value.replace("Æ", "Ae").replace("Ø", "O").replace("Å", "A")
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def _tag(value: str) -> str:
    if not _TAG.match(value):
        suggestion = re.sub(r"[\s_/,]+", "-", value.lower()).strip("-")
        raise _fail(
            f"'{value}' is not a valid tag: tags are lowercase words joined by '-', "
            f"for example '{suggestion}'"
        )
    return value


# The Norwegian words editors write for the file's English values.
_NORWEGIAN = {
    "kurs": "course", "konferanse": "conference", "møte": "meeting",
    "arrangement": "event", "frist": "deadline", "høringsfrist": "deadline",
    "bekreftet": "confirmed", "foreløpig": "tentative", "avlyst": "cancelled", "no": "nb",
}


def _choice(options: Iterable[str], what: str) -> Callable[[str], str]:
    options = tuple(options)

    def check(value: str) -> str:
        if value in options:
            return value
        meant = _NORWEGIAN.get(value.lower())
        close = [meant] if meant in options else difflib.get_close_matches(
            value.lower(), options, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else "."
        raise _fail(f"unknown {what} '{value}'{hint} Use one of: {', '.join(options)}")

    return check


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    # Only Area/Location names (and UTC): tzdata also has legacy names like CET, EST (a fixed
    # UTC-5, not New York), 'localtime' and 'Factory' that calendar apps misread or reject.
    return frozenset(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


# Windows zone names editors copy from Outlook, with the IANA zone of a typical place in each
# (a spelling hint would suggest nonsense: "W. Europe Standard Time" looks like San Marino).
_WINDOWS_ZONES = {
    "W. Europe Standard Time": "Europe/Oslo",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw",
    "FLE Standard Time": "Europe/Helsinki",
    "GMT Standard Time": "Europe/London",
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
}


def _timezone(value: str) -> str:
    if value in _zones():
        return value
    if value in _WINDOWS_ZONES or value.endswith(("Standard Time", "Daylight Time")):
        example = _WINDOWS_ZONES.get(value, "Europe/Oslo")
        raise _fail(
            f"'{value}' is a Windows time zone name; write the IANA name of the place, "
            f"e.g. '{example}'"
        )
    close = difflib.get_close_matches(value, sorted(_zones()), n=1, cutoff=0.6)
    hint = f" — did you mean '{close[0]}'?" if close else "."
    raise _fail(
        f"unknown time zone '{value}'{hint} Use an IANA name such as Europe/Oslo or "
        "America/New_York (not a Windows name or an abbreviation like CET)"
    )


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"'{parts.scheme}:'" if parts.scheme else "no scheme"
        raise _fail(
            f"only http and https links are allowed (this one has {scheme}); "
            "write the full address, starting with https://"
        )
    if not parts.netloc or any(c.isspace() for c in value):
        raise _fail(f"'{value}' is not a complete web address; write e.g. https://example.no/page")
    return value


def _base_url(value: str) -> str:
    return _url(value).rstrip("/")


def _domain(value: str) -> str:
    if not _DOMAIN.match(value):
        raise _fail(f"'{value}' is not a domain name; write e.g. kalender.example.no")
    return value


def _when(value: Any) -> date | datetime:
    """A date (all-day) or a naive local date-time; the zone is applied later."""
    if not isinstance(value, str):
        raise _fail("expected a date like 2024-08-21 or a time like 2024-08-21 10:00")
    value = value.strip()
    try:
        if _DATE.match(value):
            return date.fromisoformat(value)
        match = _DATETIME.match(value)
        if match:
            day, clock = match.groups()
            if len(clock.split(":")[0]) == 1:
                clock = "0" + clock
            return datetime.fromisoformat(f"{day}T{clock}")
    except ValueError as exc:
        raise _fail(f"'{value}' is not a real date or time ({exc})") from None
    if re.search(r"(Z|[+-]\d{2}:?\d{2})$", value):
        raise _fail(
            f"'{value}' has a UTC offset; write the local time (2024-08-21 10:00) and set "
            "'timezone:' on the entry if it is not the calendar's"
        )
    raise _fail(f"'{value}' is not a date; write 2024-08-21, or 2024-08-21 10:00 for a time")


def _date_only(value: Any) -> date:
    parsed = _when(value)
    if isinstance(parsed, datetime):
        raise _fail("expected a date without a time, like 2024-06-28")
    return parsed


def _whole_number(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(r"\d+", value.strip()):
        raise _fail(f"'{value}' is not a whole number of days; write e.g. 400, or null")
    return value


def _rule_text(value: str) -> str:
    return value.removeprefix("RRULE:").strip()


Text = Annotated[str, BeforeValidator(_text)]
Line = Annotated[str, BeforeValidator(_text), AfterValidator(_line)]
Slug = Annotated[str, BeforeValidator(_text), AfterValidator(_slug)]
Tag = Annotated[str, BeforeValidator(_text), AfterValidator(_tag)]
EntryType = Annotated[str, BeforeValidator(_text), AfterValidator(_choice(TYPES, "type"))]
Status = Annotated[str, BeforeValidator(_text), AfterValidator(_choice(STATUSES, "status"))]
Language = Annotated[str, BeforeValidator(_text), AfterValidator(_choice(LANGUAGES, "language"))]
TimeZoneName = Annotated[str, BeforeValidator(_text), AfterValidator(_timezone)]
Url = Annotated[str, BeforeValidator(_text), AfterValidator(_line), AfterValidator(_url)]
BaseUrl = Annotated[str, BeforeValidator(_text), AfterValidator(_base_url)]
Domain = Annotated[str, BeforeValidator(_text), AfterValidator(_domain)]
WhenIn = Annotated[date | datetime, BeforeValidator(_when)]
DateIn = Annotated[date, BeforeValidator(_date_only)]
RuleText = Annotated[str, BeforeValidator(_text), AfterValidator(_rule_text)]
Days = Annotated[int, BeforeValidator(_whole_number), Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthorIn(_Strict):
    name: Line | None = None
    email: Line | None = None


class CalendarIn(_Strict):
    title: Line
    uid_domain: Domain
    description: Text | None = None
    timezone: TimeZoneName = "Europe/Oslo"
    language: Language = "nb"
    base_url: BaseUrl | None = None
    author: AuthorIn = AuthorIn()
    past_days: Days | None = 400


class FeedIn(_Strict):
    title: Line
    description: Text | None = None
    types: list[EntryType] = []
    tags: list[Tag] = []


class EntryIn(_Strict):
    id: Slug
    type: EntryType
    title: Line
    start: WhenIn | None = None
    end: WhenIn | None = None
    due: WhenIn | None = None
    timezone: TimeZoneName | None = None
    location: Line | None = None
    online_url: Url | None = None
    url: Url | None = None
    organizer: Line | None = None
    description: Text | None = None
    tags: list[Tag] = []
    status: Status = "confirmed"
    published: DateIn | None = None
    repeat: RuleText | None = None


_TOP_KEYS = ("calendar", "feeds", "entries")
_PLACEHOLDER = "placeholder-for-a-field-with-errors"
_CALENDAR = TypeAdapter(CalendarIn)
_FEED = TypeAdapter(FeedIn)
_ENTRY = TypeAdapter(EntryIn)

# Messages for pydantic's own error types, where our validators did not speak first.
_GENERIC = {
    "string_type": "expected text here",
    "dict_type": "expected a mapping of 'key: value' lines here",
    "model_type": "expected a mapping of 'key: value' lines here",
    "list_type": "expected a list here, e.g. [a, b] or lines starting with '- '",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "greater_than_equal": "must be 0 or more",
}


# --- reading -------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, filename: str) -> None:
        self.file = filename
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.key_marks: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def read(self, text: str) -> Loaded:
        data = self._compose(text)
        source = self._validate(data) if data is not None else None
        if source is None or any(p.severity == "error" for p in self.problems):
            raise SourceError(self.problems)
        return Loaded(source, tuple(self.problems))

    # YAML -> plain data with marks

    def _compose(self, text: str) -> dict[str, Any] | None:
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            if "mapping values are not allowed" in what:
                # The usual cause: a title like "Istanbulkonferansen: Hvordan …" unquoted.
                what += "; if the text contains ': ', put it in quotes (\"…\")"
            self._add(line, col, f"this is not valid YAML: {what}")
            return None
        except yaml.YAMLError as exc:
            self._add(1, 1, f"this is not valid YAML: {exc}")
            return None
        if node is None:
            self._add(1, 1, "the file is empty; start with a 'calendar:' section (see README)")
            return None
        data = self._plain(node, ())
        if not isinstance(data, dict):
            self._at((), "the file must be a mapping with 'calendar:', 'feeds:' and 'entries:'")
            return None
        return data

    def _plain(self, node: yaml.Node, path: Path_) -> Any:
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if not isinstance(key_node, yaml.ScalarNode):
                    self._add(*key_mark, "keys must be plain words")
                    continue
                key = str(key_node.value)
                if key in result:
                    self._add(*key_mark, f"key '{key}' appears twice here; keep one")
                    continue
                self.key_marks[(*path, key)] = key_mark
                result[key] = self._plain(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._plain(child, (*path, i)) for i, child in enumerate(node.value)]
        if node.tag == _NULL_TAG:
            return None
        return node.value

    # validation

    def _validate(self, data: dict[str, Any]) -> Source | None:
        for key in data:
            if key not in _TOP_KEYS:
                self._unknown_key((key,), _TOP_KEYS)
        calendar = self._check(_CALENDAR, data.get("calendar"), ("calendar",), "calendar")
        default_tz = calendar.timezone if isinstance(calendar, CalendarIn) else "Europe/Oslo"
        feeds = self._feeds(data.get("feeds"))
        entries = self._entries(data.get("entries"), default_tz)
        if calendar is None or feeds is None or entries is None:
            return None
        info = CalendarInfo(
            title=calendar.title,
            uid_domain=calendar.uid_domain,
            description=calendar.description,
            timezone=calendar.timezone,
            language=calendar.language,
            base_url=calendar.base_url,
            author=Author(calendar.author.name, calendar.author.email),
            past_days=calendar.past_days,
        )
        return Source(info, feeds, tuple(entries))

    def _check(self, adapter: TypeAdapter[Any], value: Any, path: Path_, what: str) -> Any:
        if value is None:
            if path in self.key_marks:  # the key is there with nothing under it
                self._key(path, f"'{what}' is empty; see the README for its keys")
            else:
                self._at(path, f"missing '{what}' section; see the README for its keys")
            return None
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            self._translate(exc, path, adapter)
            return None

    def _feeds(self, value: Any) -> dict[str, FeedDef] | None:
        feeds = {"all": FeedDef("all", "")}
        if value is None:
            return feeds
        if not isinstance(value, dict):
            self._at(("feeds",), "expected a mapping of feed names, e.g. 'frister:'")
            return None
        ok = True
        for name, raw in value.items():
            path = ("feeds", name)
            if name == "all":
                self._key(path, "the feed 'all' always exists; give this feed another name")
                ok = False
                continue
            if not _SLUG.match(name):
                self._key(path, f"feed name '{name}' must be lowercase letters, digits and '-'")
                ok = False
            feed = self._check(_FEED, raw, path, f"feeds.{name}")
            if feed is None:
                ok = False
                continue
            feeds[name] = FeedDef(name, feed.title, feed.description, tuple(feed.types),
                                  tuple(feed.tags))
        return feeds if ok else None

    def _entries(self, value: Any, default_tz: str) -> list[Entry] | None:
        if value is None:
            return []
        if not isinstance(value, list):
            self._at(("entries",), "expected a list of entries, each starting with '- id:'")
            return None
        entries: list[Entry] = []
        seen: dict[str, int] = {}
        ok = True
        for index, raw in enumerate(value):
            path: Path_ = ("entries", index)
            parsed, complete = self._entry_fields(raw, path)
            written = _written_keys(raw)
            entry = self._entry(parsed, path, default_tz, written) if parsed is not None else None
            if parsed is not None and parsed.id != _PLACEHOLDER:
                if parsed.id in seen:
                    first_line = self.marks.get(("entries", seen[parsed.id], "id"), (0, 0))[0]
                    self._at((*path, "id"), f"duplicate id '{parsed.id}' (first used on line "
                             f"{first_line}); every entry needs its own id")
                    ok = False
                seen.setdefault(parsed.id, index)
            if entry is None or not complete:
                ok = False
                continue
            entries.append(entry)
        return entries if ok else None

    def _entry_fields(self, raw: Any, path: Path_) -> tuple[EntryIn | None, bool]:
        """Validate an entry's fields; on errors, also return what did validate.

        The partial result lets the cross-field rules (dates, deadlines, duplicate ids) report
        their problems in the same run, so the editor sees every mistake at once.
        """
        if not isinstance(raw, dict):
            self._check(_ENTRY, raw, path, "entry")
            return None, False
        try:
            return _ENTRY.validate_python(raw), True
        except ValidationError as exc:
            self._translate(exc, path, _ENTRY)
            failed = {e["loc"][0] for e in exc.errors() if e["loc"]}
        partial = {k: v for k, v in raw.items() if k not in failed and k in EntryIn.model_fields}
        if "type" not in partial:
            # A misspelt or missing type must not hide the entry's other mistakes: check the
            # dates as the kind of entry its keys say it is.
            partial["type"] = "deadline" if "due" in raw else "event"
        partial.setdefault("id", _PLACEHOLDER)
        partial.setdefault("title", _PLACEHOLDER)
        try:
            return _ENTRY.validate_python(partial), False
        except ValidationError:
            return None, False

    def _entry(self, raw: EntryIn, path: Path_, default_tz: str,
               written: frozenset[str] = frozenset()) -> Entry | None:
        """Build the entry; ``written`` are the keys the editor wrote (or misspelled), so a
        'start' that is already reported as invalid or misspelled is not also "missing"."""
        errors_before = self._error_count()
        dated = bool({"start", "due"} & written)
        tz = raw.timezone or default_tz
        if raw.type == "deadline":
            for key in ("start", "end"):
                if getattr(raw, key) is not None:
                    self._key((*path, key), f"a deadline has 'due', not '{key}'; write "
                              f"'due: {_text_of(getattr(raw, key))}'")
            if raw.due is None and raw.start is None and not dated:
                self._at(path, "missing 'due': a deadline needs the date it is due, "
                         "e.g. 'due: 2024-09-16'")
            first = raw.due if raw.due is not None else raw.start
            last = first
            first_key = last_key = "due"
        else:
            if raw.due is not None:
                self._key((*path, "due"), "only deadlines have 'due'; write 'start:' instead, "
                          "or set 'type: deadline'")
            if raw.start is None and raw.due is None and not dated:
                self._at(path, "missing 'start': write e.g. 'start: 2024-08-21' "
                         "(all day) or 'start: 2024-08-21 09:00'")
            first = raw.start if raw.start is not None else raw.due
            last = raw.end if raw.end is not None else first
            first_key, last_key = "start", "end" if raw.end is not None else "start"
        if first is None or last is None:
            return None
        start: When
        end: When
        if isinstance(first, datetime) != isinstance(last, datetime):
            self._key((*path, "end"), "'start' and 'end' must both be dates (all day) or both "
                      "date-times; write e.g. 'end: 2024-08-22' or 'end: 2024-08-21 16:00'")
            return None
        if isinstance(first, datetime):
            assert isinstance(last, datetime)
            start = self._local(first, tz, (*path, first_key))
            end = start if last is first else self._local(last, tz, (*path, last_key))
        else:
            start, end = first, last
        if end < start:  # type: ignore[operator,unused-ignore]
            self._at((*path, "end"), f"'end' ({_text_of(last)}) is before 'start' "
                     f"({_text_of(first)}); for a date, 'end' is the last day, inclusive")
        if raw.repeat is not None:
            try:
                parse_rule(raw.repeat, start)
            except (ValueError, TypeError) as exc:
                self._at((*path, "repeat"), f"invalid repeat rule: {exc}. Write an RFC 5545 "
                         "RRULE such as FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1")
        if self._error_count() > errors_before:
            return None
        return Entry(
            id=raw.id, type=raw.type, title=raw.title, start=start, end=end, timezone=tz,
            location=raw.location, online_url=raw.online_url, url=raw.url,
            organizer=raw.organizer, description=raw.description, tags=tuple(raw.tags),
            status=raw.status, published=raw.published, repeat=raw.repeat,
        )

    def _local(self, naive: datetime, tz: str, path: Path_) -> datetime:
        resolved = resolve_local(naive, tz)
        if resolved.note:
            line, col = self._mark(path)
            self.problems.append(_problem(self.file, line, col, resolved.note, "warning"))
        return resolved.value

    # error plumbing

    def _translate(self, exc: ValidationError, base: Path_, adapter: TypeAdapter[Any]) -> None:
        for error in exc.errors(include_url=False):
            loc = (*base, *error["loc"])
            kind = error["type"]
            if kind == "extra_forbidden":
                parent = _model_at(adapter, error["loc"][:-1])
                self._unknown_key(loc, tuple(parent.model_fields) if parent else ())
            elif kind == "missing":
                self._at(loc[:-1], f"missing required key '{loc[-1]}'")
            elif kind == "calfeed":
                self._at(loc, f"{loc[-1] if isinstance(loc[-1], str) else 'value'}: "
                         f"{error['msg']}" if not _is_self_describing(error["msg"])
                         else error["msg"])
            else:
                self._at(loc, f"{_field_name(loc)}: {_GENERIC.get(kind, error['msg'])}")

    def _unknown_key(self, loc: Path_, allowed: tuple[str, ...]) -> None:
        key = str(loc[-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" — did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
        self._key(loc, f"unknown key '{key}'{hint}")

    def _mark(self, loc: Path_) -> tuple[int, int]:
        for cut in range(len(loc), -1, -1):
            if loc[:cut] in self.marks:
                return self.marks[loc[:cut]]
        return (1, 1)

    def _at(self, loc: Path_, message: str) -> None:
        self._add(*self._mark(loc), message)

    def _key(self, loc: Path_, message: str) -> None:
        self._add(*self.key_marks.get(loc, self._mark(loc)), message)

    def _add(self, line: int, col: int, message: str) -> None:
        self.problems.append(_problem(self.file, line, col, message))

    def _error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


def _written_keys(raw: Any) -> frozenset[str]:
    """The entry keys the editor wrote, counting a misspelt key as the one it is close to."""
    if not isinstance(raw, dict):
        return frozenset()
    keys = set(raw)
    for key in raw:
        keys.update(difflib.get_close_matches(str(key), EntryIn.model_fields, n=1, cutoff=0.6))
    return frozenset(keys)


def _is_self_describing(message: str) -> bool:
    return message.startswith(("'", "unknown", "only", "contains"))


def _field_name(loc: Path_) -> str:
    names = [str(part) for part in loc if isinstance(part, str)]
    return names[-1] if names else "value"


def _text_of(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return value.isoformat() if value else ""


def _model_at(adapter: TypeAdapter[Any], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that a location inside ``adapter``'s type points at (for key hints)."""
    model: Any = adapter.core_schema.get("cls") if isinstance(adapter.core_schema, dict) else None
    for part in loc:
        if model is None or not isinstance(part, str):
            continue
        annotation = model.model_fields.get(part)
        model = _model_of(annotation.annotation) if annotation else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
