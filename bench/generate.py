"""Generate a realistic ``events.yaml`` of any size for the benchmark.

The mix follows the shipped ``data/events.yaml`` (meetings, conferences, deadlines, courses,
webinars, seminars, a few recurring publications) plus what a live calendar has and the shipped
one lacks: timed entries, some in another time zone, cancelled and tentative ones. Text is
Norwegian with æøå, descriptions one to four sentences. Dates fall between 300 days before and
two years after a fixed day, so the output depends only on ``n`` and ``seed``.

    python bench/generate.py 1000 > /tmp/events-1000.yaml
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta

ANCHOR = date(2024, 8, 1)  # the tests' NOW; "past" and "future" are relative to it
PAST_DAYS, FUTURE_DAYS = 300, 730

# (type, weight): roughly the shipped mix, with more deadlines and courses as a live calendar has
TYPE_WEIGHTS = (
    ("meeting", 26), ("conference", 18), ("deadline", 18), ("course", 14),
    ("webinar", 12), ("seminar", 8), ("event", 4),
)

TAGS = (
    "menneskehandel", "ungdom", "utnyttelse", "nordisk", "vold-i-naere-relasjoner", "horing",
    "barn", "kom-deltakelse", "internasjonalt", "publikasjon", "arbeidsliv", "tvangsarbeid",
    "migrasjon", "helse", "rettshjelp", "kjønnslemlestelse", "sårbare-grupper", "opplæring",
)

ORGANIZERS = (
    "RVTS Øst", "RVTS Nord", "RVTS Vest", "RVTS Midt", "RVTS Sør", "KOM", "NKVTS og NOVA",
    "Krisesentersekretariatet v/ROSA", "Justis- og beredskapsdepartementet",
    "Barne- og familiedepartementet", "Arbeids- og inkluderingsdepartementet",
    "Østersjørådet (CBSS)", "Europarådets ekspertgruppe mot menneskehandel (GRETA)",
    "OSSE", "Arbeidstilsynet", "Politiets kompetansegruppe mot menneskehandel",
    "HTSO, NAV Grünerløkka", "Nationella samordningen mot prostitution och människohandel",
)

PLACES = (
    "Oslo", "Bergen", "Trondheim", "Tromsø", "Bodø", "Kristiansand", "Stavanger", "Digitalt",
    "Clarion Hotel The Hub, Oslo", "Scandic Ørnen, Bergen", "Stockholm", "Helsinki", "Wien",
    "København", "Litteraturhuset, Oslo", "Thon Hotel Rosenkrantz, Oslo", "Ålesund",
)

TOPICS = (
    "Ungdom utnyttet til kriminalitet", "Utnyttelse og menneskehandel", "Rus, vold og utnyttelse",
    "Tvangsarbeid i norsk arbeidsliv", "Negativ sosial kontroll", "Æresmotivert vold",
    "Identifisering av mulige ofre", "Barn og unge i sårbare situasjoner",
    "Oppfølging i reetableringsfasen", "Samarbeid på tvers av etater", "Digitale spor og bevis",
    "Språk, tolk og tillit", "Nordisk samarbeid mot menneskehandel", "Rettighetene til ofre",
    "Kjønnslemlestelse og helsehjelp", "Arbeidsmarkedskriminalitet",
)

TITLES = {
    "meeting": ("Møte i {org}", "Fagmøte: {topic}", "Digitalt møte om «{topic}»",
                "Heldagsmøte i {org}", "Rundebordsmøte om {topic_l}"),
    "conference": ("Konferanse om {topic_l}", "Nasjonal konferanse «{topic}»",
                   "{org}: årskonferanse", "Nordisk konferanse om {topic_l}"),
    "deadline": ("Høring: {topic}", "Forslag til endringer i {law}",
                 "Høring om {topic_l}", "NOU {year}: {nr} «{topic}» – høring"),
    "course": ("Digitalt kurs «{topic}»", "Grunnkurs «{topic}»", "Kurs: {topic}",
               "Fordypningskurs om {topic_l}"),
    "webinar": ("Webinar «{topic}»", "Frokostwebinar «{topic}»", "Lunsjwebinar: {topic}"),
    "seminar": ("Seminar om {topic_l}", "Workshop «{topic}»", "Fagseminar: {topic}"),
    "event": ("Lansering: {topic}", "Åpent møte om {topic_l}", "Publisering av rapport om "
              "{topic_l}"),
}

LAWS = ("barnevernsloven", "krisesenterloven", "straffeloven § 257", "utlendingsloven",
        "arbeidsmiljøloven", "likestillings- og diskrimineringsloven")

SENTENCES = (
    "Kurset gir kunnskap om hva utnyttelse til kriminalitet er, og hvordan slik utnyttelse kan "
    "være en form for menneskehandel.",
    "Arrangementet er særlig relevant for alle som jobber med ungdom i risiko eller ungdom "
    "involvert i kriminalitet.",
    "For nærmere informasjon om program og påmelding kan arrangøren kontaktes.",
    "Forskere vil dele innsikter og funn fra et omfattende forskningsprogram om vold i nære "
    "relasjoner.",
    "Departementet sendte forslaget på høring i vår; menneskehandel inngår blant temaene i "
    "høringen.",
    "Endringsforslagene gjelder blant annet oppfølging i reetableringsfasen og tilgang til "
    "taushetsbelagte opplysninger.",
    "KOM deltok og holdt innlegg om samarbeid mellom politi, kommuner og frivillige "
    "organisasjoner.",
    "Møtet hadde et særlig fokus på utnyttelse av mindreårige og utnyttelse til kriminalitet.",
    "Programmet er foreløpig, og endringer kan forekomme.",
    "Påmeldingsfristen er én uke før arrangementet; antall plasser er begrenset.",
    "Arrangementet strømmes, og opptaket blir tilgjengelig i etterkant.",
    "Målgruppen er ansatte i barnevern, NAV, helsetjenesten, politiet og krisesentre.",
    "Deltakerne får en innføring i regelverket og praktiske eksempler fra saker i Norge og "
    "Norden.",
    "Høringssvar sendes digitalt via regjeringen.no; alle kan avgi høringsuttalelse.",
)

ZONES = ("Europe/Stockholm", "Europe/Helsinki", "Europe/London", "America/New_York")

RULES = (
    "FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1",
    "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=15",
    "FREQ=MONTHLY;BYDAY=1TU;COUNT=24",
    "FREQ=WEEKLY;BYDAY=TH;COUNT=12",
)

HEADER = """\
# Generated by bench/generate.py (n={n}, seed={seed}) – not real data.
calendar:
  title: KOM – kurs, konferanser og høringsfrister
  description: Kurs, konferanser, webinarer, møter og høringsfrister på menneskehandelsfeltet
  timezone: Europe/Oslo
  language: nb
  base_url: https://kalender.example.no
  uid_domain: kalender.example.no
  author:
    name: KOM
    email: kom@example.no
  past_days: 400

feeds:
  frister:
    title: Høringsfrister
    description: Høringsfrister på menneskehandelsfeltet og tilgrensende felt
    types: [deadline]
  arrangementer:
    title: Kurs, konferanser og webinarer
    types: [course, conference, webinar, seminar]
  moter:
    title: KOMs møter og deltakelse
    types: [meeting, conference, seminar]
    tags: [kom-deltakelse]
  publikasjoner:
    title: KOMs publikasjoner
    types: [event, publication]
    tags: [publikasjon]

entries:
"""


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u"})
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower().translate(table))
    return "-".join(part for part in out.split("-") if part)[:48].strip("-")


def _entry(rng: random.Random, i: int) -> list[str]:
    types, weights = zip(*TYPE_WEIGHTS, strict=True)
    kind = rng.choices(types, weights)[0]
    topic = rng.choice(TOPICS)
    org = rng.choice(ORGANIZERS)
    title = rng.choice(TITLES[kind]).format(
        topic=topic, topic_l=topic[0].lower() + topic[1:], org=org, law=rng.choice(LAWS),
        year=rng.choice((2024, 2025, 2026)), nr=rng.randint(1, 24))
    day = ANCHOR + timedelta(days=rng.randint(-PAST_DAYS, FUTURE_DAYS))
    if title.startswith("Publisering"):  # a report is a publication (no extra draw: same mix)
        kind = "publication"
    lines = [f"  - id: {_slug(title)}-{i}", f"    type: {kind}", f"    title: {_q(title)}"]

    repeat = None
    if kind == "deadline":
        lines.append(f"    due: {day.isoformat()}")
    elif rng.random() < 0.25:  # timed; a few in another zone
        hour = rng.choice((8, 9, 10, 12, 13, 14, 18))
        minutes = rng.choice((0, 0, 15, 30))
        length = timedelta(minutes=rng.choice((45, 60, 90, 120, 180, 360)))
        start = f"{day.isoformat()} {hour:02d}:{minutes:02d}"
        end_clock = min((timedelta(hours=hour, minutes=minutes) + length).total_seconds() // 60,
                        23 * 60 + 30)  # same day
        end = f"{day.isoformat()} {int(end_clock // 60):02d}:{int(end_clock % 60):02d}"
        lines += [f"    start: {start}", f"    end: {end}"]
        if rng.random() < 0.12:
            lines.append(f"    timezone: {rng.choice(ZONES)}")
        if rng.random() < 0.03:
            repeat = RULES[rng.randrange(2, 4)]
    else:
        lines.append(f"    start: {day.isoformat()}")
        if kind in ("conference", "course", "meeting") and rng.random() < 0.4:
            lines.append(f"    end: {(day + timedelta(days=rng.randint(1, 2))).isoformat()}")
        if kind in ("event", "publication") or rng.random() < 0.01:
            repeat = RULES[rng.randrange(0, 2)]
    if repeat:
        lines.append(f"    repeat: {repeat}")

    if kind != "deadline":
        place = rng.choice(PLACES)
        if rng.random() < 0.8:
            lines.append(f"    location: {_q(place)}")
        if place == "Digitalt" or kind == "webinar":
            lines.append(f"    online_url: https://meet.example.no/{_slug(topic)}-{i}")
    if rng.random() < 0.35:
        lines.append(f"    url: https://www.example.no/arrangement/{i}?kilde=kalender&lang=nb")
    lines.append(f"    organizer: {_q(org)}")
    if rng.random() < 0.8:
        lines.append("    description: |")
        for _ in range(rng.randint(1, 2)):
            paragraph = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
            lines.append(f"      {paragraph}")
    tags = rng.sample(TAGS, rng.randint(1, 4))
    if kind == "deadline" and "horing" not in tags:
        tags.insert(0, "horing")
    if kind in ("event", "publication") and "publikasjon" not in tags:
        tags.insert(0, "publikasjon")
    lines.append(f"    tags: [{', '.join(tags)}]")
    roll = rng.random()
    if roll < 0.04:
        lines.append("    status: cancelled")
    elif roll < 0.10:
        lines.append("    status: tentative")
    return lines


def generate(n: int, seed: int = 1) -> str:
    """Return an events.yaml text with ``n`` entries; the same (n, seed) gives the same text."""
    rng = random.Random(seed)
    out = [HEADER.format(n=n, seed=seed)]
    for i in range(1, n + 1):
        out.append("\n".join(_entry(rng, i)) + "\n\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of entries")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sys.stdout.write(generate(args.n, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
