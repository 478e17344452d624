"""The data a new user sees on first start: data/events.yaml holds what the seed newsletter
(KOM's newsletter for April–June 2024) says, checked against the newsletter's own text: the
passages that matter, copied verbatim into tests/data/seed_excerpts.txt (a clone has no
workspace beside it, and the tests depend on nothing outside the repository)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from calfeed.model import Entry, Source, occurrences
from calfeed.source import load_source
from tests.conftest import DATA, SHIPPED

SEED = DATA / "seed_excerpts.txt"
YEAR = 2024  # the newsletter covers April–June 2024; every date it gives is in 2024
MONTHS = {name: i for i, name in enumerate(
    ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
     "oktober", "november", "desember"], start=1)}
# The newsletter writes JD for the ministry that its pasted consultation paper names in full.
MINISTRY_NAMES = {"JD": "Justis- og beredskapsdepartementet"}


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def source() -> Source:
    loaded = load_source(SHIPPED)
    assert loaded.warnings == ()
    return loaded.source


def consultation_deadlines(seed: str) -> list[tuple[date, str]]:
    """(due date, issuing ministry) of every "Høringsfrist er 15. august." in the newsletter,
    the ministry taken from the nearest "<ministry> sendte … på høring" above it."""
    found = []
    lines = seed.splitlines()
    for i, line in enumerate(lines):
        due = re.fullmatch(r"Høringsfrist er (\d{1,2})\. (\w+)\.", line.strip())
        if not due:
            continue
        sender = next(m.group(1) for above in reversed(lines[:i])
                      if (m := re.match(r"(.+?) sendte .*på høring", above)))
        day = date(YEAR, MONTHS[due.group(2)], int(due.group(1)))
        found.append((day, MINISTRY_NAMES.get(sender, sender)))
    return found


def test_the_seed_has_the_four_consultations_we_expect(seed: str) -> None:
    # Guards the parser above: if it found nothing, the next test would prove nothing.
    assert consultation_deadlines(seed) == [
        (date(2024, 7, 2), "Barne- og familiedepartementet"),
        (date(2024, 8, 15), "Justis- og beredskapsdepartementet"),
        (date(2024, 9, 16), "Barne- og familiedepartementet"),
        (date(2024, 10, 28), "Arbeids- og inkluderingsdepartementet"),
    ]


def test_every_consultation_deadline_is_shipped_with_its_ministry(
    seed: str, source: Source
) -> None:
    deadlines = sorted((e.due, e.organizer) for e in source.entries if e.is_deadline)
    assert deadlines == consultation_deadlines(seed)


def upcoming_event_dates(seed: str) -> set[tuple[date, date]]:
    """Every "21.-22. august" or "1. november" in the "Kommende arrangementer" sections."""
    spans = set()
    for section in re.split(r"^# ", seed, flags=re.MULTILINE):
        if not section.startswith("Verdt å merke seg - Kommende arrangementer"):
            continue
        for first, last, month in re.findall(
                r"\b(\d{1,2})\.(?:-(\d{1,2})\.)? (august|september|oktober|november)", section):
            m = MONTHS[month]
            spans.add((date(YEAR, m, int(first)), date(YEAR, m, int(last or first))))
    return spans


def test_every_upcoming_event_is_shipped(seed: str, source: Source) -> None:
    spans = upcoming_event_dates(seed)
    assert len(spans) == 6  # the parser found them all
    shipped = {(e.start, e.end) for e in source.entries if not e.is_deadline}
    assert spans <= shipped


def test_the_swedish_national_conference_is_shipped(seed: str, source: Source) -> None:
    assert "NSPM arrangerer 18. oktober nasjonal konferanse om menneskehandel" in seed
    (nspm,) = [e for e in source.entries if e.organizer and "NSPM" in e.organizer]
    assert (nspm.type, nspm.start, nspm.end) == ("conference", date(2024, 10, 18),
                                                 date(2024, 10, 18))


def test_the_meetings_kom_took_part_in_are_in_the_quarter(source: Source) -> None:
    taken_part = [e for e in source.entries if "kom-deltakelse" in e.tags]
    assert len(taken_part) >= 10
    for entry in taken_part:
        assert isinstance(entry.start, date)
        assert date(2024, 4, 1) <= entry.start <= date(2024, 6, 30), entry.id


def in_2025(entry: Entry) -> list[date]:
    occs = occurrences(entry, datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    return [o.start for o in occs]  # type: ignore[misc]


def test_the_court_decisions_overview_repeats_each_tertial(seed: str, source: Source) -> None:
    assert "Oversikten oppdateres tertialvis. Neste oppdatering per 31. august 2024." in seed
    overview = [e for e in source.entries if e.repeat and "rettsavgjørelser" in e.title]
    assert len(overview) == 1
    assert in_2025(overview[0]) == [date(2025, 4, 30), date(2025, 8, 31), date(2025, 12, 31)]


def test_the_newsletter_repeats_four_times_a_year(seed: str, source: Source) -> None:
    assert "nyhetsbrev** til våre samarbeidsaktører fire ganger i året" in seed
    newsletter = [e for e in source.entries if e.repeat and "Nyhetsbrev" in e.title]
    assert len(newsletter) == 1
    assert len(in_2025(newsletter[0])) == 4
    assert newsletter[0].status == "tentative"  # the newsletter gives no publication day


def test_no_link_other_than_the_seeds_own(seed: str, source: Source) -> None:
    real = {u.rstrip("/") for u in re.findall(r"https?://[^\s)\]\"]+", seed)}
    assert real == {"https://politiet.no/menneskehandel", "https://nspm.jamstalldhetsmyndigheten.se"}
    links = {link.rstrip("/") for e in source.entries for link in (e.url, e.online_url) if link}
    assert links <= real
    # The site's own address is a placeholder the operator replaces, not a real site.
    assert source.calendar.base_url == "https://kalender.example.no"


def test_named_feeds_for_deadlines_and_events(source: Source) -> None:
    assert source.feeds["frister"].types == ("deadline",)
    events = source.feeds["arrangementer"]
    assert "deadline" not in events.types and "course" in events.types
