"""The Norwegian date reader: each form newsletters and ministries write, in running text."""

from __future__ import annotations

from datetime import date, time

import pytest

from calfeed.nbdates import find_dates, find_deadline, guess_year


def _one(text: str, **kwargs: object) -> tuple[date, date, str, str]:
    found = find_dates(text, **kwargs)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0].start, found[0].end, found[0].precision, found[0].kind


@pytest.mark.parametrize(("text", "start", "end"), [
    ("RVTS Øst arrangerer 21.–22. august digitalt kurs", date(2024, 8, 21), date(2024, 8, 22)),
    ("KOM deltok på konferansen 15.-16. april i Wien", date(2024, 4, 15), date(2024, 4, 16)),
    ("Samlingen går 30. april–2. mai i Tromsø", date(2024, 4, 30), date(2024, 5, 2)),
])
def test_day_ranges_are_first_and_last_day(text: str, start: date, end: date) -> None:
    assert _one(text, year=2024) == (start, end, "day", "date")


def test_a_written_year_wins_over_the_given_one() -> None:
    assert _one("Seminar 16. september 2024 i Bergen", year=2023)[:2] == (
        date(2024, 9, 16), date(2024, 9, 16))


def test_a_weekday_picks_the_year_it_fits() -> None:
    found = find_dates("NSPM arrangerer fredag 18. oktober nasjonal konferanse", year=2023)
    assert [(f.start, f.year_given) for f in found] == [(date(2024, 10, 18), False)]
    assert "weekday" in found[0].notes[0]


@pytest.mark.parametrize(("text", "day"), [
    ("Webinaret holdes 18.10.2024 på Teams", date(2024, 10, 18)),
    ("Møtet 13.10.23 er flyttet", date(2023, 10, 13)),
    ("Rapport om saken (TOSL-2023-99538, 2024-01-17)", date(2024, 1, 17)),
])
def test_numeric_dates(text: str, day: date) -> None:
    assert _one(text) == (day, day, "day", "date")


def test_a_time_of_day_and_its_end() -> None:
    (found,) = find_dates("Frokostmøte 1. juni kl. 10.00–11.30 i Oslo", year=2024)
    assert (found.start, found.start_time, found.end_time) == (
        date(2024, 6, 1), time(10, 0), time(11, 30))


def test_a_time_is_not_read_as_a_date() -> None:
    assert [f.start for f in find_dates("Frokostmøte kl. 10.00 den 1.6.2024")] == [
        date(2024, 6, 1)]


def test_a_month_without_a_day() -> None:
    (found,) = find_dates("Fafo arrangerte i juni webinaret", year=2024)
    assert (found.start, found.end, found.precision) == (
        date(2024, 6, 1), date(2024, 6, 30), "month")
    assert "only the month is known" in found.notes


def test_a_week_number() -> None:
    (found,) = find_dates("Kurset går i uke 38", year=2024)
    assert (found.start, found.end, found.precision) == (
        date(2024, 9, 16), date(2024, 9, 22), "week")


@pytest.mark.parametrize(("text", "day"), [
    ("Høringsfrist er 16. september.", date(2024, 9, 16)),
    ("høringsfrist 16. september", date(2024, 9, 16)),
    ("Høringsfrist: 16. september 2024", date(2024, 9, 16)),
    ("Frist for å svare er 1.10.2024", date(2024, 10, 1)),
    ("Høringsfristen er satt til 13.10.23.", date(2023, 10, 13)),
])
def test_deadline_phrases(text: str, day: date) -> None:
    assert _one(text, year=2024) == (day, day, "day", "deadline")


def test_registration_deadline() -> None:
    assert _one("Påmeldingsfrist 1. august.", year=2024)[3] == "registration"
    assert _one("Frist for påmelding er 3. juni 2024", year=2024)[3] == "registration"


def test_words_that_merely_begin_like_a_month_are_not_dates() -> None:
    assert find_dates("Vi møttes 5. markedet og i mart", year=2024) == []


def test_the_year_comes_from_the_text_when_not_given() -> None:
    text = "Nyhetsbrev april - juni 2024\nMøte 5. april.\nHøringsfrist: 16. september 2024"
    assert guess_year(text) == 2024
    assert [f.start for f in find_dates(text)] == [date(2024, 4, 5), date(2024, 9, 16)]


def test_without_any_year_a_yearless_date_is_left_out() -> None:
    assert find_dates("Møte 5. april") == []


class TestFindDeadline:
    def test_year_from_the_publication_date(self) -> None:
        text = "JD sendte 11. juni på høring forslaget. Høringsfrist er 15. august."
        assert find_deadline(text, published=date(2024, 6, 11)) == date(2024, 8, 15)

    def test_a_deadline_before_publication_is_next_year(self) -> None:
        assert find_deadline("Høringsfrist 15. mars", published=date(2024, 6, 11)) == date(
            2025, 3, 15)

    def test_written_year_without_publication_date(self) -> None:
        text = "Sendt på høring 14. juni 2024. Høringsfrist: 16. september 2024"
        assert find_deadline(text, published=None) == date(2024, 9, 16)

    def test_no_deadline_phrase_is_none(self) -> None:
        assert find_deadline("Konferanse 16. september 2024", published=date(2024, 6, 1)) is None
        assert find_deadline("Høringsfrist 15. mars", published=None) is None

    def test_registration_is_not_a_consultation_deadline(self) -> None:
        assert find_deadline("Påmeldingsfrist 1. august 2024", published=None) is None
