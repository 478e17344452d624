"""Read ``events.yaml`` into validated domain objects, reporting every problem with its place.

``yamlload.py`` reads the file and composes it into a node tree (every node has its line and
column) and plain data, within bounds; pydantic checks the shape (``schema.py``) and each value
(``validators.py``, ``rules.py``), and ``located.py`` words its findings as
``file:line:col: message`` with a hint.
Scalars are taken as the text the editor wrote, never through YAML 1.1's implicit typing, so
``id: no`` is the string "no" and ``start: 2024-08-21 10:00`` is not silently a string while
``2024-08-21 10:00:00`` is a timestamp.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import rules, schema, yamlload
from . import validators as v
from .derived import registration_deadline
from .errors import Problem, SourceError
from .lint import Where, source_warnings
from .localtime import local_midnight, resolve_local
from .located import Path_
from .model import (
    TEXT_FIELDS,
    Author,
    CalendarInfo,
    Entry,
    FeedDef,
    Month,
    Source,
    When,
)
from .partners import PartnerSource
from .source_tags import TagVocabulary
from .source_texts import LanguageTexts


@dataclass(frozen=True, slots=True)
class Loaded:
    source: Source
    warnings: tuple[Problem, ...]
    # Where a place of the file is (("entries", 3) -> line, column), for findings made after
    # loading (lint.ended_before_published, once a sync has said what is new).
    where: Where = field(default=lambda path: (1, 1), repr=False, compare=False)


def load_source(path: str | Path) -> Loaded:
    """Load and validate a source file; raises SourceError with every problem found."""
    path = Path(path)
    return parse_source(yamlload.read_text(path), str(path))


def parse_source(text: str, filename: str = "events.yaml") -> Loaded:
    return _Reader(filename).read(text)


def _problem(file: str, line: int, col: int, message: str, severity: str = "error") -> Problem:
    return Problem(file, line, col, message, severity)


_PLACEHOLDER = "placeholder-for-a-field-with-errors"


# --- reading -------------------------------------------------------------------------------------


class _Reader(LanguageTexts, TagVocabulary):
    def read(self, text: str) -> Loaded:
        data = self._compose(text)
        source = self._validate(data) if data is not None else None
        if source is None or self.errors:
            raise SourceError(self.problems)
        return Loaded(source, tuple(sorted(self.problems, key=lambda p: (p.line, p.column))),
                      self._where)

    # YAML -> plain data; the nodes are kept, so a problem's place is looked up only when needed

    def _compose(self, text: str) -> dict[str, Any] | None:
        node = yamlload.compose(text, self._add)
        if node is None:
            if not self.errors:
                self._add(1, 1, "the file is empty; start with a 'calendar:' section (see README)")
            return None
        self.root = node
        plain = yamlload.Plain(self._add)
        data = plain.convert(node)
        if plain.stopped:  # a bound was hit; what was read is not the file
            return None
        if not isinstance(data, dict):
            if not self.errors:
                self._at((), "the file must be a mapping with 'calendar:', 'feeds:' and "
                         "'entries:'")
            return None
        return data

    # validation

    def _validate(self, data: dict[str, Any]) -> Source | None:
        for key in data:
            if key not in schema.TOP_KEYS:
                self._unknown_key((key,), schema.TOP_KEYS)
        calendar = self._check(schema.CALENDAR, data.get("calendar"), ("calendar",), "calendar")
        default_tz = calendar.timezone if isinstance(calendar, schema.CalendarIn) else "Europe/Oslo"
        if isinstance(calendar, schema.CalendarIn):
            self._languages(calendar)
        cal_texts = self._texts(calendar, ("calendar",), ("title", "description")) \
            if isinstance(calendar, schema.CalendarIn) else None
        language = calendar.language if isinstance(calendar, schema.CalendarIn) else "nb"
        vocabulary = self._vocabulary(data.get("tags"), "tags" in data)
        feeds = self._feeds(data.get("feeds"))
        entries = self._entries(data.get("entries"), default_tz, language)
        partners = self._partner_sources(data.get("sources"))
        hide = self._check(schema.HIDE, data["hide"], ("hide",), "hide") if data.get("hide") else []
        if vocabulary is not None:
            self._undeclared_tags(vocabulary, data)
        if calendar is None or feeds is None or entries is None or partners is None \
                or hide is None or cal_texts is None or self.errors:
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
            tag_labels=tuple(sorted((slug, *labels)
                                    for slug, labels in (vocabulary or {}).items())),
        )
        source = Source(info, feeds, tuple(entries), partners, tuple(hide))
        self.problems.extend(source_warnings(source, self.file, self._where))
        return source

    def _where(self, loc: Path_) -> tuple[int, int]:
        return (self._key_mark(loc) if loc[0] == "feeds" else None) or self._mark(loc)

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
            feed = self._check(schema.FEED, raw, path, f"feeds.{name}")
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
            found = self._check(schema.PARTNER, raw, path, f"sources.{name}")
            if found is None or not ok:
                continue
            sources[name] = PartnerSource(
                name, found.url, found.format, found.type, tuple(found.tags), found.organizer,
                tuple(found.include), tuple(found.exclude), found.every)
        return sources if len(sources) == len(value) else None

    def _entries(self, value: Any, default_tz: str, language: str) -> list[Entry] | None:
        if value is None:
            return []
        if not isinstance(value, list):
            self._at(("entries",), "expected a list of entries, each starting with '- id:'")
            return None
        entries: list[Entry] = []
        registrations: list[tuple[int, Entry]] = []
        seen: dict[str, int] = {}
        ok = True
        for index, raw in enumerate(value):
            path: Path_ = ("entries", index)
            parsed, complete = self._entry_fields(raw, path)
            entry = self._entry(parsed, path, default_tz, raw) if parsed is not None else None
            if entry is not None and parsed is not None and parsed.registration is not None:
                derived = self._registration(entry, parsed.registration, path, language)
                if derived is not None:
                    registrations.append((index, derived))
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
        for index, derived in registrations:
            if derived.id in seen:
                line = self._mark(("entries", seen[derived.id], "id"))[0]
                self._key(("entries", index, "registration"),
                          f"id '{derived.id}' is taken by another entry (line {line}); the "
                          f"registration deadline of '{derived.registration_for}' needs it")
                ok = False
            position = next(i for i, e in enumerate(entries) if e.id == derived.registration_for)
            entries.insert(position + 1, derived)
        return entries if ok else None

    def _registration(self, event: Entry, raw: schema.RegistrationIn, path: Path_,
                      language: str) -> Entry | None:
        """The deadline an event's ``registration: {due, url}`` gives (see derived.py)."""
        if event.is_deadline:
            self._key((*path, "registration"),
                      "only events have 'registration'; a deadline is its own deadline")
            return None
        due: date | datetime = raw.due
        if isinstance(due, datetime):
            due = self._local(due, event.timezone, (*path, "registration", "due"))
        if _instant(due, event.timezone) > _instant(event.start, event.timezone):
            line, col = self._mark((*path, "registration", "due"))
            self.problems.append(_problem(
                self.file, line, col, f"the registration deadline ({v.local_text(raw.due)}) is "
                f"after the start ({v.local_text(event.start)}); check 'registration: due'",
                "warning"))
        return registration_deadline(event, due, raw.url, language)

    def _entry_fields(self, raw: Any, path: Path_) -> tuple[schema.EntryIn | None, bool]:
        """Validate an entry's fields; on errors, also return what did validate.

        The partial result lets the cross-field rules (dates, deadlines, duplicate ids) report
        their problems in the same run, so the editor sees every mistake at once.
        """
        if not isinstance(raw, dict):
            self._check(schema.ENTRY, raw, path, "entry")
            return None, False
        try:
            return schema.ENTRY.validate_python(raw), True
        except ValidationError as exc:
            self._translate(exc, path, schema.ENTRY)
            failed = {e["loc"][0] for e in exc.errors() if e["loc"]}
        fields = schema.EntryIn.model_fields
        partial = {k: v for k, v in raw.items() if k not in failed and k in fields}
        if "type" not in partial:
            # A misspelt or missing type must not hide the entry's other mistakes: check the
            # dates as the kind of entry its keys say it is.
            partial["type"] = "deadline" if "due" in raw else "event"
        partial.setdefault("id", _PLACEHOLDER)
        partial.setdefault("title", _PLACEHOLDER)
        try:
            return schema.ENTRY.validate_python(partial), False
        except ValidationError:
            return None, False

    def _entry(self, raw: schema.EntryIn, path: Path_, default_tz: str,
               written: Any) -> Entry | None:
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
        precision = "day"
        if isinstance(first, Month) or isinstance(last, Month):
            if not isinstance(first, Month):
                self._at((*path, last_key), "'start' and 'end' must both be dates (all day) or "
                         "both date-times; write e.g. 'end: 2024-08-22' or "
                         "'end: 2024-08-21 16:00'")
                return None
            for key in ("end", "repeat"):
                if getattr(raw, key) is not None and not (key == "end" and last is first):
                    self._key((*path, key), f"an entry with only a month ({first}) has no "
                              f"'{key}'; give the day when it is known, then add 'end' or "
                              "'repeat'")
            if self.errors > errors_before:
                return None
            month = first
            first, last, precision = month.first_day, month.last_day, "month"
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
                rules.repeat_rule(raw.repeat, start)
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
            precision=precision,
        )
        self._partly_translated(entry, path)
        return entry

    def _local(self, naive: datetime, tz: str, path: Path_) -> datetime:
        resolved = resolve_local(naive, tz)
        if resolved.note:
            line, col = self._mark(path)
            self.problems.append(_problem(self.file, line, col, resolved.note, "warning"))
        return resolved.value


def _instant(value: When, tz: str) -> datetime:
    return value if isinstance(value, datetime) else local_midnight(value, tz)


def _wrote_a_date(raw: Any) -> bool:
    """Whether the editor wrote 'start' or 'due', or a key close enough to be one misspelt."""
    if not isinstance(raw, dict):
        return False
    for key in raw:
        if key in ("start", "due"):
            return True
        if key not in schema.EntryIn.model_fields and {"start", "due"} & set(
                difflib.get_close_matches(str(key), schema.EntryIn.model_fields, n=1, cutoff=0.6)):
            return True
    return False


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
