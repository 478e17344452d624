"""Newsletter text -> proposed entries: each dated item the text announces or reports, with its
type from the words around the date, a title, place and organizer where the text says them, a
proposed id, the line it came from and what the reader was unsure of.

Pure: lines in, proposals out (``extract_yaml`` writes them as YAML). The rules are made for
how Norwegian newsletters write: a sentence is an item when it has a date and an event word
(kurs, konferanse, webinar, seminar, møte, …) or a deadline phrase ("Høringsfrist er …");
sentences about things decided, treated or published ("Stortinget behandlet 7. mai …") carry no
event word and are left out. Text under a heading inherits it: a deadline's title is its
section's heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, time

from .nbdates import MONTHS, DateMatch, find_dates, guess_year

# Stems of event words, each with its type; the word nearest the date decides.
_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("webinar", "webinar"), ("konferans", "conference"), ("conference", "conference"),
    ("seminar", "seminar"), ("workshop", "seminar"), ("fagdag", "seminar"),
    ("kurs", "course"), ("møte", "meeting"), ("meeting", "meeting"),
    ("rundebord", "meeting"), ("studiereise", "event"), ("lansering", "event"),
    ("festival", "event"), ("samling", "meeting"),
)
_NOT_EVENTS = frozenset(("diskurs", "konkurs", "ekskurs", "kursen", "møtes", "imøte"))
_PUBLISHED = re.compile(r"\b(?:publiserte|publisert|oppdatert|oppdatering|utgir|utga)\b", re.I)
_WORD = re.compile(r"[\wÆØÅæøå-]+")
_QUOTE = re.compile(r"[\"«“]([^\"»”]{3,200})[\"»”]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTTP_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_SIGNUP = re.compile(r"påmeld|meld (?:deg|dere) på|registr", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"«*])")
_ORGANIZER_VERB = re.compile(
    r"^(?P<who>(?:[A-ZÆØÅ][\w/.()-]*|og|v/|i|for|mot|\s)+?)\s+"
    r"(?:arrangerer|arrangerte|arrangere|inviterer|holder|sendte|har sendt|sender)\b")
_IN_CHARGE = re.compile(r"\bi regi av (?P<who>[A-ZÆØÅ][^,.;]*?)(?=[,.;]| \d|$)")
_VENUE = re.compile(r"\bpå (?P<venue>[A-ZÆØÅ][\w-]*(?: [A-ZÆØÅ][\w-]*)+) i (?P<city>[A-ZÆØÅ]\w+)")
_CITY = re.compile(r"\b(?:i|til) (?P<city>[A-ZÆØÅ][a-zæøå]+)\b(?! [A-ZÆØÅ])")
_DIGITAL = re.compile(r"\b(?:digitalt?|webinar\w*|frokostwebinar\w*|nettbasert|på nett)\b", re.I)
_FROM_HEADING = re.compile(r"^(?:flere |andre )?(?:arrangementer|kurs) (?:fra|i regi av) (.+)$",
                           re.I)


@dataclass(frozen=True, slots=True)
class Proposal:
    line: int  # 1-based line of the source text
    quote: str  # the sentence, shortened, for the comment
    type: str
    title: str
    when: DateMatch
    organizer: str | None = None
    location: str | None = None
    description: str | None = None
    unsure: tuple[str, ...] = ()
    also: tuple[int, ...] = ()  # other lines that name the same item
    id: str = ""
    registration: DateMatch | None = None  # "påmeldingsfrist 1. august" near the event
    registration_url: str | None = None  # an http(s) link the text gives for signing up


@dataclass
class _Section:
    heading: str = ""
    text: list[str] = field(default_factory=list)  # the section's paragraphs so far


def extract(lines: list[str], *, year: int | None = None) -> tuple[list[Proposal], int | None]:
    """The proposals in a newsletter's lines, and the year dates without one were read in."""
    text = "\n".join(lines)
    base = year if year is not None else guess_year(text)
    own = _own_name(lines)
    proposals: list[Proposal] = []
    section = _Section()
    first_of_section = 0  # index in proposals of the current section's first
    # A registration deadline belongs to an event of its section: the one before it, or
    # else the next one.
    pending: tuple[DateMatch, str | None] | None = None
    for number, paragraph in _paragraphs(lines):
        if paragraph.startswith("#"):
            section.heading = paragraph.lstrip("#").strip().strip("*").strip()
            section.text = []
            first_of_section, pending = len(proposals), None
            continue
        plain = _plain(paragraph)
        section.text.append(plain)
        before: list[DateMatch] = []  # the dates of the previous sentence, if it made nothing
        for sentence in _SENTENCE_END.split(plain):
            if base is None:
                break
            dates = find_dates(sentence, year=base)
            made_any = False
            for found in dates:
                if found.kind == "registration":
                    # "Påmeldingsfrist 1. august til kurset 20. august": the event that follows
                    later = any(d.kind == "date" and d.span[0] > found.span[0] for d in dates)
                    at = None if later else _last_event(proposals, first_of_section)
                    if at is not None:
                        proposals[at] = _signing_up(proposals[at], found, _signup_link(paragraph))
                    else:
                        pending = (found, _signup_link(paragraph))
                    continue
                made = _propose(sentence, found, section.heading, own, number,
                                " ".join(section.text))
                if made is not None:
                    if pending is not None and made.type != "deadline":
                        made, pending = _signing_up(made, *pending), None
                    proposals.append(made)
                    made_any = True
            if not dates and len(before) == 1:
                # "Bufdir publiserte i april rapporten. Arrangementet for lansering av
                # rapporten …": an event named in the sentence after its date.
                made = _propose_after(sentence, before[0], section.heading, number)
                if made is not None:
                    proposals.append(made)
            before = dates if dates and not made_any else []
    return _with_ids(_merge(proposals)), base


# --- one sentence, one date --------------------------------------------------------------------


def _propose(sentence: str, found: DateMatch, heading: str, own: str | None, line: int,
             section: str) -> Proposal | None:
    unsure = list(found.notes)
    if found.kind == "deadline":
        kind, title = "deadline", _deadline_title(heading)
        organizer = _issuer(section)
        if organizer is None:
            unsure.append("who issued it is not in the text")
        return Proposal(line, _short(sentence), kind, title, found, organizer=organizer,
                        description=None, unsure=tuple(unsure))
    near, word_at = _type_near(sentence, found)
    if near is not None:
        kind = near
    else:
        if own and _PUBLISHED.search(sentence) and re.match(rf"\s*{re.escape(own)}\b", sentence):
            kind = "publication"
        else:
            return None
    if found.precision == "week":
        unsure.append("start and end are the Monday and Sunday of that week")
    title = _title(sentence, found, word_at, heading)
    organizer = _organizer(sentence, heading, deadline=False)
    if organizer is None:
        unsure.append("no organizer in the text")
    location = _location(sentence, found, word_at)
    return Proposal(line, _short(sentence), kind, title, found, organizer=organizer,
                    location=location, description=_description(sentence),
                    unsure=tuple(unsure))


def _propose_after(sentence: str, found: DateMatch, heading: str, line: int) -> Proposal | None:
    kind, word_at = _type_near(sentence, replace(found, span=(0, 0)))
    if kind is None or found.kind != "date":
        return None
    title = _title(sentence, replace(found, span=(len(sentence), len(sentence))), word_at, heading)
    unsure = (*found.notes, "the date is in the sentence before", "no organizer in the text")
    return Proposal(line, _short(sentence), kind, title, found, location=None,
                    description=_description(sentence), unsure=unsure)


def _last_event(proposals: list[Proposal], first: int) -> int | None:
    """Where the latest event (not a deadline) of the section is that has no registration
    deadline yet."""
    for at in range(len(proposals) - 1, first - 1, -1):
        if proposals[at].type != "deadline":
            return at if proposals[at].registration is None else None
    return None


def _signing_up(event: Proposal, found: DateMatch, url: str | None) -> Proposal:
    unsure = list(event.unsure)
    if found.start > event.when.start:
        unsure.append("registration closes after the event starts")
    if found.precision == "month":
        unsure.append("only the month registration closes is known: its last day is written")
    if url is None:
        unsure.append("no link to sign up in the text")
    return replace(event, registration=found, registration_url=url, unsure=tuple(unsure))


def _signup_link(paragraph: str) -> str | None:
    """The paragraph's http(s) link about signing up ("meld deg på her", "påmelding"), or
    its only http(s) link."""
    links = [(text, url) for text, url in _HTTP_LINK.findall(paragraph)]
    for text, url in links:
        if _SIGNUP.search(text):
            return str(url)
    return str(links[0][1]) if len(links) == 1 else None


def _type_near(sentence: str, found: DateMatch) -> tuple[str | None, int | None]:
    """The type of the event word nearest the date, and where that word starts."""
    best: tuple[int, str, int] | None = None
    for word in _WORD.finditer(sentence):
        lower = word.group(0).lower()
        if lower in _NOT_EVENTS or lower in MONTHS:
            continue
        for stem, kind in _TYPE_WORDS:
            if stem in lower:
                distance = min(abs(word.start() - found.span[1]), abs(found.span[0] - word.end()))
                if best is None or distance < best[0]:
                    best = (distance, kind, word.start())
                break
    if best is None:
        return None, None
    return best[1], best[2]


def _title(sentence: str, found: DateMatch, word_at: int | None, heading: str) -> str:
    if word_at is None:  # a publication: its section's heading names it best
        if heading:
            return _tidy(re.sub(r"\s+(?:er\s+)?publisert$", "", heading, flags=re.I))
        text = _without_date(sentence, found)
        verb = _PUBLISHED.search(text)
        return _tidy(_clause(text[verb.end():] if verb else text))
    word = _WORD.match(sentence, word_at)
    assert word is not None
    name = word.group(0)
    before = sentence[:word_at].split()
    if before and before[-1].lower() in ("digitalt", "digital", "nasjonal", "felles",
                                         "årlige", "nordisk"):
        name = f"{before[-1]} {name}"
    for quote in _QUOTE.finditer(sentence):
        if quote.start() <= word_at < quote.end():  # "Istanbulkonferansen: …" names itself
            return _tidy(quote.group(1))
        if 0 <= quote.start() - word.end() <= 80:  # webinaret "Third country …"
            return _tidy(f"{name} «{quote.group(1)}»")
    # "møte med OSSEs spesialrepresentant mot menneskehandel 8. mai": up to the date or a break
    end = found.span[0] if found.span[0] > word_at else len(sentence)
    rest = _clause(sentence[word.end():end])
    if not rest.strip() and re.match(r" (?:i|med|om|for) ", sentence[found.span[1]:]):
        rest = _clause(sentence[found.span[1]:])  # "heldagsmøte 11. juni i Politiets …"
    return _tidy(f"{name}{rest}")


def _clause(text: str) -> str:
    return re.split(r"[.;:]\s|\s\(|,\s| og | se | som | \d", text + " ")[0]


def _deadline_title(heading: str) -> str:
    title = re.sub(r"\s+(?:er\s+|sendt\s+)?på\s+høring\b.*$", "", heading, flags=re.I)
    return _tidy(title) or "Høringsfrist"


def _issuer(section: str) -> str | None:
    """Who sent a consultation: "Barne- og familiedepartementet sendte 8. april på høring"."""
    for sentence in _SENTENCE_END.split(section):
        match = re.match(r"(?P<who>\S.{1,80}?)\s+(?:sendte|har sendt|sender)\b.*\bhøring", sentence)
        if match and len(match.group("who").split()) <= 6:
            return match.group("who")
    return None


def _organizer(text: str, heading: str, *, deadline: bool) -> str | None:
    match = _ORGANIZER_VERB.match(text)
    if match:
        who = match.group("who").strip()
        if who not in ("Videre", "Det", "Vi", "KOM deltok") and len(who.split()) <= 6:
            return who
    match = _IN_CHARGE.search(text)
    if match:
        return match.group("who").strip()
    if deadline:
        return None
    from_heading = _FROM_HEADING.match(heading)
    if from_heading:
        return from_heading.group(1).strip()
    return None


def _location(sentence: str, found: DateMatch, word_at: int | None) -> str | None:
    venue = _VENUE.search(sentence)
    if venue:
        return f"{venue.group('venue')}, {venue.group('city')}"
    # "digitalt møte 29. april og heldagsmøte 11. juni": only the first is digital
    near = min(found.span[0], word_at if word_at is not None else found.span[0])
    if _DIGITAL.search(sentence[max(0, near - 15):found.span[1] + 25]):
        return "Digitalt"
    for city in _CITY.finditer(sentence):
        name = city.group("city")
        if name.lower() not in MONTHS and not name.endswith("s"):
            return name
    return None


# --- paragraphs, plain text --------------------------------------------------------------------


def _paragraphs(lines: list[str]) -> list[tuple[int, str]]:
    """Paragraphs with the line each starts on; a heading is a paragraph of its own."""
    out: list[tuple[int, str]] = []
    start, parts = 0, list[str]()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            if parts:
                out.append((start, " ".join(parts)))
                parts = []
            if line:
                out.append((number, line))
            continue
        if not parts:
            start = number
        parts.append(line)
    if parts:
        out.append((start, " ".join(parts)))
    return out


def _plain(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", text).strip().lstrip("-*• ").strip()


def _own_name(lines: list[str]) -> str | None:
    """The newsletter's own unit ("Nyhetsbrev fra KOM" -> "KOM"), whose publications count."""
    for line in lines[:40]:
        match = re.search(r"nyhetsbrev fra (\S+)", line, re.I)
        if match:
            return match.group(1).strip("*#")
    return None


def _without_date(sentence: str, found: DateMatch) -> str:
    return sentence[:found.span[0]] + sentence[found.span[1]:]


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace('"', "").replace("  ", " ")).strip(" ,.-–")
    if len(text) > 110:
        text = text[:110].rsplit(" ", 1)[0] + " …"
    return text[:1].upper() + text[1:]


def _short(sentence: str) -> str:
    return sentence if len(sentence) <= 100 else sentence[:97].rsplit(" ", 1)[0] + " …"


def _description(sentence: str) -> str:
    return re.sub(r",? se her\.?$", ".", sentence).strip()


# --- the same item twice, ids ------------------------------------------------------------------


def _merge(proposals: list[Proposal]) -> list[Proposal]:
    """One proposal per (type, dates): a newsletter often names an event twice (announced in
    one section, reported in another); later lines are listed as ``also``."""
    kept: dict[tuple[str, date, date, time | None], int] = {}
    out: list[Proposal] = []
    for proposal in proposals:
        key = (proposal.type, proposal.when.start, proposal.when.end, proposal.when.start_time)
        if key in kept:
            first = out[kept[key]]
            out[kept[key]] = replace(
                first, also=(*first.also, proposal.line),
                organizer=first.organizer or proposal.organizer,
                location=first.location or proposal.location,
                registration=first.registration or proposal.registration,
                registration_url=first.registration_url or proposal.registration_url)
            continue
        kept[key] = len(out)
        out.append(proposal)
    return out


def slugify(text: str, limit: int = 60) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "oppforing"


def _with_ids(proposals: list[Proposal]) -> list[Proposal]:
    seen: set[str] = set()
    out = []
    for proposal in proposals:
        stem = slugify(f"{proposal.title}")
        when = proposal.when.start
        suffix = f"{when:%Y-%m}" if proposal.when.precision == "month" else f"{when:%Y}"
        base = f"{stem}-{suffix}" if not stem.endswith(str(when.year)) else stem
        candidate, n = base, 2
        while candidate in seen:
            candidate, n = f"{base}-{n}", n + 1
        seen.add(candidate)
        out.append(replace(proposal, id=candidate))
    return out

