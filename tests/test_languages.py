"""Entry text per language: `title: {nb: …, en: …}` (also description, location, and the
titles and descriptions of the calendar and its feeds), checked against the calendar's
languages, stored, and read back in any language with the untranslated fields named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from calfeed.errors import SourceError
from calfeed.languages import calendar_in, feed_in, localize
from calfeed.model import Entry
from calfeed.source import load_source, parse_source
from calfeed.store import load_snapshot, sync
from tests.conftest import DATA, NOW, SHIPPED

TWO = DATA / "two_languages.yaml"


def _entry(entry_id: str) -> Entry:
    return next(e for e in load_source(TWO).source.entries if e.id == entry_id)


def test_the_calendar_language_text_is_the_entry_and_others_fall_back_to_it() -> None:
    entry = _entry("cbss-mote-2024")
    assert entry.title == "Møte i Østersjørådets arbeidsgruppe"
    shown = localize(entry, "en", "nb")
    assert (shown.entry.title, shown.entry.location) == ("Meeting of the CBSS task force",
                                                         "Online")
    assert shown.fallback == ()
    assert shown.entry.start == entry.start and shown.entry.id == entry.id

    partly = localize(_entry("unodc-webinar-2024"), "en", "nb")
    assert partly.entry.title == "UNODC webinar on human trafficking"
    assert partly.entry.location == "Wien"  # not translated: the calendar's text …
    assert partly.fallback == ("location",)  # … and outputs can say it is Norwegian
    assert partly.language_of("location") == "nb" and partly.language_of("title") == "en"

    norwegian = localize(_entry("kurs-bare-norsk-2024"), "en", "nb")
    assert norwegian.entry.title == "Kurs på norsk"
    assert norwegian.fallback == ("title", "location")


def test_asking_for_the_calendars_own_language_changes_nothing() -> None:
    entry = _entry("cbss-mote-2024")
    assert localize(entry, "nb", "nb").entry is entry


def test_calendar_and_feed_titles_per_language() -> None:
    source = load_source(TWO).source
    calendar, fallback = calendar_in(source.calendar, "en")
    assert (calendar.title, calendar.description, fallback) == (
        "Calendar for partners", "Courses and consultation deadlines", ())
    assert feed_in(source.feeds["frister"], "en", "nb")[0].title == "Consultation deadlines"
    assert feed_in(source.feeds["moter"], "en", "nb") == (source.feeds["moter"], ("title",))


def test_plain_text_entries_keep_their_content_and_hash() -> None:
    # An entry without translations has exactly the content it had before languages existed,
    # so upgrading does not bump its SEQUENCE.
    content = _entry("kurs-bare-norsk-2024").content()
    assert "translations" not in content
    assert Entry.from_content(content) == _entry("kurs-bare-norsk-2024")
    translated = _entry("cbss-mote-2024")
    assert Entry.from_content(translated.content()) == translated


def test_mistakes_in_text_per_language_are_reported_where_they_are() -> None:
    with pytest.raises(SourceError) as caught:
        parse_source((DATA / "invalid" / "languages.yaml").read_text(encoding="utf-8"))
    assert [str(p) for p in caught.value.problems] == [
        "events.yaml:2:25: 'de' is not a language of this calendar (en, nb); declare it in "
        "'calendar: languages:', or correct it",
        "events.yaml:5:23: language 'en' is listed twice; keep one",
        "events.yaml:10:12: title: no 'nb' text (the calendar's language, which the others "
        "fall back to); add 'nb: …'",
        "events.yaml:14:12: title: the 'en' text is empty; write some text or remove the key",
        "events.yaml:18:12: 'english' is not a language code; write e.g. '{nb: …, en: …}'",
    ]


def test_a_language_outside_the_declared_ones_is_an_error() -> None:
    text = (DATA / "two_languages.yaml").read_text(encoding="utf-8").replace(
        "  language: nb\n", "  language: nb\n  languages: [nb]\n")
    with pytest.raises(SourceError) as caught:
        parse_source(text)
    messages = {p.message for p in caught.value.problems}
    assert "'en' is not a language of this calendar (nb); declare it in 'calendar: " \
           "languages:', or correct it" in messages
    text = text.replace("languages: [nb]", "languages: [en]")
    with pytest.raises(SourceError) as caught:
        parse_source(text)
    assert caught.value.problems[0].message == (
        "the calendar's language 'nb' must be one of its languages; write "
        "'languages: [nb, en]'")


def test_an_entry_translated_in_part_is_a_warning_not_an_error() -> None:
    loaded = load_source(TWO)
    assert [str(w) for w in loaded.warnings] == [
        f"{TWO}:35:15: warning: location: no 'en' text, though other fields of this entry "
        "have one; write 'location: {nb: …, en: …}', or en readers see the nb text",
    ]


def test_the_shipped_data_has_english_titles_for_its_international_entries() -> None:
    loaded = load_source(SHIPPED)
    assert loaded.warnings == ()
    english = {e.id: localize(e, "en", "nb") for e in loaded.source.entries
               if "internasjonalt" in e.tags or "nordisk" in e.tags}
    assert len(english) >= 8
    assert {i: s.fallback for i, s in english.items() if s.fallback} == {}
    assert english["cbss-tf-thb-mote-2024-05"].entry.title.startswith("Meeting of the CBSS")
    assert english["osse-alliance-against-trafficking-konferanse-2024"].entry.location == \
        "Vienna"


def test_translations_survive_the_database(engine: Engine, tmp_path: Path) -> None:
    source = load_source(TWO).source
    sync(engine, source, NOW)
    snapshot = load_snapshot(engine)
    assert snapshot is not None
    assert snapshot.calendar.translations == source.calendar.translations
    assert snapshot.feeds["all"].translations == source.calendar.translations
    assert snapshot.feeds["frister"].translations == source.feeds["frister"].translations
    stored = snapshot.entry("cbss-mote-2024")
    assert stored is not None and stored.entry == _entry("cbss-mote-2024")
    # A second sync of the same file changes nothing.
    assert not sync(engine, source, NOW).changed_anything
