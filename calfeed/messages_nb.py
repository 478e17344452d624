"""The Norwegian wording of every message check, sync, pull and extract write in English: each
English form as a regular expression with its nb template, first match wins, and the words and
phrases inside values that are translated where they stand. ``messages.say`` reads them.
"""

from __future__ import annotations

# (English message as a regular expression, Norwegian template). The groups keep values as
# written (ids, keys, dates); a group named "inner" is a message of its own, one named "sub"
# may be (else it is a library's words, kept as they are).
PATTERNS: tuple[tuple[str, str], ...] = (
    # --- YAML and the file's shape
    (r"this is not valid YAML: (?P<what>.*); if the text contains ': ', put it in quotes "
     r"\(\"…\"\)", "dette er ikke gyldig YAML: {what}; hvis teksten har ': ' i seg, sett den i "
     "anførselstegn (\"…\")"),
    (r"this is not valid YAML: (?P<what>.*)", "dette er ikke gyldig YAML: {what}"),
    (r"the file is empty; start with a 'calendar:' section \(see README\)",
     "filen er tom; begynn med en 'calendar:'-del (se README)"),
    (r"the file must be a mapping with 'calendar:', 'feeds:' and 'entries:'",
     "filen må være en oversikt med 'calendar:', 'feeds:' og 'entries:'"),
    (r"file not found", "fant ikke filen"),
    (r"not UTF-8 \((?P<why>.*)\); save the file as UTF-8",
     "ikke UTF-8 ({why}); lagre filen som UTF-8"),
    (r"the file is larger than (?P<m>\d+) MB, more than calfeed reads; .*",
     "filen er større enn {m} MB, mer enn calfeed leser; fjern oppføringer som er lenge over, "
     "eller kort ned lange beskrivelser (resten av filen ble ikke lest)"),
    (r"nested more than (?P<n>\d+) levels deep \(or an alias that contains itself\); "
     r"calfeed's file needs at most (?P<m>\d+): check the indentation and brackets here",
     "nestet mer enn {n} nivåer dypt (eller et alias som inneholder seg selv); calfeed-filen "
     "trenger høyst {m}: sjekk innrykk og klammer her"),
    (r"aliases \('\*name'\) repeat this value into more than (?P<n>[\d,]+) values; write the "
     r"values out, or use fewer aliases",
     "aliaser ('*navn') gjentar denne verdien til mer enn {n} verdier; skriv verdiene ut, "
     "eller bruk færre aliaser"),
    (r"this value is (?P<n>[\d,]+) characters long; calfeed reads at most (?P<m>[\d,]+): "
     r"shorten it", "denne verdien er {n} tegn lang; calfeed leser høyst {m}: kort den ned"),
    (r"this key is too long to be one of calfeed's",
     "denne nøkkelen er for lang til å være en av calfeeds"),
    (r"keys must be plain words", "nøkler må være vanlige ord"),
    (r"key '(?P<k>[^']*)' appears twice here; keep one",
     "nøkkelen '{k}' står to ganger her; behold én"),
    (r"unknown key '(?P<k>[^']*)' — did you mean '(?P<m>[^']*)'\?",
     "ukjent nøkkel '{k}' — mente du '{m}'?"),
    (r"unknown key '(?P<k>[^']*)' \(allowed: (?P<a>.*)\)",
     "ukjent nøkkel '{k}' (tillatt: {a})"),
    (r"'(?P<w>[^']*)' is empty; see the README for its keys",
     "'{w}' er tom; se README for nøklene"),
    (r"missing '(?P<w>[^']*)' section; see the README for its keys",
     "delen '{w}' mangler; se README for nøklene"),
    (r"missing required key '(?P<k>[^']*)'", "nøkkelen '{k}' mangler"),
    (r"expected a mapping of feed names, e\.g\. 'frister:'",
     "her skal det stå feednavn, f.eks. 'frister:'"),
    (r"the feed 'all' always exists; give this feed another name",
     "feeden 'all' finnes alltid; gi denne feeden et annet navn"),
    (r"feed name '(?P<n>[^']*)' must be lowercase letters, digits and '-'",
     "feednavnet '{n}' kan bare ha små bokstaver, sifre og '-'"),
    (r"expected a list of entries, each starting with '- id:'",
     "her skal det stå en liste av oppføringer, hver som begynner med '- id:'"),
    (r"duplicate id '(?P<i>[^']*)' \(first used on line (?P<n>\d+)\); every entry needs its "
     r"own id", "id-en '{i}' er brukt før (første gang på linje {n}); hver oppføring trenger "
     "sin egen id"),
    (r"expected text here", "her skal det stå tekst"),
    (r"expected a mapping of 'key: value' lines here",
     "her skal det stå linjer med 'nøkkel: verdi'"),
    (r"expected a list here, e\.g\. \[a, b\] or lines starting with '- '",
     "her skal det stå en liste, f.eks. [a, b] eller linjer som begynner med '- '"),
    (r"expected a whole number", "her skal det stå et helt tall"),
    (r"must be 0 or more", "må være 0 eller mer"),
    # --- values
    (r"contains the control character (?P<c>U\+[0-9A-F]+); remove it",
     "inneholder kontrolltegnet {c}; fjern det"),
    (r"is empty; write some text or remove the key",
     "er tom; skriv noe tekst eller fjern nøkkelen"),
    (r"is (?P<n>[\d,]+) characters long, more than the (?P<m>[\d,]+) a calendar entry can "
     r"carry; shorten it and link to the full text with 'url:'",
     "er {n} tegn lang, mer enn de {m} en kalenderoppføring kan ha; kort den ned og lenk "
     "til hele teksten med 'url:'"),
    (r"must be a single line", "må stå på én linje"),
    (r"is (?P<n>[\d,]+) characters long, more than the (?P<m>[\d,]+) allowed on one line; "
     r"shorten it and put the details in 'description:'",
     "er {n} tegn lang, mer enn de {m} som får plass på én linje; kort den ned og skriv "
     "detaljene i 'description:'"),
    (r"is (?P<n>[\d,]+) characters long; an id may have at most (?P<m>\d+): shorten it",
     "er {n} tegn lang; en id kan ha høyst {m}: kort den ned"),
    (r"'(?P<v>.*)' is not a valid id: ids must be lowercase letters, digits and '-'; "
     r"for example '(?P<s>[^']*)'",
     "'{v}' er ikke en gyldig id: en id har bare små bokstaver, sifre og '-'; for "
     "eksempel '{s}'"),
    (r"'(?P<v>.*)' is not a valid id: ids must be lowercase letters, digits and '-'",
     "'{v}' er ikke en gyldig id: en id har bare små bokstaver, sifre og '-'"),
    (r"'(?P<v>.*)' is not a valid tag: tags are lowercase words joined by '-', for example "
     r"'(?P<s>[^']*)'", "'{v}' er ikke en gyldig etikett: etiketter er små ord bundet "
     "sammen med '-', for eksempel '{s}'"),
    (r"unknown (?P<w>type|status|language|format) '(?P<v>.*)' — did you mean '(?P<m>[^']*)'\? "
     r"Use one of: (?P<o>.*)", "ukjent {w} '{v}' — mente du '{m}'? Bruk en av: {o}"),
    (r"unknown (?P<w>type|status|language|format) '(?P<v>.*)'\. Use one of: (?P<o>.*)",
     "ukjent {w} '{v}'. Bruk en av: {o}"),
    # --- partner sources (sources:)
    (r"source name '(?P<n>[^']*)' must be lowercase letters, digits and '-' \(it starts the "
     r"id of every entry it brings\)", "kildenavnet '{n}' kan bare ha små bokstaver, sifre og "
     "'-' (det begynner id-en til hver oppføring kilden gir)"),
    (r"'(?P<v>.*)' is not an interval; write minutes, hours or days like 30m, 6h or 1d",
     "'{v}' er ikke et tidsrom; skriv minutter, timer eller dager som 30m, 6h eller 1d"),
    (r"'(?P<v>.*)' is too often; pull a partner at most every 5m",
     "'{v}' er for ofte; hent fra en partner høyst hvert 5m"),
    (r"expected a mapping of source names, e\.g\. 'rvts-ost:'",
     "her skal det stå kildenavn, f.eks. 'rvts-ost:'"),
    (r"'(?P<v>.*)' is a Windows time zone name; write the IANA name of the place, e\.g\. "
     r"'(?P<e>[^']*)'", "'{v}' er et Windows-navn på en tidssone; skriv IANA-navnet på "
     "stedet, f.eks. '{e}'"),
    (r"unknown time zone '(?P<v>.*)' — did you mean '(?P<m>[^']*)'\? Use an IANA name such "
     r"as Europe/Oslo or America/New_York \(not a Windows name or an abbreviation like CET\)",
     "ukjent tidssone '{v}' — mente du '{m}'? Bruk et IANA-navn som Europe/Oslo eller "
     "America/New_York (ikke et Windows-navn eller en forkortelse som CET)"),
    (r"unknown time zone '(?P<v>.*)'\. Use an IANA name such as Europe/Oslo or "
     r"America/New_York \(not a Windows name or an abbreviation like CET\)",
     "ukjent tidssone '{v}'. Bruk et IANA-navn som Europe/Oslo eller America/New_York "
     "(ikke et Windows-navn eller en forkortelse som CET)"),
    (r"only http and https links are allowed \(this one has (?P<s>.*)\); write the full "
     r"address, starting with https://", "bare http- og https-lenker er tillatt (denne har "
     "{s}); skriv hele adressen, som begynner med https://"),
    (r"'(?P<v>.*)' is not a complete web address; write e\.g\. https://example\.no/page",
     "'{v}' er ikke en fullstendig nettadresse; skriv f.eks. https://example.no/side"),
    (r"is (?P<n>[\d,]+) characters long, more than the (?P<m>[\d,]+) calendar apps keep; "
     r"link to a shorter address", "er {n} tegn lang, mer enn de {m} kalenderapper tar "
     "vare på; lenk til en kortere adresse"),
    (r"'(?P<v>.*)' is not a domain name; write e\.g\. kalender\.example\.no",
     "'{v}' er ikke et domenenavn; skriv f.eks. kalender.example.no"),
    (r"expected a date like 2024-08-21 or a time like 2024-08-21 10:00",
     "her skal det stå en dato som 2024-08-21 eller et tidspunkt som 2024-08-21 10:00"),
    (r"'(?P<v>.*)' is not a real date or time \((?P<why>.*)\)",
     "'{v}' er ikke en virkelig dato eller et virkelig tidspunkt ({why})"),
    (r"'(?P<v>.*)' is outside the years a calendar can publish \((?P<r>.*)\); check the year",
     "'{v}' er utenfor årene en kalender kan publisere ({r}); sjekk året"),
    (r"'(?P<v>.*)' has a UTC offset; write the local time \(2024-08-21 10:00\) and set "
     r"'timezone:' on the entry if it is not the calendar's",
     "'{v}' har en UTC-forskyvning; skriv lokal tid (2024-08-21 10:00) og sett 'timezone:' "
     "på oppføringen hvis den ikke er kalenderens"),
    (r"'(?P<v>.*)' is not a date; write 2024-08-21, or 2024-08-21 10:00 for a time",
     "'{v}' er ikke en dato; skriv 2024-08-21, eller 2024-08-21 10:00 for et klokkeslett"),
    (r"'(?P<v>.*)' is not a date; write 2024-08-21, 2024-08-21 10:00 for a time, or 2024-08 "
     r"for a month whose day is not known yet",
     "'{v}' er ikke en dato; skriv 2024-08-21, 2024-08-21 10:00 for et klokkeslett, eller "
     "2024-08 for en måned der dagen ikke er kjent ennå"),
    (r"expected a date without a time, like 2024-06-28",
     "her skal det stå en dato uten klokkeslett, som 2024-06-28"),
    (r"'(?P<v>.*)' is not a whole number of days; write e\.g\. 400, or null",
     "'{v}' er ikke et helt antall dager; skriv f.eks. 400, eller null"),
    (r"'(?P<v>.*)' is more days than a calendar keeps; write at most (?P<m>\d+) \(a "
     r"century\), or null to keep every entry", "'{v}' er flere dager enn en kalender tar "
     "vare på; skriv høyst {m} (hundre år), eller null for å beholde alle oppføringer"),
    # --- entries
    (r"a deadline has 'due', not '(?P<k>[^']*)'; write 'due: (?P<v>[^']*)'",
     "en frist har 'due', ikke '{k}'; skriv 'due: {v}'"),
    (r"missing 'due': a deadline needs the date it is due, e\.g\. 'due: 2024-09-16'",
     "'due' mangler: en frist trenger datoen den gjelder, f.eks. 'due: 2024-09-16'"),
    (r"only deadlines have 'due'; write 'start:' instead, or set 'type: deadline'",
     "bare frister har 'due'; skriv 'start:' i stedet, eller sett 'type: deadline'"),
    (r"missing 'start': write e\.g\. 'start: 2024-08-21' \(all day\) or 'start: 2024-08-21 "
     r"09:00'", "'start' mangler: skriv f.eks. 'start: 2024-08-21' (hele dagen) eller "
     "'start: 2024-08-21 09:00'"),
    (r"'start' and 'end' must both be dates \(all day\) or both date-times; write e\.g\. "
     r"'end: 2024-08-22' or 'end: 2024-08-21 16:00'", "'start' og 'end' må begge være datoer "
     "(hele dagen) eller begge tidspunkter; skriv f.eks. 'end: 2024-08-22' eller "
     "'end: 2024-08-21 16:00'"),
    (r"'end' \((?P<e>[^)]*)\) is before 'start' \((?P<s>[^)]*)\); for a date, 'end' is the "
     r"last day, inclusive", "'end' ({e}) er før 'start' ({s}); for en dato er 'end' den "
     "siste dagen, medregnet"),
    (r"(?P<t>\S+ \S+) does not exist in (?P<z>\S+); read as (?P<r>.*)",
     "{t} finnes ikke i {z}; lest som {r}"),
    (r"(?P<t>\S+ \S+) occurs twice in (?P<z>\S+); read as the first, (?P<r>.*)",
     "{t} finnes to ganger i {z}; lest som det første, {r}"),
    # --- editors' additions: month precision, registration, tags
    (r"an entry with only a month \((?P<m>[^)]*)\) has no '(?P<k>[^']*)'; (?P<fix>.*)",
     "en oppføring med bare måned ({m}) har ingen '{k}'; {fix}"),
    (r"give the day when it is known, then add 'end' or 'repeat'",
     "skriv dagen når den er kjent, og legg så til 'end' eller 'repeat'"),
    (r"a month-only 'start' \((?P<m>[^)]*)\) needs a month-only 'end' or none",
     "en 'start' med bare måned ({m}) kan bare ha en 'end' med bare måned, eller ingen"),
    (r"only events have 'registration'; a deadline is its own deadline",
     "bare arrangementer har 'registration'; en frist er selv en frist"),
    (r"the registration deadline \((?P<d>[^)]*)\) is after the start \((?P<s>[^)]*)\); check "
     r"'registration: due'", "påmeldingsfristen ({d}) er etter starten ({s}); sjekk "
     "'registration: due'"),
    (r"id '(?P<i>[^']*)' is taken by another entry \(line (?P<n>\d+)\); the registration "
     r"deadline of '(?P<e>[^']*)' needs it", "id-en '{i}' er brukt av en annen oppføring "
     "(linje {n}); påmeldingsfristen til '{e}' trenger den"),
    (r"unknown tag '(?P<t>[^']*)' — did you mean '(?P<m>[^']*)'\? Or declare it under 'tags:'",
     "ukjent etikett '{t}' — mente du '{m}'? Eller legg den til under 'tags:'"),
    (r"unknown tag '(?P<t>[^']*)'; declare it under 'tags:' \(declared: (?P<d>.*)\)",
     "ukjent etikett '{t}'; legg den til under 'tags:' (finnes: {d})"),
    (r"tag '(?P<t>[^']*)' needs a label: write '(?P=t): \{nb: …, en: …\}'",
     "etiketten '{t}' trenger en tekst: skriv '{t}: {{nb: …, en: …}}'"),
    # --- warnings
    (r"feed '(?P<f>[^']*)' selects no entry \(it takes (?P<x>.*)\); check its types: and "
     r"tags: for a typo", "feeden '{f}' velger ingen oppføringer (den tar {x}); se etter "
     "skrivefeil i types: og tags:"),
    (r"'(?P<i>[^']*)' is in no named feed, though feed '(?P<f>[^']*)' takes type "
     r"'(?P<t>[^']*)'; add one of its tags \((?P<g>.*)\) if it belongs there",
     "'{i}' er ikke med i noen navngitt feed, selv om feeden '{f}' tar typen '{t}'; legg "
     "til en av etikettene dens ({g}) hvis den hører hjemme der"),
    (r"'(?P<i>[^']*)' has the same title and day as '(?P<o>[^']*)' \(line (?P<n>\d+)\); "
     r"remove one, or tell them apart in the title", "'{i}' har samme tittel og dag som "
     "'{o}' (linje {n}); fjern én av dem, eller skill dem i tittelen"),
    (r"'(?P<i>[^']*)' ended \((?P<e>[^)]*)\) before it was first synced; subscribers never "
     r"saw it coming: check its year", "'{i}' var over ({e}) før den ble synkronisert første "
     "gang; abonnentene fikk den aldri på forhånd: sjekk årstallet"),
    # --- repeat rules
    (r"invalid repeat rule: (?P<sub>.*)\. Write an RFC 5545 RRULE such as "
     r"FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1", "ugyldig gjentakelsesregel: {sub}. "
     "Skriv en RRULE etter RFC 5545, f.eks. FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1"),
    (r"(?P<p>[A-Z]+=\S+) is out of range; use (?P<a>.*)", "{p} er utenfor gyldig område; "
     "bruk {a}"),
    (r"repeating every (?P<u>minute|second) is not supported for calendar entries; use "
     r"FREQ=HOURLY or coarser, or write the times as separate entries",
     "gjentakelse hvert {u} støttes ikke for kalenderoppføringer; bruk FREQ=HOURLY eller "
     "sjeldnere, eller skriv tidene som egne oppføringer"),
    (r"an all-day entry cannot repeat every hour; use FREQ=DAILY or coarser, or give the "
     r"entry a start time", "en heldagsoppføring kan ikke gjentas hver time; bruk "
     "FREQ=DAILY eller sjeldnere, eller gi oppføringen et starttidspunkt"),
    (r"BYEASTER is a python-dateutil extension, not RFC 5545, so calendar apps would not "
     r"show these dates; write them as separate entries", "BYEASTER er en utvidelse i "
     "python-dateutil, ikke RFC 5545, så kalenderapper ville ikke vise disse datoene; skriv "
     "dem som egne oppføringer"),
    (r"this repeat rule never produces a date: UNTIL \((?P<u>[^)]*)\) is before the start "
     r"\((?P<s>[^)]*)\); set UNTIL on or after the start", "denne gjentakelsesregelen gir "
     "aldri en dato: UNTIL ({u}) er før starten ({s}); sett UNTIL på eller etter starten"),
    (r"this repeat rule never produces a date: UNTIL \((?P<u>[^)]*)\) is before its first "
     r"date \((?P<f>[^)]*)\); move UNTIL later or check the rule", "denne "
     "gjentakelsesregelen gir aldri en dato: UNTIL ({u}) er før dens første dato ({f}); "
     "flytt UNTIL senere eller sjekk regelen"),
    (r"this repeat rule never produces a date \(none in the (?P<y>\d+) years from the "
     r"start\); check that its (?P<p>.*) can be met together", "denne gjentakelsesregelen "
     "gir aldri en dato (ingen i de {y} årene fra starten); sjekk at {p} kan oppfylles "
     "samtidig"),
    (r"this repeat rule never produces a date: (?P<m>.*) (?:has|have) no day (?P<d>[-\d or]+)"
     r"(?P<src> \(the start's day, used when BYMONTHDAY is not given\))?; check BYMONTH and "
     r"BYMONTHDAY", "denne gjentakelsesregelen gir aldri en dato: {m} har ingen dag {d}; "
     "sjekk BYMONTH og BYMONTHDAY"),
    (r"INTERVAL=(?P<i>\d+) is more than (?P<m>[\d,]+); .*", "INTERVAL={i} er mer enn {m}; "
     "en regel som gjentas så sjelden, gjentas aldri i en kalenders levetid: bruk et mindre "
     "INTERVAL, eller fjern 'repeat:'"),
    (r"COUNT=(?P<c>\d+) is more than the (?P<m>[\d,]+) dates a rule may have; .*",
     "COUNT={c} er mer enn de {m} datoene en regel kan ha; bruk en mindre COUNT, eller "
     "utelat COUNT for å gjenta uten slutt"),
    (r"UNTIL \((?P<u>[^)]*)\) is after (?P<y>\d+); leave UNTIL out to repeat without end",
     "UNTIL ({u}) er etter {y}; utelat UNTIL for å gjenta uten slutt"),
    (r"an all-day entry happens at most once a day; remove BYHOUR, BYMINUTE and BYSECOND, "
     r"or give the entry a start time", "en heldagsoppføring skjer høyst én gang om dagen; "
     "fjern BYHOUR, BYMINUTE og BYSECOND, eller gi oppføringen et starttidspunkt"),
    (r"this rule gives up to (?P<n>[\d,]+) times a day \((?P<h>[^)]*)\); a calendar shows at "
     r"most (?P<m>\d+) a day: .*", "denne regelen gir opptil {n} tider om dagen ({h}); en "
     "kalender viser høyst {m} om dagen: bruk færre verdier i BYHOUR, BYMINUTE eller "
     "BYSECOND, eller skriv tidene som egne oppføringer"),
    (r"date number (?P<n>[\d,]+) of this rule is in (?P<y>\d+), after (?P<m>\d+); .*",
     "dato nummer {n} i denne regelen er i {y}, etter {m}; bruk en mindre COUNT, eller "
     "utelat COUNT for å gjenta uten slutt"),
    (r"its dates run past (?P<m>\d+); use a smaller COUNT or INTERVAL",
     "datoene går forbi {m}; bruk en mindre COUNT eller INTERVAL"),
    (r"this rule gives more than (?P<m>[\d,]+) dates a year; .*",
     "denne regelen gir mer enn {m} datoer i året; en oppføring kan gjentas høyst {m} ganger "
     "i året (tre om dagen): bruk en grovere FREQ, en større INTERVAL eller færre BYDAY- "
     "eller BYHOUR-verdier, eller skriv egne oppføringer"),
    (r"this rule gives more than (?P<m>[\d,]+) dates before UNTIL; .*",
     "denne regelen gir mer enn {m} datoer før UNTIL; bruk en tidligere UNTIL eller en "
     "grovere FREQ, eller utelat UNTIL for å gjenta uten slutt"),
    (r"write one RRULE without the 'RRULE:' prefix", "skriv én RRULE uten 'RRULE:' foran"),
    (r"use COUNT or UNTIL, not both", "bruk COUNT eller UNTIL, ikke begge"),
    (r"INTERVAL must be 1 or more", "INTERVAL må være 1 eller mer"),
    (r"COUNT must be 1 or more", "COUNT må være 1 eller mer"),
    (r"for (?P<k>a timed|an all-day) entry, UNTIL must be (?P<e>.*)",
     "for en {k} må UNTIL være {e}"),
    # --- files calfeed extract reads
    (r"(?P<p>.+): file not found", "{p}: fant ikke filen"),
    (r"(?P<p>.+): not UTF-8 \((?P<why>.*)\); save it as UTF-8 text",
     "{p}: ikke UTF-8 ({why}); lagre den som UTF-8-tekst"),
    (r"(?P<p>.+): cannot read '(?P<s>[^']*)' files; use (?P<u>.*)",
     "{p}: kan ikke lese '{s}'-filer; bruk {u}"),
    (r"(?P<p>.+): not a readable (?P<k>PDF|\.docx) \((?P<why>.*)\)",
     "{p}: ikke en lesbar {k} ({why})"),
    # --- calfeed build's output folder
    (r"(?P<folder>.+) holds files that are not a calfeed export \(no (?P<marker>[^)]+)\); "
     r"`calfeed build` replaces its folder as a whole: give a new or empty folder",
     "{folder} har filer som ikke er en calfeed-eksport (ingen {marker}); `calfeed build` "
     "erstatter hele mappen: oppgi en ny eller tom mappe"),
    # --- text per language
    (r"'(?P<l>[^']*)' is not a language of this calendar \((?P<o>[^)]*)\); declare it in "
     r"'calendar: languages:', or correct it",
     "'{l}' er ikke et av kalenderens språk ({o}); legg det til under 'calendar: languages:', "
     "eller rett det"),
    (r"language '(?P<l>[^']*)' is listed twice; keep one", "språket '{l}' står to ganger; "
     "behold ett"),
    (r"the calendar's language '(?P<l>[^']*)' must be one of its languages; write "
     r"'languages: \[(?P<y>[^\]]*)\]'",
     "kalenderens språk '{l}' må være ett av språkene; skriv 'languages: [{y}]'"),
    (r"no '(?P<l>[^']*)' text \(the calendar's language, which the others fall back to\); "
     r"add '(?P=l): …'", "mangler tekst på '{l}' (kalenderens språk, som de andre faller "
     "tilbake til); legg til '{l}: …'"),
    (r"the '(?P<l>[^']*)' text (?P<inner>.+)", "teksten på '{l}' {inner}"),
    (r"'(?P<l>[^']*)' is not a language code; write e\.g\. '\{nb: …, en: …\}'",
     "'{l}' er ikke en språkkode; skriv f.eks. '{{nb: …, en: …}}'"),
    (r"is empty; write the text, or '\{nb: …, en: …\}' for one per language",
     "er tom; skriv teksten, eller '{{nb: …, en: …}}' for én per språk"),
    (r"no '(?P<l>[^']*)' text, though other fields of this entry have one; write "
     r"'(?P<f>[a-z]+): \{(?P<c>[a-z]+): …, (?P=l): …\}', or (?P=l) readers see the (?P=c) text",
     "mangler tekst på '{l}', selv om andre felt i oppføringen har det; skriv "
     "'{f}: {{{c}: …, {l}: …}}', ellers ser lesere på {l} teksten på {c}"),
    # --- a field name before a message: "title: must be a single line"
    (r"(?P<field>[a-z_]+(?:\.[a-z_0-9]+)*): (?P<inner>.+)", "{field}: {inner}"),
)

# Words inside messages that are values, not prose, translated where they stand in a template.
WORDS = {"type": "type", "status": "status", "language": "språk", "format": "format",
          "minute": "minutt", "second": "sekund", "a timed": "tidfestet oppføring",
          "an all-day": "heldagsoppføring", "no scheme": "ingen protokoll"}
# English inside a value part: lists ("April and June"), ranges ("1 to 12, or -1 (the last
# day) to -31"), examples ("a date like 20261105").
PHRASES = (
    (" and ", " og "), (" to ", " til "), (", or ", ", eller "), ("(the last day)", "(siste dag)"),
    ("(the last week)", "(siste uke)"), ("a UTC time like ", "et UTC-tidspunkt som "),
    ("a date like ", "en dato som "), ("parts", "delene"), (" with tag ", " med etikett "),
    (" or ", " eller "), ("any entry", "alle oppføringer"),
    *((en, nb) for en, nb in zip(
        ("January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"),
        ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
         "oktober", "november", "desember"), strict=True)),
)
