"""`calfeed extract`: a newsletter of the project's own in, proposed entries out — one item
per date form the issue lists, each with its line, type, dates, place and organizer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from calfeed.cli import main
from calfeed.extract import Proposal, extract
from calfeed.source import load_source
from calfeed.textin import read_lines
from tests.support.documents import write_docx, write_pdf

NEWSLETTER = Path(__file__).parent / "data" / "newsletter" / "nyhetsbrev-hosten.md"


@pytest.fixture(scope="module")
def proposals() -> dict[str, Proposal]:
    found, year = extract(read_lines(NEWSLETTER))
    assert year == 2025  # from "16. september 2025" etc., not from --year
    return {p.title: p for p in found}


def _dates(p: Proposal) -> tuple[str, str, str]:
    return p.type, p.when.start.isoformat(), p.when.end.isoformat()


@pytest.mark.parametrize(("title", "expected", "line"), [
    # "21.–22. august": a range, last day inclusive
    ("Digitalt kurs «Barn som utnyttes»", ("course", "2025-08-21", "2025-08-22"), 11),
    # "fredag 17. oktober"
    ("Frokostwebinar «Tvang og kontroll»", ("webinar", "2025-10-17", "2025-10-17"), 17),
    # "16. september 2025"
    ("Konferanse om vold i nære relasjoner", ("conference", "2025-09-16", "2025-09-16"), 23),
    # "18.10.2025"
    ("Seminaret «Ny lov, nye plikter»", ("seminar", "2025-10-18", "2025-10-18"), 25),
    # "uke 38": Monday to Sunday
    ("Samlingen for koordinatorer er lagt til", ("meeting", "2025-09-15", "2025-09-21"), 27),
    # "i november": the month
    ("Webinaret «Digitale spor»", ("webinar", "2025-11-01", "2025-11-30"), 29),
    # "Høringsfrist: 16. september 2025"
    ("Forslag til ny lov om krisesentre", ("deadline", "2025-09-16", "2025-09-16"), 37),
    # "Frist for å svare er 1.10.2025"
    ("Endringer i barnevernsforskriften", ("deadline", "2025-10-01", "2025-10-01"), 43),
    # "Høringsfristen er satt til 13.10.25"
    ("Veileder om tolk i offentlig sektor", ("deadline", "2025-10-13", "2025-10-13"), 47),
])
def test_each_date_form_becomes_an_entry(proposals: dict[str, Proposal], title: str,
                                         expected: tuple[str, str, str], line: int) -> None:
    assert _dates(proposals[title]) == expected
    assert proposals[title].line == line


def test_a_time_of_day_makes_a_timed_entry(proposals: dict[str, Proposal]) -> None:
    meeting = proposals["Møte i Tromsø"]
    assert f"{meeting.when.start_time:%H:%M}-{meeting.when.end_time:%H:%M}" == "10:00-11:30"
    assert (meeting.organizer, meeting.location) == ("Fagnettverket", "Tromsø")


def test_place_and_organizer_where_the_text_says_them(proposals: dict[str, Proposal]) -> None:
    conference = proposals["Konferanse om vold i nære relasjoner"]
    assert (conference.organizer, conference.location) == (
        "Krisesenterforum", "Scandic Ishavshotel, Tromsø")
    # the organizer of "Flere arrangementer fra Regionsenteret Nord" comes from its heading
    assert proposals["Frokostwebinar «Tvang og kontroll»"].organizer == "Regionsenteret Nord"
    # a consultation's issuer is who "sendte … på høring"
    assert proposals["Endringer i barnevernsforskriften"].organizer == (
        "Barne- og familiedepartementet")


def test_what_is_not_an_item_is_not_proposed(proposals: dict[str, Proposal]) -> None:
    # "Stortinget behandlet 12. juni …", "sendte 30. juni på høring", "publiserte i mai …"
    assert len(proposals) == 11
    assert not any(p.when.start.month in (5, 6) for p in proposals.values())


def test_an_event_named_in_the_sentence_after_its_date(proposals: dict[str, Proposal]) -> None:
    # "Politiet publiserte i mars rapporten … Lanseringen av rapporten kan ses i opptak."
    (launch,) = [p for p in proposals.values() if p.when.start.month == 3]
    assert (launch.type, launch.when.precision, launch.line) == ("event", "month", 55)
    assert "the date is in the sentence before" in launch.unsure


def test_the_proposals_pass_check_once_pasted(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    assert main(["extract", str(NEWSLETTER)]) == 0
    proposed = capsys.readouterr().out
    header = ("calendar:\n  title: Fagnett\n  uid_domain: kalender.example.no\n"
              "  language: nb\n")
    path = tmp_path / "events.yaml"
    path.write_text(header + proposed, encoding="utf-8")
    loaded = load_source(path)
    # 11 proposals, and the course's "Påmeldingsfrist 1. august." as its registration deadline
    assert len(loaded.source.entries) == 12
    (registration,) = [e for e in loaded.source.entries if e.registration_for]
    assert (registration.id, str(registration.due)) == (
        "digitalt-kurs-barn-som-utnyttes-2025-registration", "2025-08-01")
    assert loaded.warnings == ()


def test_doubts_are_named(proposals: dict[str, Proposal]) -> None:
    assert "year not in the text; read as 2025" in proposals[
        "Digitalt kurs «Barn som utnyttes»"].unsure
    assert "only the month is known" in proposals["Webinaret «Digitale spor»"].unsure
    assert "no organizer in the text" in proposals["Seminaret «Ny lov, nye plikter»"].unsure


def test_the_same_item_twice_is_one_proposal() -> None:
    lines = ["Nyhetsbrev fra X", "", "KOM deltok på konferansen 15.-16. april i Wien.", "",
             "Konferansen ble avholdt i Wien 15.-16. april 2024."]
    (only,), _ = extract(lines)
    assert (only.line, only.also) == (3, (5,))


def test_year_option_is_used_when_the_text_has_none(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "kort.txt"
    path.write_text("Webinar «Arbeidsliv» 14. november.\n", encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    out, err = capsys.readouterr()
    assert yaml.safe_load(out) == {"entries": []}
    assert "--year" in err
    assert main(["extract", str(path), "--year", "2026"]) == 0
    entries: list[dict[str, Any]] = yaml.safe_load(capsys.readouterr().out)["entries"]
    assert [(e["type"], str(e["start"])) for e in entries] == [("webinar", "2026-11-14")]


def test_each_proposal_comments_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(NEWSLETTER)]) == 0
    out = capsys.readouterr().out
    assert "# nyhetsbrev-hosten.md, line 37: Høringsfrist: 16. september 2025" in out
    assert out.count("\n  - id: ") == 11


def test_docx_and_pdf_read_like_text(tmp_path: Path) -> None:
    lines = ["# Nyhetsbrev fra X", "Regionsenteret arrangerer 21.–22. august 2025 digitalt kurs "
             "«Barn som utnyttes».", "Høringsfrist: 16. september 2025"]
    for path in (write_docx(tmp_path / "brev.docx", lines),
                 write_pdf(tmp_path / "brev.pdf", lines)):
        found, _ = extract(read_lines(path))
        assert [_dates(p) for p in found] == [
            ("course", "2025-08-21", "2025-08-22"), ("deadline", "2025-09-16", "2025-09-16")]


def test_unreadable_files_are_one_clear_error(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFEED_LANGUAGE", "en")
    (tmp_path / "brev.pdf").write_bytes(b"not a pdf")
    (tmp_path / "brev.odt").write_bytes(b"")
    assert main(["extract", str(tmp_path / "brev.pdf")]) == 1
    assert main(["extract", str(tmp_path / "brev.odt")]) == 1
    assert main(["extract", str(tmp_path / "mangler.txt")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith("error: ") for line in err)
    assert "cannot read '.odt' files" in err[1] and "file not found" in err[2]
    monkeypatch.setenv("CALFEED_LANGUAGE", "nb")
    assert main(["extract", str(tmp_path / "mangler.txt")]) == 1
    assert capsys.readouterr().err == f"error: {tmp_path / 'mangler.txt'}: fant ikke filen\n"


REGISTRATIONS = [
    "Nyhetsbrev fra Fagnett", "",
    "## Kurs i traumebevisst omsorg", "",
    "Kurset holdes 20. august 2025 i Bergen. Påmeldingsfrist 1. august, "
    "[meld deg på her](https://skjema.example.no/kurs?id=7).", "",
    "## Nettverkssamling", "",
    "Påmeldingsfrist 15. september til samlingen 2. oktober 2025 i Bodø. "
    "Se [programmet](https://fagnett.example.no/program) og [her](#).", "",
    "## Fagdag", "",
    "Fagdag om barnehus 20. oktober 2025 i Oslo. Påmeldingsfrist i september.", "",
    "## Høringer", "",
    "Høringsfrist: 16. september 2025. Påmelding til innspillsmøtet kommer senere.",
]


def test_a_registration_deadline_goes_with_its_event() -> None:
    found, _ = extract(REGISTRATIONS)
    by_type = {(p.type, p.when.start.isoformat()): p for p in found}
    course = by_type[("course", "2025-08-20")]
    assert course.registration is not None
    assert course.registration.start.isoformat() == "2025-08-01"
    assert course.registration_url == "https://skjema.example.no/kurs?id=7"
    # before its event in the sentence, and the text's only web link is not for signing up
    meeting = by_type[("meeting", "2025-10-02")]
    assert meeting.registration is not None
    assert meeting.registration.start.isoformat() == "2025-09-15"
    assert meeting.registration_url == "https://fagnett.example.no/program"
    # a consultation deadline is never given one, and nothing else is proposed for them
    assert by_type[("deadline", "2025-09-16")].registration is None
    # a month only: the month's last day, and a doubt saying so
    day = by_type[("seminar", "2025-10-20")]
    assert day.registration is not None and day.registration.precision == "month"
    assert "only the month registration closes is known: its last day is written" in day.unsure
    assert len(found) == 4


def test_registration_deadlines_become_deadlines_once_pasted(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = tmp_path / "brev.md"
    text.write_text("\n".join(REGISTRATIONS) + "\n", encoding="utf-8")
    assert main(["extract", str(text)]) == 0
    proposed = capsys.readouterr().out
    assert "    registration:\n      due: 2025-08-01\n" \
           "      url: https://skjema.example.no/kurs?id=7\n" in proposed
    path = tmp_path / "events.yaml"
    path.write_text("calendar:\n  title: Fagnett\n  uid_domain: kalender.example.no\n"
                    "  language: nb\n" + proposed, encoding="utf-8")
    entries = {e.id: e for e in load_source(path).source.entries}
    derived = [e for e in entries.values() if e.id.endswith("-registration")]
    assert sorted((e.type, str(e.due)) for e in derived) == [
        ("deadline", "2025-08-01"), ("deadline", "2025-09-15"), ("deadline", "2025-09-30")]
