"""Which language a request asks for: ``?lang=`` on every feed, API and page URL, and for
pages without it the browser's ``Accept-Language`` (RFC 9110 §12.5.4)."""

from __future__ import annotations

from starlette.requests import Request

from ..model import CalendarInfo
from .problems import bad_parameter
from .state import ServedState


def asked(request: Request, calendar: CalendarInfo) -> str | None:
    """``?lang=``, checked against the calendar's languages; None when not given. A value
    the calendar does not offer is a 400 naming ``lang``."""
    values = request.query_params.getlist("lang")
    if not values:
        return None
    offered = calendar.offered
    if len(values) > 1:
        raise bad_parameter("lang", "give one language")
    if values[0] not in offered:
        shown = values[0] if len(values[0]) <= 20 else values[0][:20] + "…"
        raise bad_parameter("lang", f"'{shown}' is not a language of this calendar; use one "
                            f"of {', '.join(offered)}")
    return values[0]


def in_asked_language(request: Request, state: ServedState) -> ServedState:
    """The state in the language ``?lang=`` asks for (feeds and the API)."""
    language = asked(request, state.snapshot.calendar)
    return state if language is None else state.in_language(language)


def for_page(request: Request, state: ServedState) -> tuple[ServedState, tuple[str, ...]]:
    """A page's state: ``?lang=`` (kept in the page's links), else the language the browser
    prefers among the calendar's, else the calendar's own; and the ``Vary`` the response
    needs (``Accept-Language`` when the answer depended on it)."""
    calendar = state.snapshot.calendar
    language = asked(request, calendar)
    if language is not None:
        return state.in_language(language, pinned=True), ()
    preferred = negotiate(request.headers.get("accept-language"), calendar.offered)
    return state.in_language(preferred or calendar.language), ("Accept-Language",)


def negotiate(header: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered language the header weighs most (first offered wins a tie); None when it
    names none of them. ``no`` and ``nn`` count for ``nb`` when ``nb`` is offered and they
    are not (a Norwegian reader reads bokmål), and ``en-GB`` counts for ``en``."""
    if not header:
        return None
    best: tuple[float, int] | None = None
    chosen = None
    for part in header.split(",")[:32]:  # a client sends a few; a long list is not worth more
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight <= 0:
            continue
        language = _match(tag.lower(), offered)
        if language is None:
            continue
        rank = (weight, -offered.index(language))
        if best is None or rank > best:
            best, chosen = rank, language
    return chosen


def _match(tag: str, offered: tuple[str, ...]) -> str | None:
    if tag in offered:
        return tag
    primary = tag.split("-", 1)[0]
    if primary in offered:
        return primary
    if primary in ("no", "nn", "nb") and "nb" in offered:
        return "nb"
    return None
