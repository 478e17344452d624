"""Read ``events.yaml`` into validated domain objects, reporting every problem with its place.

PyYAML's composer (the C one when available) gives every node its line and column; we turn the
node tree into plain data, let pydantic check the shape and each value (with the validators in
``validators.py``), and translate its errors into ``file:line:col: message`` with a hint,
looking the place up in the kept node tree only for the values that have a problem.
Scalars are taken as the text the editor wrote, never through YAML 1.1's implicit typing, so
``id: no`` is the string "no" and ``start: 2024-08-21 10:00`` is not silently a string while
``2024-08-21 10:00:00`` is a timestamp.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
)

from . import validators as v
from .errors import Problem, SourceError
from .languages import partly_translated
from .model import (
    DEFAULT_LANGUAGES,
    LANGUAGES,
    STATUSES,
    TEXT_FIELDS,
    TYPES,
    Author,
    CalendarInfo,
    Entry,
    FeedDef,
    Source,
    Texts,
    When,
    resolve_local,
)
from .partners import FORMATS, PartnerSource

try:  # the C composer is ~10x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
_NULL_TAG = "tag:yaml.org,2002:null"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # YAML 1.1's plain nulls


class _Loader(_YamlLoader):
    """Tags a plain scalar null or text, nothing else: we read every value as the text the
    editor wrote, so the composer need not try YAML 1.1's bool/int/float/timestamp patterns on
    each of them (a tenth of the time of composing a large file)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULLS else self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


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


# --- the schema: each field's validator (validators.py) says what is acceptable -----------------


Text = Annotated[str, PlainValidator(v.text)]
Line = Annotated[str, PlainValidator(v.single_line)]
# Text, or text per language: ``title: {nb: …, en: …}`` (see _Reader._texts).
Lines = Annotated[str | dict[str, str], PlainValidator(v.per_language(v.single_line))]
Texts_ = Annotated[str | dict[str, str], PlainValidator(v.per_language(v.text))]
Slug = Annotated[str, PlainValidator(v.slug)]
Tag = Annotated[str, PlainValidator(v.tag)]
EntryType = Annotated[str, PlainValidator(v.one_of(TYPES, "type"))]
Status = Annotated[str, PlainValidator(v.one_of(STATUSES, "status"))]
Language = Annotated[str, PlainValidator(v.one_of(LANGUAGES, "language"))]
TimeZoneName = Annotated[str, PlainValidator(v.time_zone)]
Url = Annotated[str, PlainValidator(v.web_url)]
BaseUrl = Annotated[str, PlainValidator(v.base_url)]
Domain = Annotated[str, PlainValidator(v.domain)]
WhenIn = Annotated[date | datetime, PlainValidator(v.when)]
DateIn = Annotated[date, PlainValidator(v.date_only)]
RuleText = Annotated[str, PlainValidator(v.rule_text)]
Days = Annotated[int, BeforeValidator(v.whole_number), Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthorIn(_Strict):
    name: Line | None = None
    email: Line | None = None


class CalendarIn(_Strict):
    title: Lines
    uid_domain: Domain
    description: Texts_ | None = None
    timezone: TimeZoneName = "Europe/Oslo"
    language: Language = "nb"
    languages: list[Language] | None = None
    base_url: BaseUrl | None = None
    author: AuthorIn = AuthorIn()
    past_days: Days | None = 400


class FeedIn(_Strict):
    title: Lines
    description: Texts_ | None = None
    types: list[EntryType] = []
    tags: list[Tag] = []


class EntryIn(_Strict):
    id: Slug
    type: EntryType
    title: Lines
    start: WhenIn | None = None
    end: WhenIn | None = None
    due: WhenIn | None = None
    timezone: TimeZoneName | None = None
    location: Lines | None = None
    online_url: Url | None = None
    url: Url | None = None
    organizer: Line | None = None
    description: Texts_ | None = None
    tags: list[Tag] = []
    status: Status = "confirmed"
    published: DateIn | None = None
    repeat: RuleText | None = None


class PartnerSourceIn(_Strict):
    url: Url
    format: Annotated[str, PlainValidator(v.one_of(FORMATS, "format"))]
    type: EntryType | None = None
    tags: list[Tag] = []
    organizer: Line | None = None
    include: list[Line] = []
    exclude: list[Line] = []
    every: Annotated[timedelta, PlainValidator(v.every)] = timedelta(hours=6)


_TOP_KEYS = ("calendar", "feeds", "entries", "sources", "hide")
_PLACEHOLDER = "placeholder-for-a-field-with-errors"
_CALENDAR = TypeAdapter(CalendarIn)
_FEED = TypeAdapter(FeedIn)
_ENTRY = TypeAdapter(EntryIn)
_PARTNER = TypeAdapter(PartnerSourceIn)
_HIDE = TypeAdapter(list[Slug])

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
        self.root: yaml.Node | None = None
        self.problems: list[Problem] = []
        self.errors = 0
        # The calendar's language and the languages it offers: text per language is checked
        # against them (pulled entries, read without a calendar, have plain text only).
        self.language = "nb"
        self.offered: tuple[str, ...] = DEFAULT_LANGUAGES

    def read(self, text: str) -> Loaded:
        data = self._compose(text)
        source = self._validate(data) if data is not None else None
        if source is None or self.errors:
            raise SourceError(self.problems)
        return Loaded(source, tuple(self.problems))

    # YAML -> plain data; the nodes are kept, so a problem's place is looked up only when needed

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
        self.root = node
        data = self._plain(node)
        if not isinstance(data, dict):
            self._at((), "the file must be a mapping with 'calendar:', 'feeds:' and 'entries:'")
            return None
        return data

    def _plain(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._add(*_position(key_node), "keys must be plain words")
                    continue
                key = str(key_node.value)
                if key in result:
                    self._add(*_position(key_node), f"key '{key}' appears twice here; keep one")
                    continue
                result[key] = self._plain(value_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._plain(child) for child in node.value]
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
        if isinstance(calendar, CalendarIn):
            self._languages(calendar)
        cal_texts = self._texts(calendar, ("calendar",), ("title", "description")) \
            if isinstance(calendar, CalendarIn) else None
        feeds = self._feeds(data.get("feeds"))
        entries = self._entries(data.get("entries"), default_tz)
        partners = self._partner_sources(data.get("sources"))
        hide = self._check(_HIDE, data["hide"], ("hide",), "hide") if data.get("hide") else []
        if calendar is None or feeds is None or entries is None or partners is None \
                or hide is None or cal_texts is None:
            return None
        info = CalendarInfo(
            title=cal_texts[0]["title"] or "",
            uid_domain=calendar.uid_domain,
            description=cal_texts[0]["description"],
            timezone=calendar.timezone,
            language=calendar.language,
            languages=tuple(dict.fromkeys(calendar.languages or ())),
            translations=cal_texts[1],
            base_url=calendar.base_url,
            author=Author(calendar.author.name, calendar.author.email),
            past_days=calendar.past_days,
        )
        return Source(info, feeds, tuple(entries), partners, tuple(hide))

    def _check(self, adapter: TypeAdapter[Any], value: Any, path: Path_, what: str) -> Any:
        if value is None:
            if self._key_mark(path) is not None:  # the key is there, nothing under it
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
            if not v.is_slug(name):
                self._key(path, f"feed name '{name}' must be lowercase letters, digits and '-'")
                ok = False
            feed = self._check(_FEED, raw, path, f"feeds.{name}")
            texts = self._texts(feed, path, ("title", "description")) if feed else None
            if feed is None or texts is None:
                ok = False
                continue
            feeds[name] = FeedDef(name, texts[0]["title"] or "", texts[0]["description"],
                                  tuple(feed.types), tuple(feed.tags), texts[1])
        return feeds if ok else None

    def _partner_sources(self, value: Any) -> dict[str, PartnerSource] | None:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self._at(("sources",), "expected a mapping of source names, e.g. 'rvts-ost:'")
            return None
        sources: dict[str, PartnerSource] = {}
        for name, raw in value.items():
            path = ("sources", name)
            ok = v.is_slug(name) and len(name) <= 60
            if not ok:
                self._key(path, f"source name '{name}' must be lowercase letters, digits and "
                          "'-' (it starts the id of every entry it brings)")
            found = self._check(_PARTNER, raw, path, f"sources.{name}")
            if found is None or not ok:
                continue
            sources[name] = PartnerSource(
                name, found.url, found.format, found.type, tuple(found.tags), found.organizer,
                tuple(found.include), tuple(found.exclude), found.every)
        return sources if len(sources) == len(value) else None

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
            entry = self._entry(parsed, path, default_tz, raw) if parsed is not None else None
            if parsed is not None and parsed.id != _PLACEHOLDER:
                if parsed.id in seen:
                    first_line = self._mark(("entries", seen[parsed.id], "id"))[0]
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

    def _entry(self, raw: EntryIn, path: Path_, default_tz: str, written: Any) -> Entry | None:
        """Build the entry; ``written`` is the mapping the editor wrote, so a 'start' that is
        already reported as invalid or misspelt is not also "missing"."""
        errors_before = self.errors
        tz = raw.timezone or default_tz
        if raw.type == "deadline":
            for key in ("start", "end"):
                if getattr(raw, key) is not None:
                    self._key((*path, key), f"a deadline has 'due', not '{key}'; write "
                              f"'due: {v.local_text(getattr(raw, key))}'")
            if raw.due is None and raw.start is None and not _wrote_a_date(written):
                self._at(path, "missing 'due': a deadline needs the date it is due, "
                         "e.g. 'due: 2024-09-16'")
            first = raw.due if raw.due is not None else raw.start
            last = first
            first_key = last_key = "due"
        else:
            if raw.due is not None:
                self._key((*path, "due"), "only deadlines have 'due'; write 'start:' instead, "
                          "or set 'type: deadline'")
            if raw.start is None and raw.due is None and not _wrote_a_date(written):
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
            self._at((*path, "end"), f"'end' ({v.local_text(last)}) is before 'start' "
                     f"({v.local_text(first)}); for a date, 'end' is the last day, inclusive")
        if raw.repeat is not None:
            try:
                v.repeat_rule(raw.repeat, start)
            except v.Invalid as exc:
                self._at((*path, "repeat"), str(exc))
        texts = self._texts(raw, path, TEXT_FIELDS)
        if self.errors > errors_before or texts is None:
            return None
        entry = Entry(
            id=raw.id, type=raw.type, title=texts[0]["title"] or "", start=start, end=end,
            timezone=tz, location=texts[0]["location"], online_url=raw.online_url, url=raw.url,
            organizer=raw.organizer, description=texts[0]["description"], tags=tuple(raw.tags),
            status=raw.status, published=raw.published, repeat=raw.repeat,
            translations=texts[1],
        )
        self._partly_translated(entry, path)
        return entry

    # text per language

    def _languages(self, calendar: CalendarIn) -> None:
        self.language = calendar.language
        if calendar.languages is None:
            self.offered = CalendarInfo("", "", language=calendar.language).offered
            return
        self.offered = tuple(dict.fromkeys(calendar.languages))
        if calendar.language not in self.offered:
            self.offered = (calendar.language, *self.offered)  # one mistake, one message
            self._at(("calendar", "languages"), f"the calendar's language "
                     f"'{calendar.language}' must be one of its languages; write "
                     f"'languages: [{', '.join(self.offered)}]'")
        for index, language in enumerate(calendar.languages):
            if language in calendar.languages[:index]:
                self._at(("calendar", "languages", index),
                         f"language '{language}' is listed twice; keep one")

    def _texts(self, parsed: Any, path: Path_, fields: tuple[str, ...]
               ) -> tuple[dict[str, str | None], Texts] | None:
        """Each field's text in the calendar's language, and the other languages' texts;
        None (after reporting) when a language is not the calendar's."""
        base: dict[str, str | None] = {}
        others: list[tuple[str, str, str]] = []
        ok = True
        for field in fields:
            value = getattr(parsed, field)
            if not isinstance(value, dict):
                base[field] = value
                continue
            base[field] = value.get(self.language)
            for language, text in value.items():
                if language not in self.offered:
                    self._key((*path, field, language), f"'{language}' is not a language of "
                              f"this calendar ({', '.join(self.offered)}); declare it in "
                              "'calendar: languages:', or correct it")
                    ok = False
                elif language != self.language:
                    others.append((language, field, text))
            if base[field] is None:
                self._at((*path, field), f"{field}: no '{self.language}' text (the calendar's "
                         f"language, which the others fall back to); add '{self.language}: …'")
                ok = False
        return (base, tuple(sorted(others))) if ok else None

    def _partly_translated(self, entry: Entry, path: Path_) -> None:
        for language, field in partly_translated(entry):
            line, col = self._mark((*path, field))
            self.problems.append(_problem(
                self.file, line, col, f"{field}: no '{language}' text, though other fields of "
                f"this entry have one; write '{field}: {{{self.language}: …, {language}: …}}', "
                f"or {language} readers see the {self.language} text", "warning"))

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
            elif kind == "value_error" and isinstance(error.get("ctx", {}).get("error"),
                                                      v.Invalid):
                message = str(error["ctx"]["error"])
                self._at(loc, message if _is_self_describing(message) else
                         f"{loc[-1] if isinstance(loc[-1], str) else 'value'}: {message}")
            else:
                self._at(loc, f"{_field_name(loc)}: {_GENERIC.get(kind, error['msg'])}")

    def _unknown_key(self, loc: Path_, allowed: tuple[str, ...]) -> None:
        key = str(loc[-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" — did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
        self._key(loc, f"unknown key '{key}'{hint}")

    def _mark(self, loc: Path_) -> tuple[int, int]:
        """Where the value at ``loc`` starts, or its nearest enclosing value that exists."""
        node = self.root
        for part in loc:
            child = _child(node, part) if node is not None else None
            if child is None:
                break
            node = child[1]
        return _position(node) if node is not None else (1, 1)

    def _key_mark(self, loc: Path_) -> tuple[int, int] | None:
        parent = self.root
        for part in loc[:-1]:
            child = _child(parent, part) if parent is not None else None
            if child is None:
                return None
            parent = child[1]
        child = _child(parent, loc[-1]) if parent is not None and loc else None
        return _position(child[0]) if child is not None and child[0] is not None else None

    def _at(self, loc: Path_, message: str) -> None:
        self._add(*self._mark(loc), message)

    def _key(self, loc: Path_, message: str) -> None:
        self._add(*(self._key_mark(loc) or self._mark(loc)), message)

    def _add(self, line: int, col: int, message: str) -> None:
        self.problems.append(_problem(self.file, line, col, message))
        self.errors += 1


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    """The (key node, value node) that ``part`` names in ``node``, as ``_plain`` read it: the
    first plain key of that name (a repeated key is an error and ignored), or a list index."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and str(key_node.value) == part:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
            and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _wrote_a_date(raw: Any) -> bool:
    """Whether the editor wrote 'start' or 'due', or a key close enough to be one misspelt."""
    if not isinstance(raw, dict):
        return False
    for key in raw:
        if key in ("start", "due"):
            return True
        if key not in EntryIn.model_fields and {"start", "due"} & set(
                difflib.get_close_matches(str(key), EntryIn.model_fields, n=1, cutoff=0.6)):
            return True
    return False


def _is_self_describing(message: str) -> bool:
    return message.startswith(("'", "unknown", "only", "contains"))


def _field_name(loc: Path_) -> str:
    names = [str(part) for part in loc if isinstance(part, str)]
    return names[-1] if names else "value"


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


def check_entry(raw: dict[str, Any], default_tz: str, where: str) -> Entry:
    """One entry given as the editor would write it (text values, as YAML gives them), checked
    by exactly the rules of the file: pulled partner entries use this. Raises SourceError
    whose problems are placed at ``where`` (line 1, column 1: there is no file)."""
    reader = _Reader(where)
    parsed, complete = reader._entry_fields(raw, ())
    entry = reader._entry(parsed, (), default_tz, raw) if parsed is not None else None
    if entry is None or not complete or reader.errors:
        raise SourceError(reader.problems)
    return entry
