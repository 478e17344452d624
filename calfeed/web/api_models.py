"""The JSON API's documents as pydantic models: what /openapi.json and /docs describe.

The routes answer with bytes built by ``formats.jsonapi`` (rendered once per revision); these
models are the contract those bytes keep. ``extra="forbid"`` makes the schema say
``additionalProperties: false``, so the tests (and Schemathesis) catch any field that is
emitted but not documented.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EntryType = Literal["course", "conference", "webinar", "seminar", "meeting", "event", "deadline",
                    "publication"]
Status = Literal["confirmed", "tentative", "cancelled"]

_WHEN = ("A date (YYYY-MM-DD) for an all-day entry, else an ISO 8601 date-time with the "
         "offset in force in the entry's time zone.")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventLinks(_Model):
    html: str = Field(description="The entry's page on this site.",
                      examples=["https://kalender.example.no/events/rosa-konferanse-2024"])
    ics: str = Field(description="The entry alone as an iCalendar download.",
                     examples=["https://kalender.example.no/events/rosa-konferanse-2024.ics"])
    google: str = Field(description="Google Calendar's pre-filled 'add event' form for this "
                        "occurrence.")
    outlook: str = Field(description="Outlook on the web's pre-filled 'new event' form for "
                         "this occurrence.")


class EventItem(_Model):
    id: str = Field(description="The entry's stable id; the same for every occurrence of a "
                    "recurring entry.", examples=["horing-krisesenterloven-2024"])
    occurrence: date | datetime | None = Field(
        description="For a recurring entry: this occurrence's start (with `id`, it names the "
        "occurrence). null for one-off entries.", examples=[None])
    type: EntryType = Field(description="What kind of entry it is.", examples=["deadline"])
    type_label: str = Field(description="`type` in words, in the calendar's language (or "
                            "`lang`).", examples=["Høringsfrist"])
    title: str = Field(description="The title as the editor wrote it, without prefixes (in "
                       "`lang` where the editor gave one).",
                       examples=["Forslag til endringer i krisesenterloven"])
    start: date | datetime = Field(description=_WHEN, examples=["2024-09-16",
                                                                "2024-10-03T10:00:00+02:00"])
    end: date | datetime = Field(
        description=_WHEN + " For all-day entries the last day, INCLUSIVE.",
        examples=["2024-09-16", "2024-10-03T11:30:00+02:00"])
    all_day: bool = Field(description="True when `start`/`end` are dates.")
    precision: Literal["day", "month"] = Field(
        description="'month' when only the month is known ('juni 2024, dato kommer'): "
        "`start`/`end` are then the month's first and last day. Such entries are left out of "
        "iCalendar and the FullCalendar source until they have a day.", examples=["day"])
    timezone: str = Field(description="The entry's IANA time zone.", examples=["Europe/Oslo"])
    location: str | None = Field(description="The place, or 'Digitalt'.",
                                 examples=["Clarion Hotel The Hub, Oslo"])
    online_url: str | None = Field(description="Stream or meeting link (http/https).")
    url: str | None = Field(description="Information or registration page (http/https); for "
                            "a deadline, where to answer.")
    organizer: str | None = Field(description="Who runs it; for a deadline, who issued it.",
                                  examples=["Barne- og familiedepartementet"])
    description: str | None = Field(description="Plain text; may have several lines.")
    tags: list[str] = Field(description="Lowercase tags.", examples=[["ungdom", "utnyttelse"]])
    tag_labels: dict[str, str] = Field(
        description="Each tag's label in the response's language, from the calendar's tag "
        "vocabulary (the slug itself where it declares none): what to show people.",
        examples=[{"ungdom": "Ungdom", "utnyttelse": "Utnyttelse"}])
    status: Status = Field(description="'cancelled' entries stay listed until they have ended, "
                           "so partners can show the cancellation.")
    source: str | None = Field(description="The partner source (under `sources:`) the entry "
                               "was pulled from; null for the editor's own entries.",
                               examples=[None, "rvts-ost"])
    due: date | datetime | None = Field(description="Deadlines only: when this occurrence is "
                                        "due. null for other types.", examples=["2024-09-16"])
    open: bool | None = Field(description="Deadlines only: true until the due day has passed "
                              "(false if cancelled). null for other types.")
    days_left: int | None = Field(description="Deadlines only: whole days from today (in the "
                                  "calendar's zone) to the due day; 0 on the day; null once "
                                  "passed and for other types.", examples=[46])
    updated: datetime = Field(description="When the entry's content last changed.")
    sequence: int = Field(description="Revision number; rises with every change (iCalendar "
                          "SEQUENCE).", examples=[0])
    links: EventLinks
    lang: str | None = Field(None, description="Only with `lang` other than the calendar's "
                             "language: the language asked for.", examples=["en"])
    fallback: dict[str, str] | None = Field(
        None, description="Only with `lang` other than the calendar's language: each of "
        "`title`, `description`, `location` that has no text in that language, so is in "
        "the calendar's (field → its language).", examples=[{"location": "nb"}])


class FeedRef(_Model):
    name: str = Field(description="The feed's name ('all' for everything).",
                      examples=["frister"])
    title: str = Field(examples=["Høringsfrister"])


class SubscribeLinks(_Model):
    """Ways to subscribe to the iCalendar feed of the same view (feed, type and tag; the
    window, text search and status filter are the API's own and do not carry over)."""

    https: str = Field(examples=["https://kalender.example.no/feeds/frister.ics"])
    webcal: str = Field(examples=["webcal://kalender.example.no/feeds/frister.ics"])
    outlook_office: str = Field(description="Outlook for Microsoft 365 / work accounts.")
    outlook_live: str = Field(description="Outlook.com / personal accounts.")
    google: str = Field(description="Google Calendar's one-click link (unreliable; Google's "
                        "'From URL' with `https` always works).")


class Tombstone(_Model):
    id: str = Field(description="The removed entry's id.", examples=["kurs-ungdom-2024"])
    removed: datetime = Field(description="When a sync removed it (UTC).")


class EventList(_Model):
    feed: FeedRef = Field(description="The feed the items come from.")
    items: list[EventItem] = Field(description="Occurrences in (start, id) order.")
    next: str | None = Field(description="The next page's absolute URL (same query plus "
                             "`cursor`), or null on the last page.")
    subscribe: SubscribeLinks
    removed: list[Tombstone] | None = Field(
        default=None, description="Only with `updated_since`: entries removed from the calendar "
        "after that instant that this view's filters would have listed (delete them from a "
        "mirror); paged with the items by the removed entry's start, so every page has its "
        "own and following `next` to the end gives each once.")


class OccurrenceTimes(_Model):
    start: date | datetime = Field(description=_WHEN)
    end: date | datetime = Field(description=_WHEN + " All-day: the last day, inclusive.")


class EntryDetail(EventItem):
    repeat: str | None = Field(description="The RFC 5545 RRULE, or null for a one-off entry.",
                               examples=["FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1"])
    next_occurrences: list[OccurrenceTimes] = Field(
        description="Up to 10 occurrences that have not ended by today.")


class FeedUrls(_Model):
    https: str = Field(description="iCalendar over https: paste into any calendar app's "
                       "'subscribe from URL'.")
    webcal: str = Field(description="The same as webcal://, which opens Apple Calendar and "
                        "Outlook desktop directly.")
    outlook_office: str = Field(description="Add to Outlook (Microsoft 365 / work).")
    outlook_live: str = Field(description="Add to Outlook.com (personal).")
    google: str = Field(description="Google Calendar's one-click link.")
    atom: str = Field(description="Atom 1.0 feed.")
    rss: str = Field(description="RSS 2.0 feed.")
    api: str = Field(description="This API's event list for the feed.")


class FeedInfo(_Model):
    name: str = Field(examples=["frister"])
    title: str = Field(examples=["Høringsfrister"])
    description: str | None
    types: list[EntryType] = Field(description="The types it shows (empty: any).")
    tags: list[str] = Field(description="The tags it shows (empty: any).")
    urls: FeedUrls
    languages: dict[str, FeedUrls] | None = Field(
        None, description="Only for a calendar in several languages: the same URLs for each "
        "of its languages (each with `?lang=`; an entry has the same UID in all of them).")


class FeedList(_Model):
    feeds: list[FeedInfo] = Field(description="'all' first, then by name.")


class FullCalendarProps(_Model):
    type: EntryType
    type_label: str
    status: Status
    location: str | None
    organizer: str | None
    source: str | None = Field(description="The partner source (under `sources:`) the entry "
                               "was pulled from; null for the editor's own entries.",
                               examples=[None, "rvts-ost"])
    timezone: str
    occurrence: date | datetime | None = Field(description="Recurring entries: this "
                                               "occurrence's start.")
    due: date | datetime | None
    open: bool | None
    days_left: int | None


class FullCalendarEvent(_Model):
    """One event in FullCalendar's JSON event-source format."""

    id: str = Field(description="The entry's id (shared by a recurring entry's occurrences).")
    title: str = Field(description="With 'Frist: ' / 'AVLYST: ' prefixes, as calendars show it.",
                       examples=["Frist: Forslag til endringer i krisesenterloven"])
    start: date | datetime
    end: date | datetime = Field(description="All-day: the day AFTER the last day (exclusive), "
                                 "as FullCalendar reads it.")
    allDay: bool
    url: str = Field(description="The entry's page.")
    classNames: list[str] = Field(
        description="'calfeed-<type>', plus 'calfeed-cancelled' or 'calfeed-tentative'.",
        examples=[["calfeed-deadline"]])
    extendedProps: FullCalendarProps


class InvalidParam(_Model):
    name: str = Field(examples=["limit"])
    reason: str = Field(examples=["Input should be less than or equal to 500"])


class ProblemDetail(BaseModel):
    """RFC 9457 problem document, the one shape of every error."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Bad Request"])
    status: int = Field(examples=[400])
    detail: str = Field(examples=["Invalid query parameter 'limit': Input should be less than "
                                  "or equal to 500"])
    instance: str = Field(examples=["/api/v1/events"])
    parameter: str | None = Field(None, description="The bad parameter, when one is to blame.")
    invalid_params: list[InvalidParam] | None = None
