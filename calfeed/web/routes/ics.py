"""iCalendar: /calendar.ics (any ?type=/?tag= filter is a subscription), /feeds/{name}.ics,
and /events/{id}.ics (one entry, as a download)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from ...formats import ics, labels, urls
from ...formats.alarms import AlarmError, Alarms, WithAlarms, parse_alarms
from ...formats.pieces import Pieces
from ...formats.select import select
from ...languages import is_view
from ..filters import view_from_query
from ..http import Rendered, render_result
from ..language import in_asked_language
from ..problems import HttpProblem, bad_parameter
from ..serving import day_last_modified, serve_cached, served
from ..state import ServedState

router = APIRouter(tags=["iCalendar"])


@router.api_route("/calendar.ics", methods=["GET", "HEAD"], response_class=Response)
async def calendar_ics(request: Request) -> Response:
    """Every entry as an iCalendar subscription; repeat `type` and `tag` to filter."""
    return await _feed(request, "all")


@router.api_route("/feeds/{name}.ics", methods=["GET", "HEAD"], response_class=Response)
async def feed_ics(request: Request, name: str) -> Response:
    """One named feed as an iCalendar subscription."""
    return await _feed(request, name)


@router.api_route("/events/{entry_id}.ics", methods=["GET", "HEAD"], response_class=Response)
async def event_ics(request: Request, entry_id: str) -> Response:
    """One entry as an .ics file to open or import once."""
    state = in_asked_language(request, await served(request))
    published = state.snapshot.entry(entry_id)
    if published is None:
        raise HttpProblem(404, f"No entry with id '{entry_id}'.")
    asked = alarms_from_query(request)

    def render(state: ServedState) -> Rendered:
        snapshot = state.snapshot
        title = labels.summary(published.entry, snapshot.calendar.language)
        # A month-only entry downloads as a calendar without it (it has no day to place).
        body = ics.render_calendar(snapshot, ics.with_days([published]), title, None, None,
                                   state.context, _pieces(state, asked))
        disposition = f'attachment; filename="{entry_id}.ics"'
        return render_result(body, ics.MEDIA_TYPE, snapshot.changed_at,
                             (("Content-Disposition", disposition),))

    return await serve_cached(request, state, ("ics-event", entry_id, asked), render)


async def _feed(request: Request, feed: str) -> Response:
    state = in_asked_language(request, await served(request))
    # 404 for an unknown feed, 400 for bad values
    view = view_from_query(request, state.snapshot, feed)
    asked = alarms_from_query(request)

    def render(state: ServedState) -> Rendered:
        snapshot, ctx = state.snapshot, state.context
        entries = ics.with_days(select(snapshot, view, ctx.today))
        in_lang = snapshot.calendar.language if is_view(snapshot.calendar) else None
        self_url = urls.subscription_url(ctx, view, "ics", asked.query if asked else "",
                                         in_lang)
        body = ics.render_calendar(snapshot, entries, urls.calendar_name(snapshot, view),
                                   urls.calendar_description(snapshot, view), self_url, ctx,
                                   _pieces(state, asked))
        filename = "calendar.ics" if feed == "all" else f"{feed}.ics"
        # Entries leave the feed at midnight: past the window of days, or (whatever the window)
        # cancelled ones once they have ended.
        return render_result(body, ics.MEDIA_TYPE, day_last_modified(state),
                             (("Content-Disposition", f'inline; filename="{filename}"'),))

    # view_from_query sorts and de-duplicates, so the key ignores the order of parameters.
    # The whole view: its sources too (a ?source= feed was served the unfiltered one's body).
    return await serve_cached(request, state, ("ics", view, asked),
                              render)


def alarms_from_query(request: Request) -> Alarms:
    """``?alarm=1d`` (2h, 1w; up to three, comma-separated): reminders the subscriber asked
    for; a 400 naming ``alarm`` for anything else."""
    try:
        return parse_alarms(request.query_params.getlist("alarm"))
    except AlarmError as error:
        raise bad_parameter("alarm", str(error)) from None


def _pieces(state: ServedState, asked: Alarms) -> Pieces:
    """The served pieces, with the alarms asked for spliced into their VEVENTs."""
    if not asked:
        return state.pieces
    return WithAlarms(state.pieces, state.snapshot.calendar, state.context, asked)

