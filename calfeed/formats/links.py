"""Links into other people's calendars: subscribe to a feed, or add one entry.

Outlook and Google cannot be fetched from here, so tests parse these URLs instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from ..model import Entry


@dataclass(frozen=True, slots=True)
class SubscribeLinks:
    https: str
    webcal: str
    outlook_office: str  # Microsoft 365 / work accounts
    outlook_live: str  # Outlook.com / personal accounts
    google: str  # the one-click ?cid= link; unreliable, so pages also explain "From URL"


def subscribe_links(ics_url: str, name: str) -> SubscribeLinks:
    webcal = "webcal://" + ics_url.split("://", 1)[1]
    query = urlencode({"url": ics_url, "name": name})
    return SubscribeLinks(
        https=ics_url,
        webcal=webcal,
        outlook_office=f"https://outlook.office.com/calendar/addfromweb?{query}",
        outlook_live=f"https://outlook.live.com/calendar/addfromweb?{query}",
        google="https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}),
    )


def google_template(entry: Entry, title: str, details: str) -> str:
    """Google Calendar's "add event" form, pre-filled."""
    if isinstance(entry.start, datetime):
        assert isinstance(entry.end, datetime)
        dates = f"{_utc(entry.start)}/{_utc(entry.end)}"
    else:
        assert not isinstance(entry.end, datetime)
        dates = f"{entry.start:%Y%m%d}/{entry.end + timedelta(days=1):%Y%m%d}"
    params = {"action": "TEMPLATE", "text": title, "dates": dates, "details": details,
              "ctz": entry.timezone}
    if entry.location or entry.online_url:
        params["location"] = entry.location or entry.online_url or ""
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def outlook_compose(entry: Entry, title: str, details: str, *, live: bool = False) -> str:
    """Outlook on the web's "new event" form, pre-filled."""
    host = "outlook.live.com" if live else "outlook.office.com"
    params = {"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
              "body": details}
    if isinstance(entry.start, datetime):
        assert isinstance(entry.end, datetime)
        params["startdt"] = entry.start.isoformat()
        params["enddt"] = entry.end.isoformat()
    else:
        assert not isinstance(entry.end, datetime)
        params["startdt"] = entry.start.isoformat()
        params["enddt"] = (entry.end + timedelta(days=1)).isoformat()
        params["allday"] = "true"
    if entry.location or entry.online_url:
        params["location"] = entry.location or entry.online_url or ""
    return f"https://{host}/calendar/deeplink/compose?" + urlencode(params)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
