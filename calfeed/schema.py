"""The shape of ``events.yaml``: its sections, their keys, and which validator (in
``validators.py``) says what each value may be. pydantic applies it; ``source.py`` turns its
findings into located messages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainValidator, TypeAdapter

from . import validators as v
from .model import LANGUAGES, STATUSES, TYPES, Month
from .partners import FORMATS

Text = Annotated[str, PlainValidator(v.text)]
Line = Annotated[str, PlainValidator(v.single_line)]
# Text, or text per language: ``title: {nb: …, en: …}`` (see source_texts.LanguageTexts._texts).
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
# ... or a month whose day is not known yet: ``start: 2024-06``
WhenOrMonthIn = Annotated[date | datetime | Month, PlainValidator(v.when_or_month)]
DateIn = Annotated[date, PlainValidator(v.date_only)]
RuleText = Annotated[str, PlainValidator(v.rule_text)]
Days = Annotated[int, PlainValidator(v.days)]


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


class RegistrationIn(_Strict):
    """``registration: {due, url}`` on an event: when (and where) registration closes."""

    due: WhenIn
    url: Url | None = None


class TagLabelsIn(_Strict):
    """One tag of the ``tags:`` vocabulary: its label in each language."""

    nb: Line | None = None
    en: Line | None = None


class EntryIn(_Strict):
    id: Slug
    type: EntryType
    title: Lines
    start: WhenOrMonthIn | None = None
    end: WhenOrMonthIn | None = None
    due: WhenOrMonthIn | None = None
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
    registration: RegistrationIn | None = None


class PartnerSourceIn(_Strict):
    url: Url
    format: Annotated[str, PlainValidator(v.one_of(FORMATS, "format"))]
    type: EntryType | None = None
    tags: list[Tag] = []
    organizer: Line | None = None
    include: list[Line] = []
    exclude: list[Line] = []
    every: Annotated[timedelta, PlainValidator(v.every)] = timedelta(hours=6)


TOP_KEYS = ("calendar", "tags", "feeds", "entries", "sources", "hide")
CALENDAR = TypeAdapter(CalendarIn)
FEED = TypeAdapter(FeedIn)
ENTRY = TypeAdapter(EntryIn)
PARTNER = TypeAdapter(PartnerSourceIn)
HIDE = TypeAdapter(list[Slug])
TAG_LABELS = TypeAdapter(TagLabelsIn)

# Messages for pydantic's own error types, where our validators did not speak first.
GENERIC = {
    "string_type": "expected text here",
    "dict_type": "expected a mapping of 'key: value' lines here",
    "model_type": "expected a mapping of 'key: value' lines here",
    "list_type": "expected a list here, e.g. [a, b] or lines starting with '- '",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "greater_than_equal": "must be 0 or more",
}
