"""Every message the editor reads from check, sync, pull and extract, in nb and en, from one
place. The code writes its messages in English (the text tests and logs pin); ``say`` gives
the Norwegian wording of the same message: each English form is a pattern with its
Norwegian template in ``messages_nb.py``, and a part that is itself a message (after "field: ")
is translated too.
Locations, severities and exit codes never change with the language.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import Problem
from .messages_nb import PATTERNS, PHRASES, WORDS

LANGUAGES = ("nb", "en")

# The lines the commands print around the messages.
_LINES: dict[str, dict[str, str]] = {
    "en": {
        "errors": "{n} error{s}; nothing was changed.",
        "ok": "{path}: ok — {entries} ({deadlines}, {recurring} recurring), {feeds}",
        "entry": "entry", "entries": "entries", "deadline": "deadline",
        "deadlines": "deadlines", "feed": "feed", "feeds": "feeds",
        "added": "added", "changed": "changed", "removed": "removed", "restored": "restored",
        "summary": "{added} added, {changed} changed, {removed} removed, {restored} restored, "
                   "{unchanged} unchanged (revision {revision})",
        "busy_suffix": "; nothing was changed.",
        "no_year": "{path}: no year in the text; dates without one were skipped — give it "
                   "with --year YYYY",
        "pull_counts": "{added} added, {changed} changed, {cancelled} cancelled, {unchanged} "
                       "unchanged, {skipped} skipped", "pull_skipped": "  skipped {what}",
        "pull_filtered": ", {n} left out by include/exclude", "pull_published": "published",
        "pull_kept": "kept the last good {n} entries", "pull_none": "no 'sources:' to pull",
        "pull_nothing": "nothing changed; nothing published",
    },
    "nb": {
        "errors": "{n} feil; ingenting ble endret.",
        "ok": "{path}: ok — {entries} ({deadlines}, {recurring} gjentas), {feeds}",
        "entry": "oppføring", "entries": "oppføringer", "deadline": "frist",
        "deadlines": "frister", "feed": "feed", "feeds": "feeder",
        "added": "lagt til", "changed": "endret", "removed": "fjernet",
        "restored": "gjenopprettet",
        "summary": "{added} lagt til, {changed} endret, {removed} fjernet, {restored} "
                   "gjenopprettet, {unchanged} uendret (revisjon {revision})",
        "busy_suffix": "; ingenting ble endret.",
        "no_year": "{path}: fant ikke noe årstall i teksten; datoer uten år ble hoppet over "
                   "— oppgi det med --year ÅÅÅÅ",
        "pull_counts": "{added} lagt til, {changed} endret, {cancelled} avlyst, {unchanged} "
                       "uendret, {skipped} hoppet over", "pull_skipped": "  hoppet over {what}",
        "pull_filtered": ", {n} utelatt av include/exclude", "pull_published": "publisert",
        "pull_kept": "beholdt de {n} siste gode oppføringene",
        "pull_none": "ingen 'sources:' å hente fra", "pull_nothing": "ingenting endret; "
                                                                    "ingenting publisert",
    },
}


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern, re.DOTALL), template) for pattern, template in PATTERNS)


def say(message: str, language: str) -> str:
    """``message`` in ``language``: unchanged for en; the nb wording where one is known."""
    if language != "nb":
        return message
    return _translate(message) or message


def known(message: str) -> bool:
    """Whether ``message`` has a Norwegian wording (every message should: a test checks)."""
    return _translate(message) is not None


def _translate(message: str) -> str | None:
    for pattern, template in _compiled():
        match = pattern.fullmatch(message)
        if match is None:
            continue
        values = {k: (v or "") for k, v in match.groupdict().items()}
        if "inner" in values:
            inner = _translate(values["inner"])
            if inner is None:
                continue  # "field: <a message we cannot say>" is not known
            values["inner"] = inner
        if "sub" in values:  # python-dateutil's own words stay as they are
            values["sub"] = _translate(values["sub"]) or values["sub"]
        for key in ("w", "u", "k", "s"):
            if key in values:
                values[key] = WORDS.get(values[key], values[key])
        for key in ("a", "m", "p", "e", "x"):
            if key in values:
                for en, nb in PHRASES:
                    values[key] = values[key].replace(en, nb)
        return template.format(**values)
    return None


def line(language: str, key: str, **values: object) -> str:
    return _LINES["nb" if language == "nb" else "en"][key].format(**values)


def problem_text(problem: Problem, language: str) -> str:
    """``file:line:col: message`` (``warning:`` before a warning's message, in either
    language, so tools that read compiler-style lines keep working)."""
    prefix = "warning: " if problem.severity == "warning" else ""
    return (f"{problem.file}:{problem.line}:{problem.column}: "
            f"{prefix}{say(problem.message, language)}")


_LANGUAGE_LINE = re.compile(r"^calendar:\s*$|^\s+language:\s*['\"]?(nb|en)['\"]?\s*(?:#.*)?$",
                            re.MULTILINE)


def language_of(path: Path, override: str | None) -> str:
    """The language to speak about ``path``: the setting if given, else the file's
    ``calendar: language:`` (read from the text, so a file with errors still gets its own
    language), else nb."""
    if override in LANGUAGES:
        return override
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "nb"
    in_calendar = False
    for match in _LANGUAGE_LINE.finditer(text):
        if match.group(1) is None:
            in_calendar = True
        elif in_calendar:
            return match.group(1)
    return "nb"
