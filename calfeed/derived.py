"""Entries the source implies without writing them: an event's ``registration: {url, due}``
is also a deadline of its own ("Påmeldingsfrist: …", id ``<id>-registration``), so deadline
feeds, filters and every output list it like any other deadline. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from .model import Entry

REGISTRATION_SUFFIX = "-registration"
_PREFIX = {"nb": "Påmeldingsfrist: ", "en": "Registration deadline: "}


def registration_deadline(event: Entry, due: date | datetime, url: str | None,
                          language: str) -> Entry:
    """The deadline an event's registration gives: due when registration closes, answered at
    the registration page (else the event's page), with the event's organizer and tags; a
    cancelled event's registration is cancelled with it."""
    return replace(
        event,
        id=event.id + REGISTRATION_SUFFIX,
        type="deadline",
        title=_PREFIX.get(language, _PREFIX["en"]) + event.title,
        start=due,
        end=due,
        url=url or event.url,
        description=None,
        repeat=None,
        precision="day",
        registration_for=event.id,
        location=None,
        online_url=None,
        # the title in the other languages, with their own prefix; nothing else carries over
        translations=tuple((lang, name, _PREFIX.get(lang, _PREFIX["en"]) + text)
                           for lang, name, text in event.translations if name == "title"),
    )
