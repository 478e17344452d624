"""The data a new user sees on first start: data/events.yaml holds what the seed newsletter
(KOM's newsletter for April–June 2024) says, checked against the newsletter's own text: the
passages that matter, copied verbatim into tests/data/seed_excerpts.txt (a clone has no
workspace beside it, and the tests depend on nothing outside the repository)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from calfeed.model import Entry, Source
from calfeed.recurrence import occurrences
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


def test_the_newsletter_has_no_guessed_day(seed: str, source: Source) -> None:
    assert "nyhetsbrev** til våre samarbeidsaktører fire ganger i året" in seed
    assert "Estland overtok 1. juli formannskapet" in seed  # so it came out in July or later
    (newsletter,) = [e for e in source.entries if e.title.startswith("Nyhetsbrev")]
    assert (newsletter.type, newsletter.precision, newsletter.start) == (
        "publication", "month", date(2024, 7, 1))
    assert newsletter.repeat is None
    assert newsletter.status == "tentative"  # the month is inferred, and says so


def test_publications_are_publications_not_events(source: Source) -> None:
    publications = {e.id for e in source.entries if e.type == "publication"}
    assert publications == {"kom-rettsavgjorelser-oppdatering", "kom-nyhetsbrev",
                            "kom-tilstandsrapport-2023", "kom-veileder-identifisering-2024"}
    assert source.feeds["publikasjoner"].types == ("publication",)


def test_koms_annual_status_report_and_guide_update(seed: str, source: Source) -> None:
    assert "KOM publiserte i juni den årlige tilstandsrapporten" in seed
    assert "Veilederen oppdateres årlig og ligger nå ute som versjon for 2024." in seed
    report = next(e for e in source.entries if e.id == "kom-tilstandsrapport-2023")
    assert (report.start, report.precision) == (date(2024, 6, 1), "month")
    guide = next(e for e in source.entries if e.id == "kom-veileder-identifisering-2024")
    assert guide.status == "tentative" and guide.description is not None
    assert "Måneden er ikke oppgitt" in guide.description


def test_the_month_only_items_are_shipped(seed: str, source: Source) -> None:
    for words in ("Fafo arrangere i april webinaret", "arrangerte Fafo i juni webinaret",
                  "CBSS arrangerte i juni konferansen", "studiereise til London i mai",
                  "plattform for sivilt samfunn i juni i Brussel",
                  "Arrangementet for lansering av rapporten"):
        assert words in seed
    month_only = {(e.type, e.start.month) for e in source.entries  # type: ignore[union-attr]
                  if e.precision == "month" and e.type != "publication"}
    assert month_only == {("webinar", 4), ("webinar", 6), ("conference", 6), ("event", 5),
                          ("meeting", 6), ("event", 4)}


def test_istanbul_is_confirmed_only_its_programme_is_preliminary(seed: str,
                                                                 source: Source) -> None:
    assert "Foreløpig program for Istanbulkonferansen 1. november 2024." in seed
    istanbul = next(e for e in source.entries if e.id == "istanbulkonferansen-2024")
    assert istanbul.status == "confirmed"
    assert istanbul.description and "Programmet er foreløpig" in istanbul.description


def test_no_place_the_newsletter_does_not_name(seed: str, source: Source) -> None:
    # Helsinki is named for the joint workshop on 13 May only.
    assert "13. mai i Helsinki" in seed and "14. mai i Helsinki" not in seed
    places = {e.id: e.location for e in source.entries if e.id.startswith("cbss")}
    assert places["cbss-workshop-tf-thb-car-2024"] == "Helsinki"
    assert places["cbss-tf-thb-mote-2024-05"] is None
    assert places["cbss-konferanse-youth-criminality-2024"] is None


def test_the_consultation_with_two_dates_says_so(seed: str, source: Source) -> None:
    assert "Høringsfrist er 15. august." in seed
    assert "FORSLAG TIL LOV OM STATENS KOMMISSJON FOR PARTNERDRAP" in seed
    entry = next(e for e in source.entries if e.id == "horing-lov-kommisjon-partnerdrap-2024")
    assert entry.due == date(2024, 8, 15)
    assert entry.status == "tentative"  # shown as "Foreløpig" to subscribers
    assert entry.description and "16. september 2024" in entry.description


def test_every_tag_is_declared_with_both_labels(source: Source) -> None:
    declared = {slug for slug, _, _ in source.calendar.tag_labels}
    used = {tag for e in source.entries for tag in e.tags}
    assert used <= declared
    assert all(nb and en for _, nb, en in source.calendar.tag_labels)


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
