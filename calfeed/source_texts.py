"""Text per language in ``events.yaml``: the languages a calendar offers
(``calendar: languages:``), each field's text in them (``title: {nb: …, en: …}``), and the
warning for an entry translated in some fields but not others.

A part of the reader (``source.py``), placing its findings like the rest (``located.py``).
"""

from __future__ import annotations

from typing import Any

from . import schema
from .errors import Problem
from .languages import partly_translated
from .located import Located, Path_
from .model import DEFAULT_LANGUAGES, CalendarInfo, Entry, Texts


class LanguageTexts(Located):
    """Reads and checks text given per language against the calendar's languages."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        # The calendar's language and the languages it offers: text per language is checked
        # against them (pulled entries, read without a calendar, have plain text only).
        self.language = "nb"
        self.offered: tuple[str, ...] = DEFAULT_LANGUAGES

    def _languages(self, calendar: schema.CalendarIn) -> None:
        self.language = calendar.language
        if calendar.languages is None:
            self.offered = CalendarInfo("", "", language=calendar.language).offered
            return
        self.offered = tuple(dict.fromkeys(calendar.languages))
        if calendar.language not in self.offered:
            self.offered = (calendar.language, *self.offered)  # one mistake, one message
            self._at(("calendar", "languages"), f"the calendar's language "
                     f"'{calendar.language}' must be one of its languages; write "
                     f"'languages: [{', '.join(self.offered)}]'")
        for index, language in enumerate(calendar.languages):
            if language in calendar.languages[:index]:
                self._at(("calendar", "languages", index),
                         f"language '{language}' is listed twice; keep one")

    def _texts(self, parsed: Any, path: Path_, fields: tuple[str, ...]
               ) -> tuple[dict[str, str | None], Texts] | None:
        """Each field's text in the calendar's language, and the other languages' texts;
        None (after reporting) when a language is not the calendar's."""
        base: dict[str, str | None] = {}
        others: list[tuple[str, str, str]] = []
        ok = True
        for field in fields:
            value = getattr(parsed, field)
            if not isinstance(value, dict):
                base[field] = value
                continue
            base[field] = value.get(self.language)
            for language, text in value.items():
                if language not in self.offered:
                    self._key((*path, field, language), f"'{language}' is not a language of "
                              f"this calendar ({', '.join(self.offered)}); declare it in "
                              "'calendar: languages:', or correct it")
                    ok = False
                elif language != self.language:
                    others.append((language, field, text))
            if base[field] is None:
                self._at((*path, field), f"{field}: no '{self.language}' text (the calendar's "
                         f"language, which the others fall back to); add '{self.language}: …'")
                ok = False
        return (base, tuple(sorted(others))) if ok else None

    def _partly_translated(self, entry: Entry, path: Path_) -> None:
        for language, field in partly_translated(entry):
            line, col = self._mark((*path, field))
            self.problems.append(Problem(
                self.file, line, col, f"{field}: no '{language}' text, though other fields of "
                f"this entry have one; write '{field}: {{{self.language}: …, {language}: …}}', "
                f"or {language} readers see the {self.language} text", "warning"))
