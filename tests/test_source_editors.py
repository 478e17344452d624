"""The editors' additions to the source: a tag vocabulary, months without a day, registration
deadlines, and warnings about mistakes that are not errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from calfeed.errors import SourceError
from calfeed.model import Entry, Source
from calfeed.source import load_source
from tests.conftest import DATA


@pytest.fixture(scope="module")
def source() -> Source:
    loaded = load_source(DATA / "editors.yaml")
    assert loaded.warnings == ()
    return loaded.source


def _entry(source: Source, entry_id: str) -> Entry:
    (entry,) = [e for e in source.entries if e.id == entry_id]
    return entry


def test_tag_labels_in_both_languages(source: Source) -> None:
    cal = source.calendar
    assert cal.tag_label("menneskehandel") == "Menneskehandel"
    assert cal.tag_label("menneskehandel", "en") == "Human trafficking"
    assert cal.tag_label("horing", "en") == "Høring"  # no en label: the nb one
    assert cal.tag_label("not-declared") == "not-declared"


def test_a_month_without_a_day(source: Source) -> None:
    webinar = _entry(source, "webinar-digitale-spor")
    assert (webinar.start, webinar.end, webinar.precision) == (
        date(2025, 11, 1), date(2025, 11, 30), "month")
    deadline = _entry(source, "horing-krisesentre")
    assert (deadline.due, deadline.precision) == (date(2025, 9, 1), "month")
    assert _entry(source, "kurs-barn-som-utnyttes").precision == "day"


def test_registration_is_a_deadline_of_its_own(source: Source) -> None:
    ids = [e.id for e in source.entries]
    # right after its event, so the file's order still reads as the editor wrote it
    assert ids.index("kurs-barn-som-utnyttes-registration") == (
        ids.index("kurs-barn-som-utnyttes") + 1)
    registration = _entry(source, "kurs-barn-som-utnyttes-registration")
    assert registration.is_deadline
    assert registration.title == "Påmeldingsfrist: Digitalt kurs «Barn som utnyttes»"
    assert (registration.due, registration.url, registration.organizer, registration.tags) == (
        date(2025, 8, 1), "https://example.org/kurs/pamelding", "Regionsenteret Nord",
        ("ungdom", "menneskehandel"))
    assert registration.registration_for == "kurs-barn-som-utnyttes"
    # in the calendar's other language too, with that language's prefix
    assert registration.translations == (
        ("en", "title", "Registration deadline: Online course “Exploited children”"),)
    # deadline feeds take it like any deadline
    assert source.feeds["frister"].matches(registration)


def test_the_derived_entry_round_trips_through_the_store_content(source: Source) -> None:
    for entry in source.entries:
        assert Entry.from_content(entry.content()) == entry
    # an ordinary entry's stored content has no new keys, so its hash did not change
    assert "precision" not in _entry(source, "kurs-barn-som-utnyttes").content()


def test_mistakes_in_the_new_keys() -> None:
    with pytest.raises(SourceError) as exc:
        load_source(DATA / "invalid" / "editors_mistakes.yaml")
    assert [f"{p.line}:{p.column}: {p.message}" for p in exc.value.problems] == [
        "6:3: tag 'ungdom' needs a label: write 'ungdom: {nb: …, en: …}'",
        "11:12: unknown tag 'horing'; declare it under 'tags:' (declared: menneskehandel)",
        "17:5: an entry with only a month (2025-08) has no 'end'; give the day when it is "
        "known, then add 'end' or 'repeat'",
        "18:12: unknown tag 'menneskhandel' — did you mean 'menneskehandel'? Or declare it "
        "under 'tags:'",
        "23:5: an entry with only a month (2025-09) has no 'repeat'; give the day when it is "
        "known, then add 'end' or 'repeat'",
        "28:5: only events have 'registration'; a deadline is its own deadline",
        "33:5: id 'webinar-registration' is taken by another entry (line 34); the "
        "registration deadline of 'webinar' needs it",
    ]


def test_without_a_vocabulary_any_tag_goes(source: Source) -> None:
    loaded = load_source(DATA / "sync_base.yaml")
    assert loaded.source.calendar.tag_labels == ()
    assert any(e.tags for e in loaded.source.entries)


def test_warnings_point_at_the_mistake_and_block_nothing() -> None:
    loaded = load_source(DATA / "warnings.yaml")
    assert len(loaded.source.entries) == 3
    assert [f"{p.line}:{p.column}: {p.severity}: {p.message}" for p in loaded.warnings] == [
        "6:3: warning: feed 'frister' selects no entry (it takes type deadline with tag "
        "horingsfrist); check its types: and tags: for a typo",
        "19:11: warning: 'mote-kompetansegruppen' is in no named feed, though feed 'moter' "
        "takes type 'meeting'; add one of its tags (kom-deltakelse) if it belongs there",
        "22:12: warning: 'mote-kompetansegruppen-kopi' has the same title and day as "
        "'mote-kompetansegruppen' (line 15); remove one, or tell them apart in the title",
        "25:5: warning: 'horing-barnevern' is in no named feed, though feed 'frister' takes "
        "type 'deadline'; add one of its tags (horingsfrist) if it belongs there",
    ]


def test_a_registration_after_the_start_is_a_warning(tmp_path: Path) -> None:
    text = (DATA / "editors.yaml").read_text(encoding="utf-8").replace(
        "due: 2025-08-01", "due: 2025-08-25")
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    (warning,) = load_source(path).warnings
    assert (warning.line, warning.message) == (
        29, "the registration deadline (2025-08-25) is after the start (2025-08-21); check "
        "'registration: due'")
