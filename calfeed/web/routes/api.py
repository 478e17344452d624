"""/api/v1/…: the public JSON API and FullCalendar's event source. Thin: read and check the
query, then let ``serve_cached`` render each distinct query once per data revision."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from ...formats import apiquery, jsonapi
from ...formats.select import Filter
from ...localtime import local_midnight, zone
from ...model import STATUSES, Snapshot
from ..api_models import EntryDetail, EventList, FeedList, FullCalendarEvent, ProblemDetail
from ..filters import view_from_query
from ..http import Rendered, render_result
from ..language import in_asked_language
from ..problems import PROBLEM_JSON, HttpProblem, bad_parameter
from ..serving import day_last_modified, serve_cached, served
from ..state import ServedState

router = APIRouter(prefix="/api/v1", tags=["api"])

JSON = "application/json"
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
MAX_SPAN_DAYS = 3660  # a from/to window of ten years; longer asks would only burn CPU
MAX_CALENDAR_SPAN_DAYS = 1000  # FullCalendar's widest view (a year, padded) fits easily



def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}},
    }


_ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the client's copy (If-None-Match / If-Modified-Since) "
          "is current."},
    400: {"model": ProblemDetail, **_problem("A bad query parameter, named in `parameter`.")},
    404: _problem("No such feed or entry."),
    503: _problem("Nothing has been published yet."),
}

# Query parameters shared by the list and FullCalendar (documentation and validation).
FeedParam = Annotated[str, Query(
    description="A named feed (see /api/v1/feeds); 'all' for everything.",
    max_length=100, examples=["frister"])]
TypeParam = Annotated[list[str] | None, Query(
    description="Only these types (repeat, or separate by commas): course, conference, "
    "webinar, seminar, meeting, event, deadline, publication.", examples=[["deadline"]])]
TagParam = Annotated[list[str] | None, Query(
    description="Only entries with any of these tags (repeat, or separate by commas).",
    examples=[["ungdom"]])]
TextParam = Annotated[str | None, Query(
    description="Case-insensitive text search in title, description, organizer and "
    "location ('høring' finds 'Høringsfrist').", max_length=200, examples=["høring"])]
SourceParam = Annotated[list[str] | None, Query(
    description="Only entries pulled from these partner sources (names under `sources:`; "
    "repeat, or separate by commas).", examples=[["rvts-ost"]])]
StatusParam = Annotated[list[str] | None, Query(
    description="Only these statuses: confirmed, tentative, cancelled (default: all, so a "
    "cancellation is seen).", examples=[["confirmed"]])]
LangParam = Annotated[str | None, Query(
    max_length=20, description="One of the calendar's languages (`nb`, `en`): the entries' "
    "text where the editor gave it in that language (else the calendar's, named in "
    "`fallback`), `type_label` and title prefixes. Default: the calendar's language.",
    examples=["en"])]


FromParam = Annotated[date | None, Query(
    alias="from", description="First day (YYYY-MM-DD). Default: today in the calendar's "
    "time zone. Entries still running on this day are included.", examples=["2024-08-01"])]
ToParam = Annotated[date | None, Query(
    description="Last day, inclusive (YYYY-MM-DD), at most ten years after `from`. "
    "Without it, every later one-off entry is listed and recurring entries are expanded "
    f"for {apiquery.RECURRENCE_HORIZON_DAYS} days after `from`.", examples=["2024-12-31"])]
LimitParam = Annotated[int, Query(ge=1, le=500, description="Items per page (1–500); with "
                                  "`updated_since`, items and tombstones together.")]
CursorParam = Annotated[str | None, Query(
    max_length=500, description="Opaque: copy it from the previous page's `next` URL. "
    "Pages stay consistent while the data changes (no duplicates, none skipped among "
    "entries that did not change).")]
UpdatedSinceParam = Annotated[datetime | None, Query(
    description="For mirrors: only entries changed (edited, cancelled, restored) after this "
    "instant (ISO 8601 with an offset, e.g. 2024-08-01T00:00:00Z), within the usual window "
    "(pass an early `from` to see changes to past entries). Each page then also lists "
    "`removed`: tombstones {id, removed} of entries deleted after it that the same filters "
    "(feed, type, tag, source, q, status; not the date window) would have listed, paged with "
    "the items in (start, id) order. Use the newest `updated`/`removed` you have seen next time.",
    examples=["2024-08-01T00:00:00Z"])]


@router.api_route("/events", methods=["GET", "HEAD"], response_model=EventList,
                  responses=_ERRORS, summary="Events and deadlines in a window, paged")
async def events(
    request: Request,
    from_: FromParam = None,
    to: ToParam = None,
    feed: FeedParam = "all",
    type: TypeParam = None,
    tag: TagParam = None,
    source: SourceParam = None,
    q: TextParam = None,
    status: StatusParam = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    lang: LangParam = None,
    updated_since: UpdatedSinceParam = None,
) -> Response:
    """Occurrences overlapping [`from`, `to`], in (start, id) order, `limit` per page.

    A recurring entry gives one item per occurrence (same `id`, its own `occurrence`)."""
    state = in_asked_language(request, await served(request))
    query = event_query(request, state, from_=from_, to=to, feed=feed, q=q, limit=limit,
                        cursor=cursor, lang=lang, updated_since=updated_since)

    def render(state: ServedState) -> Rendered:
        # Items kept per entry revision and language (a recurring entry's other occurrences
        # derived from its item); the deadline fields are filled in per day.
        return _json(jsonapi.events_page(state.snapshot, state.context, query, state.pieces),
                     state)

    return await serve_cached(request, state, ("api/events", query), render)


@router.api_route("/events/{entry_id}", methods=["GET", "HEAD"], response_model=EntryDetail,
                  responses=_ERRORS, summary="One entry, its rule and next occurrences")
async def event(
    request: Request,
    entry_id: Annotated[str, Path(max_length=200, description="The entry's id.",
                                  examples=["horing-krisesenterloven-2024"])],
    lang: LangParam = None,
) -> Response:
    state = in_asked_language(request, await served(request))
    published = state.snapshot.entry(entry_id)
    if published is None:
        raise HttpProblem(404, f"No entry with id '{entry_id}'")

    def render(state: ServedState) -> Rendered:
        return _json(jsonapi.entry_detail(published, state.snapshot, state.context, lang), state)

    return await serve_cached(request, state, ("api/event", entry_id, lang), render)


@router.api_route("/feeds", methods=["GET", "HEAD"], response_model=FeedList,
                  responses=_ERRORS, summary="The named feeds and how to subscribe to each")
async def feeds(request: Request) -> Response:
    def render(state: ServedState) -> Rendered:
        return _json(jsonapi.feeds_list(state.snapshot, state.context), state)

    return await serve_cached(request, in_asked_language(request, await served(request)),
                              ("api/feeds",), render)


@router.api_route("/fullcalendar", methods=["GET", "HEAD"],
                  response_model=list[FullCalendarEvent], responses=_ERRORS,
                  summary="Event source for FullCalendar")
async def fullcalendar(
    request: Request,
    start: Annotated[str, Query(
        max_length=40, description="Start of the visible range, as FullCalendar sends it: a "
        "date or an ISO 8601 date-time (with or without offset).",
        examples=["2024-07-29T00:00:00+02:00"])],
    end: Annotated[str, Query(
        max_length=40, description="End of the visible range (exclusive), like `start`; at "
        f"most {MAX_CALENDAR_SPAN_DAYS} days after it.",
        examples=["2024-09-09T00:00:00+02:00"])],
    time_zone: Annotated[str | None, Query(
        alias="timeZone", max_length=64, description="FullCalendar's `timeZone`: 'local', "
        "'UTC' or an IANA name. With a name, times come in that zone and a `start`/`end` "
        "without offset is read in it.", examples=["Europe/Oslo"])] = None,
    feed: FeedParam = "all",
    type: TypeParam = None,
    tag: TagParam = None,
    source: SourceParam = None,
    q: TextParam = None,
    status: StatusParam = None,
    lang: LangParam = None,
) -> Response:
    """Use as `events: "https://…/api/v1/fullcalendar"`; FullCalendar adds start, end and
    timeZone itself. All-day `end` is exclusive here, as FullCalendar wants."""
    state = in_asked_language(request, await served(request))
    snapshot = state.snapshot
    view = _view(request, snapshot, feed)
    named = None
    if time_zone and time_zone not in ("local", "UTC"):
        try:
            named = zone(time_zone)
        except (ValueError, OSError, KeyError):
            raise bad_parameter("timeZone", f"'{time_zone}' is not 'local', 'UTC' or an IANA "
                                "time zone such as Europe/Oslo") from None
    # A start/end without offset is read in the named zone, else in the calendar's.
    fallback = time_zone if named is not None and time_zone else (
        "UTC" if time_zone == "UTC" else snapshot.calendar.timezone)
    first = _instant("start", start, fallback)
    last = _instant("end", end, fallback)
    if last <= first:
        raise bad_parameter("end", "must be after 'start'")
    if last - first > timedelta(days=MAX_CALENDAR_SPAN_DAYS):
        raise bad_parameter("end", f"the range may be at most {MAX_CALENDAR_SPAN_DAYS} days")
    query = apiquery.CalendarQuery(
        view=view, start=first, end=last, zone=named, text=apiquery.fold_text(q or ""),
        statuses=_statuses(request), lang=lang)

    def render(state: ServedState) -> Rendered:
        return _json(jsonapi.fullcalendar_events(state.snapshot, state.context, query), state)

    return await serve_cached(request, state, ("api/fullcalendar", query, time_zone), render)


# --- helpers --------------------------------------------------------------------------------


def event_query(request: Request, state: ServedState, *, from_: date | None, to: date | None,
                feed: str, q: str | None, limit: int, cursor: str | None, lang: str | None,
                updated_since: datetime | None = None) -> apiquery.EventQuery:
    """The checked, normalised query of ``/api/v1/events`` (and of ``/embed/list``, which
    takes the same one); a 400 naming the parameter for anything wrong."""
    view = _view(request, state.snapshot, feed)
    first = _day("from", from_) if from_ else state.context.today
    last = _day("to", to) if to else None
    if last is not None and last < first:
        raise bad_parameter("to", f"{last} is before 'from' ({first})")
    if last is not None and (last - first).days > MAX_SPAN_DAYS:
        raise bad_parameter("to", f"the window may be at most {MAX_SPAN_DAYS} days long")
    after = None
    if cursor is not None:
        try:
            after = apiquery.decode_cursor(cursor)
        except ValueError:
            raise bad_parameter("cursor", "not a cursor from this API; copy the 'next' URL "
                                "of the previous page") from None
    since = None
    if updated_since is not None:
        if updated_since.tzinfo is None:
            raise bad_parameter("updated_since", "give the instant with its offset or Z, "
                                "e.g. 2024-08-01T00:00:00Z")
        _day("updated_since", updated_since.date())
        since = updated_since.astimezone(UTC)
    return apiquery.EventQuery(
        view=view, start=first, end=last, text=apiquery.fold_text(q or ""),
        statuses=_statuses(request), limit=limit, after=after, lang=lang,
        updated_since=since)



def _view(request: Request, snapshot: Snapshot, feed: str) -> Filter:
    try:
        return view_from_query(request, snapshot, feed)
    except HttpProblem as problem:
        if problem.parameter is None and problem.status == 404:
            raise HttpProblem(404, f"Query parameter 'feed': {problem.detail}", parameter="feed",
                          invalid_params=[{"name": "feed", "reason": problem.detail}]) from None
        raise


def _statuses(request: Request) -> tuple[str, ...]:
    values = {v.strip() for raw in request.query_params.getlist("status")
              for v in raw.split(",") if v.strip()}
    for value in values:
        if value not in STATUSES:
            raise bad_parameter("status", f"'{value}' is not a status; use one of "
                                f"{', '.join(STATUSES)}")
    return tuple(sorted(values))


def _day(name: str, value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise bad_parameter(name, f"{value} is outside {EARLIEST}–{LATEST}")
    return value


def _instant(name: str, text: str, tz_name: str) -> datetime:
    """FullCalendar's start/end: '2024-07-29', '2024-07-29T00:00:00', or with an offset.
    A '+' typed into a URL arrives as a space, so read it back."""
    cleaned = text.strip().replace(" ", "+")
    try:
        if len(cleaned) == 10:
            when = local_midnight(_day(name, date.fromisoformat(cleaned)), tz_name)
        else:
            parsed = datetime.fromisoformat(cleaned)
            _day(name, parsed.date())
            when = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone(tz_name))
    except ValueError:
        raise bad_parameter(name, f"'{text}' is not a date (2024-07-29) or an ISO 8601 "
                            "date-time (2024-07-29T00:00:00+02:00)") from None
    return when.astimezone(UTC)


def _json(document: Any, state: ServedState) -> Rendered:
    # Deadlines' days_left change at midnight.
    return render_result(jsonapi.dumps(document), JSON, day_last_modified(state))
