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
        # A database or file-system failure (exit 6) and a port in use (exit 2): one line each.
        "db_url": "CALFEED_DATABASE_URL is not a database URL ({where}); write it like "
                  "sqlite:///var/calfeed.db or postgresql+psycopg://user:pass@host/db",
        "db_failed": "the database at {where} failed: {reason}; check that it is reachable, "
                     "its disk has space and it may be written, then run the command again "
                     "(nothing was changed by this run; {debug})",
        "file_failed": "cannot read or write{what}: {reason}{at}; {kept}free disk space or fix "
                       "the path and its permissions, then run the command again ({debug})",
        "file_at": " (at {file})", "file_kept": "nothing in it was changed; ",
        "debug": "--debug or CALFEED_LOG_LEVEL=DEBUG shows the traceback",
        "port_busy": "cannot listen on {where} ({reason}); stop the program that does, or "
                     "choose another port with --port or CALFEED_PORT",
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
        "db_url": "CALFEED_DATABASE_URL er ikke en database-URL ({where}); skriv den som "
                  "sqlite:///var/calfeed.db eller postgresql+psycopg://bruker:passord@vert/db",
        "db_failed": "databasen på {where} feilet: {reason}; sjekk at den kan nås, at disken "
                     "har plass og at den kan skrives til, og kjør kommandoen på nytt (denne "
                     "kjøringen endret ingenting; {debug})",
        "file_failed": "kan ikke lese eller skrive{what}: {reason}{at}; {kept}frigjør "
                       "diskplass eller rett stien og tilgangen til den, og kjør kommandoen på "
                       "nytt ({debug})",
        "file_at": " (ved {file})", "file_kept": "ingenting i den ble endret; ",
        "debug": "--debug eller CALFEED_LOG_LEVEL=DEBUG viser hele feilsporet",
        "port_busy": "kan ikke lytte på {where} ({reason}); stopp programmet som gjør det, "
                     "eller velg en annen port med --port eller CALFEED_PORT",
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
