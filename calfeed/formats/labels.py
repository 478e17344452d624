"""Words shown to people, in the calendar's language (nb or en). One table, every format."""

from __future__ import annotations

from datetime import date, datetime

from ..model import Entry, When

_LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "course": "Kurs", "conference": "Konferanse", "webinar": "Webinar",
        "seminar": "Seminar", "meeting": "Møte", "event": "Arrangement",
        "deadline": "Høringsfrist", "publication": "Publikasjon",
        "deadline_prefix": "Frist: ", "cancelled_prefix": "AVLYST: ",
        "tentative": "Foreløpig", "confirmed": "Bekreftet", "cancelled": "Avlyst",
        "organizer": "Arrangør", "issuer": "Avsender", "more_info": "Mer informasjon",
        "online": "Digitalt", "where": "Sted", "when": "Tid", "open": "Åpen",
        "closed": "Lukket", "days_left_one": "1 dag igjen", "days_left": "{n} dager igjen",
        "due_today": "Frist i dag", "all_day": "hele dagen", "repeats": "Gjentas",
        "next": "Neste", "month_only": "{month} {year}, dato kommer",
        # Atom/RSS entries (formats/atom.py)
        "due": "Frist", "status": "Status", "tags": "Emneord",
        "entry_page": "Vis i kalenderen", "add_ics": "Legg i egen kalender (.ics)",
        "join_online": "Delta digitalt",
        "pulled_from": "Hentet fra", "original": "originalen",
        "every_YEARLY": "hvert år", "every_MONTHLY": "hver måned", "every_WEEKLY": "hver uke",
        "every_DAILY": "hver dag", "every_n_YEARLY": "hvert {n}. år",
        "every_n_MONTHLY": "hver {n}. måned", "every_n_WEEKLY": "hver {n}. uke",
        "every_n_DAILY": "hver {n}. dag",
    },
    "en": {
        "course": "Course", "conference": "Conference", "webinar": "Webinar",
        "seminar": "Seminar", "meeting": "Meeting", "event": "Event",
        "deadline": "Consultation deadline", "publication": "Publication",
        "deadline_prefix": "Deadline: ", "cancelled_prefix": "CANCELLED: ",
        "tentative": "Tentative", "confirmed": "Confirmed", "cancelled": "Cancelled",
        "organizer": "Organizer", "issuer": "Issued by", "more_info": "More information",
        "online": "Online", "where": "Where", "when": "When", "open": "Open",
        "closed": "Closed", "days_left_one": "1 day left", "days_left": "{n} days left",
        "due_today": "Due today", "all_day": "all day", "repeats": "Repeats",
        "next": "Next", "month_only": "{month} {year}, date to be announced",
        # Atom/RSS entries (formats/atom.py)
        "due": "Due", "status": "Status", "tags": "Tags",
        "entry_page": "View in the calendar", "add_ics": "Add to your calendar (.ics)",
        "join_online": "Join online",
        "pulled_from": "Pulled from", "original": "the original",
        "every_YEARLY": "every year", "every_MONTHLY": "every month", "every_WEEKLY": "every week",
        "every_DAILY": "every day", "every_n_YEARLY": "every {n} years",
        "every_n_MONTHLY": "every {n} months", "every_n_WEEKLY": "every {n} weeks",
        "every_n_DAILY": "every {n} days",
    },
}

_MONTHS = {
    "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def label(language: str, key: str) -> str:
    return _LABELS.get(language, _LABELS["en"])[key]


def type_label(language: str, entry_type: str) -> str:
    return label(language, entry_type)


def month_name(language: str, month: int) -> str:
    return _MONTHS.get(language, _MONTHS["en"])[month - 1]


def summary(entry: Entry, language: str) -> str:
    """The title as calendars and feed readers show it: 'AVLYST: Frist: …'."""
    text = entry.title
    if entry.is_deadline and not entry.registration_for:  # "Påmeldingsfrist: …" says it
        text = label(language, "deadline_prefix") + text
    if entry.cancelled:
        text = label(language, "cancelled_prefix") + text
    return text


def days_left_text(language: str, days: int) -> str:
    if days == 0:
        return label(language, "due_today")
    if days == 1:
        return label(language, "days_left_one")
    return label(language, "days_left").format(n=days)


def format_day(language: str, day: date, *, with_year: bool = True) -> str:
    if language == "nb":
        text = f"{day.day}. {month_name(language, day.month)}"
    else:
        text = f"{day.day} {month_name(language, day.month)}"
    return f"{text} {day.year}" if with_year else text


def entry_span(language: str, entry: Entry, start: When, end: When) -> str:
    """An entry's dates as people write them; a month-only entry: 'juli 2024, dato kommer'."""
    if entry.month_only:
        assert not isinstance(start, datetime)
        return label(language, "month_only").format(
            month=month_name(language, start.month), year=start.year)
    return format_span(language, start, end)


def format_span(language: str, start: When, end: When) -> str:
    """People's way of writing a date range: '21.–22. august 2024', '10:00–12:00 CEST'."""
    if isinstance(start, datetime) and isinstance(end, datetime):
        day = format_day(language, start.date())
        if end.date() == start.date():
            if end == start:
                return f"{day} {start:%H:%M} {start.tzname()}"
            return f"{day} {start:%H:%M}–{end:%H:%M} {end.tzname()}"
        last = format_day(language, end.date())
        return f"{day} {start:%H:%M} – {last} {end:%H:%M} {end.tzname()}"
    assert not isinstance(start, datetime) and not isinstance(end, datetime)
    if start == end:
        return format_day(language, start)
    sep = ". " if language == "nb" else " "
    if (start.year, start.month) == (end.year, end.month):
        dot = "." if language == "nb" else ""
        return f"{start.day}{dot}–{end.day}{sep}{month_name(language, end.month)} {end.year}"
    if start.year == end.year:
        return f"{format_day(language, start, with_year=False)} – {format_day(language, end)}"
    return f"{format_day(language, start)} – {format_day(language, end)}"


# Words of the web pages (formats/html.py). Kept apart from the feed words above so the two
# can grow without touching each other's lines.
_PAGE_LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "page_upcoming": "Kommende", "page_archive": "Tidligere oppføringer",
        "page_archive_link": "Se tidligere oppføringer", "page_upcoming_link": "Se kommende",
        "page_nothing_upcoming": "Ingen kommende oppføringer i denne visningen.",
        "page_nothing_past": "Ingen tidligere oppføringer i denne visningen.",
        "page_filters": "Filtrer", "page_feeds": "Kalendere", "page_types": "Type",
        "page_tags": "Emne", "page_all": "Alle", "page_showing": "Viser",
        "page_subscribe": "Abonner på denne visningen",
        "page_subscribe_intro": "Legg visningen inn i kalenderen din én gang; endringer, "
                                "flyttinger og avlysninger kommer automatisk.",
        "page_calendar_url": "Kalenderadresse (https)",
        "page_webcal_url": "Kalenderadresse (webcal)",
        "page_copy": "Kopier", "page_copied": "Kopiert",
        "page_outlook": "Outlook",
        "page_outlook_office": "Outlook (jobb- eller skolekonto, Microsoft 365)",
        "page_outlook_live": "Outlook.com (personlig konto)",
        "page_google": "Google Kalender",
        "page_google_step1": "Åpne Google Kalender på en datamaskin og velg Andre kalendere → + → "
                             "Fra nettadresse, eller gå rett dit:",
        "page_google_step1_link": "Fra nettadresse i Google Kalender",
        "page_google_oneclick": "Eller prøv ettklikkslenken (Google godtar den ikke alltid)",
        "page_google_step2": "Lim inn denne adressen i feltet «Nettadressen til kalenderen»:",
        "page_google_step3": "Velg «Legg til kalender». Google henter endringer noen ganger "
                             "i døgnet.",
        "page_apple": "Apple Kalender og andre",
        "page_apple_link": "Åpne i kalenderappen (webcal)",
        "page_apple_hint": "Eller lim inn kalenderadressen under «Nytt kalenderabonnement».",
        "page_feeds_reader": "Nyhetsleser", "page_atom": "Atom-feed", "page_rss": "RSS-feed",
        "page_add_to_calendar": "Legg i kalenderen", "page_download_ics": "Last ned (.ics)",
        "page_google_add": "Google Kalender", "page_outlook_add": "Outlook (jobb eller skole)",
        "page_outlook_live_add": "Outlook.com",
        "page_back": "Tilbake til kalenderen", "page_type": "Type", "page_status": "Status",
        "page_tags_label": "Emner", "page_description": "Om", "page_online_link": "Digital lenke",
        "page_next_dates": "Neste datoer", "page_due": "Frist",
        "page_not_found": "Fant ikke siden", "page_bad_request": "Ugyldig lenke",
        "page_not_found_entry": "Det finnes ingen oppføring med id «{id}». Den kan være "
                                "fjernet, eller lenken kan være skrevet feil.",
        "page_not_found_feed": "Det finnes ingen kalender som heter «{name}».",
        "page_not_found_path": "Det finnes ingen side på denne adressen.",
        "page_try": "Prøv heller:", "page_front": "Forsiden med alle kommende oppføringer",
        "page_skip": "Hopp til innholdet", "page_footer": "Oppdatert",
        "page_view_all": "Hele kalenderen", "page_month_nav": "Måneder",
        "page_language": "Språk", "language_name": "Norsk (bokmål)",
        "page_subscribe_languages": "Abonnementet på andre språk",
    },
    "en": {
        "page_upcoming": "Upcoming", "page_archive": "Past entries",
        "page_archive_link": "See past entries", "page_upcoming_link": "See upcoming",
        "page_nothing_upcoming": "Nothing upcoming in this view.",
        "page_nothing_past": "No past entries in this view.",
        "page_filters": "Filter", "page_feeds": "Calendars", "page_types": "Type",
        "page_tags": "Topic", "page_all": "All", "page_showing": "Showing",
        "page_subscribe": "Subscribe to this view",
        "page_subscribe_intro": "Add this view to your calendar once; changes, moves and "
                                "cancellations arrive by themselves.",
        "page_calendar_url": "Calendar address (https)",
        "page_webcal_url": "Calendar address (webcal)",
        "page_copy": "Copy", "page_copied": "Copied",
        "page_outlook": "Outlook",
        "page_outlook_office": "Outlook (work or school account, Microsoft 365)",
        "page_outlook_live": "Outlook.com (personal account)",
        "page_google": "Google Calendar",
        "page_google_step1": "Open Google Calendar on a computer and choose Other calendars → + → "
                             "From URL, or go straight there:",
        "page_google_step1_link": "From URL in Google Calendar",
        "page_google_oneclick": "Or try the one-click link (Google does not always accept it)",
        "page_google_step2": "Paste this address into the “URL of calendar” field:",
        "page_google_step3": "Choose “Add calendar”. Google fetches changes a few times a day.",
        "page_apple": "Apple Calendar and others",
        "page_apple_link": "Open in your calendar app (webcal)",
        "page_apple_hint": "Or paste the calendar address under “New Calendar Subscription”.",
        "page_feeds_reader": "Feed reader", "page_atom": "Atom feed", "page_rss": "RSS feed",
        "page_add_to_calendar": "Add to calendar", "page_download_ics": "Download (.ics)",
        "page_google_add": "Google Calendar", "page_outlook_add": "Outlook (work or school)",
        "page_outlook_live_add": "Outlook.com",
        "page_back": "Back to the calendar", "page_type": "Type", "page_status": "Status",
        "page_tags_label": "Topics", "page_description": "About", "page_online_link": "Online link",
        "page_next_dates": "Next dates", "page_due": "Due",
        "page_not_found": "Page not found", "page_bad_request": "Invalid link",
        "page_not_found_entry": "There is no entry with the id “{id}”. It may have been "
                                "removed, or the link may be mistyped.",
        "page_not_found_feed": "There is no calendar called “{name}”.",
        "page_not_found_path": "There is no page at this address.",
        "page_try": "Try instead:", "page_front": "The front page with everything upcoming",
        "page_skip": "Skip to content", "page_footer": "Updated",
        "page_view_all": "The whole calendar", "page_month_nav": "Months",
        "page_language": "Language", "language_name": "English",
        "page_subscribe_languages": "This subscription in other languages",
    },
}
for _language, _words in _PAGE_LABELS.items():
    _LABELS[_language].update(_words)

# Paging of the long lists (``/page/2``, ``/archive/page/2``).
_PAGER_LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "page_pages": "Sider", "page_number": "Side {number} av {count}",
        "page_later": "Senere", "page_earlier": "Tidligere",
        "page_older": "Eldre", "page_newer": "Nyere",
        "page_continued": "fortsatt",
        "page_not_found_page": "Denne visningen har {count} sider, så det finnes ingen side "
                               "{number}. Listen kan ha blitt kortere siden lenken ble laget.",
        "page_not_found_one_page": "Denne visningen får plass på én side, så det finnes ingen "
                                   "side {number}.",
    },
    "en": {
        "page_pages": "Pages", "page_number": "Page {number} of {count}",
        "page_later": "Later", "page_earlier": "Earlier",
        "page_older": "Older", "page_newer": "Newer",
        "page_continued": "continued",
        "page_not_found_page": "This view has {count} pages, so there is no page {number}. "
                               "The list may have become shorter since the link was made.",
        "page_not_found_one_page": "This view fits on one page, so there is no page {number}.",
    },
}
for _language, _words in _PAGER_LABELS.items():
    _LABELS[_language].update(_words)

# Subscribers and partners: the month view, search, reminders, ended entries, the embed list.
_SUBSCRIBER_LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "weekday_0": "mandag", "weekday_1": "tirsdag", "weekday_2": "onsdag",
        "weekday_3": "torsdag", "weekday_4": "fredag", "weekday_5": "lørdag",
        "weekday_6": "søndag",
        "weekday_short_0": "man", "weekday_short_1": "tir", "weekday_short_2": "ons",
        "weekday_short_3": "tor", "weekday_short_4": "fre", "weekday_short_5": "lør",
        "weekday_short_6": "søn",
        "page_week": "Uke", "page_week_n": "Uke {n}", "page_day_of": "dag {n} av {count}",
        "page_month_view": "Månedsvisning", "page_list_view": "Listevisning",
        "page_prev_month": "Forrige måned", "page_next_month": "Neste måned",
        "page_month_empty": "Ingen oppføringer i {month} i denne visningen.",
        "page_month_count_one": "1 oppføring i {month}.",
        "page_month_count": "{n} oppføringer i {month}.",
        "page_today": "i dag",
        "page_search": "Søk", "page_search_label": "Søk i kalenderen",
        "page_search_results": "Treff på «{q}»", "page_search_clear": "Fjern søket",
        "page_ended": "Avsluttet", "page_ended_note": "Dette er over.",
        "page_latest_past": "Siste tidligere oppføringer",
        "page_reminder": "Med påminnelse én dag før",
        "page_reminder_intro": "Samme abonnement, med en påminnelse dagen før hver frist:",
        "page_filters_show": "Vis filtre",
        "page_data_changed": "Innholdet sist endret",
        "page_see_all": "Se hele kalenderen",
    },
    "en": {
        "weekday_0": "Monday", "weekday_1": "Tuesday", "weekday_2": "Wednesday",
        "weekday_3": "Thursday", "weekday_4": "Friday", "weekday_5": "Saturday",
        "weekday_6": "Sunday",
        "weekday_short_0": "Mon", "weekday_short_1": "Tue", "weekday_short_2": "Wed",
        "weekday_short_3": "Thu", "weekday_short_4": "Fri", "weekday_short_5": "Sat",
        "weekday_short_6": "Sun",
        "page_week": "Week", "page_week_n": "Week {n}", "page_day_of": "day {n} of {count}",
        "page_month_view": "Month view", "page_list_view": "List view",
        "page_prev_month": "Previous month", "page_next_month": "Next month",
        "page_month_empty": "Nothing in {month} in this view.",
        "page_month_count_one": "1 entry in {month}.",
        "page_month_count": "{n} entries in {month}.",
        "page_today": "today",
        "page_search": "Search", "page_search_label": "Search the calendar",
        "page_search_results": "Results for “{q}”", "page_search_clear": "Clear the search",
        "page_ended": "Ended", "page_ended_note": "This is over.",
        "page_latest_past": "Latest past entries",
        "page_reminder": "With a reminder one day before",
        "page_reminder_intro": "The same subscription, with a reminder the day before each "
                               "deadline:",
        "page_filters_show": "Show filters",
        "page_data_changed": "Content last changed",
        "page_see_all": "See the whole calendar",
    },
}
for _language, _words in _SUBSCRIBER_LABELS.items():
    _LABELS[_language].update(_words)
