"""`calfeed digest`: the newsletter's "Kommende arrangementer" and "Høringsfrister" for a
period, written from the source, in nb and en, as Markdown and as HTML for e-mail and Word."""

from __future__ import annotations

import os
from pathlib import Path

import lxml.html
import pytest

from calfeed.cli import main

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "events.yaml"
DATA = ROOT / "tests" / "data"
GOLDEN = Path(__file__).parent / "golden"


def _digest(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["digest", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_third_quarter_2024(capsys: pytest.CaptureFixture[str], lang: str,
                                   fmt: str) -> None:
    """The shipped data for July–September 2024, for review in a diff.
    CALFEED_UPDATE_GOLDEN=1 rewrites the files."""
    out = _digest(capsys, "--from", "2024-07-01", "--to", "2024-09-30", "--format", fmt,
                  "--lang", lang, str(SHIPPED))
    path = GOLDEN / f"digest_2024q3_{lang}.{fmt}"
    if os.environ.get("CALFEED_UPDATE_GOLDEN") == "1":
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with CALFEED_UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8")


def test_reads_like_the_newsletter(capsys: pytest.CaptureFixture[str]) -> None:
    out = _digest(capsys, "--from", "2024-08-01", "--to", "2024-09-30", str(SHIPPED))
    events, deadlines = out.split("## Høringsfrister")
    assert events.startswith("## Kommende arrangementer\n\n### August 2024\n")
    assert ("- **21.–22. august**: Digitalt kurs «Ungdom utnyttet til kriminalitet» (kurs). "
            "Sted: Digitalt. Arrangør: RVTS Øst.") in events
    assert "### September 2024" in events and "17.–18. september" in events
    assert ("- **16. september**: Forslag til endringer i krisesenterloven. "
            "Avsender: Barne- og familiedepartementet.") in deadlines
    # the window is the period asked for: 2 July is before it, 28 October after it
    assert "2. juli" not in out and "28. oktober" not in out


def test_the_calendars_language_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    out = _digest(capsys, "--from", "2024-09-01", "--to", "2024-09-30",
                  str(DATA / "english_mixed_kinds.yaml"))
    assert out.startswith("## Upcoming events\n")


def test_html_is_plain_semantic_and_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    out = _digest(capsys, "--from", "2024-09-01", "--to", "2024-09-30", "--format", "html",
                  str(DATA / "markup_in_text.yaml"))
    doc = lxml.html.document_fromstring(out)
    assert doc.xpath("//script | //img | //style | //@style | //@class | //@onerror") == []
    items = [li.text_content() for li in doc.xpath("//li")]
    assert any('<script>alert("tittel")</script> Seminar om A & B' in t for t in items)
    assert any('Høring om "§ 1-2" & <forskrift>' in t for t in items)
    assert {a.get("href") for a in doc.xpath("//a")} == {"https://example.no/seminar?a=1&b=2"}
    assert [h.text for h in doc.xpath("//h2")] == ["Kommende arrangementer", "Høringsfrister"]


def test_markdown_shows_markup_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    out = _digest(capsys, "--from", "2024-09-01", "--to", "2024-09-30",
                  str(DATA / "markup_in_text.yaml"))
    assert r'\<script\>alert("tittel")\</script\> Seminar om A & B' in out


def test_an_empty_period_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    out = _digest(capsys, "--from", "2030-01-01", "--to", "2030-01-31", "--lang", "en",
                  str(DATA / "markup_in_text.yaml"))
    assert out == ("## Upcoming events\n\nNo events in this period.\n\n"
                   "## Consultation deadlines\n\nNo consultation deadlines in this period.\n")


def test_bad_period_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "--from", "2024-09-30", "--to", "2024-07-01", str(SHIPPED)]) == 2
    assert "--to 2024-07-01 is before --from 2024-09-30" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["digest", "--from", "30.09.2024", "--to", "2024-10-01"])
    assert exc.value.code == 2


def test_month_only_entries_and_registration_deadlines(
        capsys: pytest.CaptureFixture[str]) -> None:
    out = _digest(capsys, "--from", "2025-08-01", "--to", "2025-11-30",
                  str(DATA / "editors.yaml"))
    events, deadlines = out.split("## Høringsfrister")
    # the registration deadline is told with its course, not as a consultation deadline
    assert ("- **21.–22. august**: Digitalt kurs «Barn som utnyttes» (kurs). Arrangør: "
            "Regionsenteret Nord. Påmeldingsfrist: 1. august.") in events
    assert "Påmeldingsfrist" not in deadlines
    assert "- **november, dato kommer**: Webinar «Digitale spor» (webinar)." in events
    assert ("- **september, dato kommer**: Forslag til ny lov om krisesentre. "
            "Avsender: Justisdepartementet.") in deadlines
