"""The web pages from the builder: what a visitor sees, read back from the HTML."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.generate import generate
from calfeed.formats import html
from calfeed.formats.context import RenderContext
from calfeed.formats.paging import NoSuchPage
from calfeed.formats.select import Filter
from calfeed.model import Snapshot
from calfeed.source import load_source
from calfeed.store import load_snapshot
from tests.conftest import DATA, SHIPPED
from tests.formats.pagecheck import document, expected_upcoming, jsonld, listed_ids, months

TODAY = date(2024, 8, 1)  # the day of tests.conftest.NOW
CTX = RenderContext("https://kalender.example.no", TODAY)
GOLDEN = Path(__file__).parent / "golden"

Publish = Callable[..., None]



def entry_page(snapshot: Snapshot, entry_id: str, ctx: RenderContext = CTX) -> bytes:
    published = snapshot.entry(entry_id)
    assert published is not None
    return html.entry_page(snapshot, ctx, published)


# --- the front page ----------------------------------------------------------------------------


@pytest.mark.parametrize("source", [SHIPPED, DATA / "fixed.yaml", DATA / "english_mixed_kinds.yaml",
                                    DATA / "cancelled.yaml"])
def test_front_page_lists_what_has_not_ended_under_its_month(published, source):
    snapshot = published(source)
    shown = {heading: [s.id for s in entries]
             for heading, entries in months(html.index_page(snapshot, CTX, Filter())).items()}
    assert shown == expected_upcoming(load_source(source).source, TODAY)


def test_front_page_of_the_fixed_set(published):
    shown = months(html.index_page(published("fixed.yaml"), CTX, Filter()))
    assert {h: [s.id for s in e] for h, e in shown.items()} == {
        "August 2024": ["kurs-ungdom-utnyttet", "rettsavgjorelser"],
        "September 2024": ["horing-krisesenterloven", "konferanse-avlyst"],
        "Oktober 2024": ["horing-kl-12", "ukemote", "fagdag-oslo"],
        "November 2024": ["webinar-new-york"],
    }
    by_id = {s.id: s for entries in shown.values() for s in entries}
    # A recurring entry shows its next occurrence, not its first (2024-04-30).
    assert by_id["rettsavgjorelser"].datetime == "2024-08-31"
    assert by_id["ukemote"].datetime == "2024-10-17T10:00:00+02:00"
    assert by_id["webinar-new-york"].datetime == "2024-11-04T10:00:00-05:00"
    assert by_id["horing-krisesenterloven"].badges == ("Høringsfrist", "Åpen", "46 dager igjen")
    assert by_id["konferanse-avlyst"].badges == ("Konferanse", "Avlyst")
    assert by_id["fagdag-oslo"].badges == ("Seminar", "Foreløpig")
    # An entry in another zone also gives its time here.
    page = document(html.index_page(published("fixed.yaml"), CTX, Filter()))
    when = page.cssselect('li:has(a[href="/events/webinar-new-york"]) .when')[0]
    assert when.text_content() == \
        "4. november 2024 10:00–11:30 EST (16:00–17:30 CET)"


def test_a_cancelled_entry_is_struck_through_with_its_label(published):
    page = document(html.index_page(published("cancelled.yaml"), CTX, Filter()))
    item = page.cssselect('li.entry.cancelled:has(a[href="/events/avlyst-kommende"])')[0]
    assert item.cssselect("h3 del")[0].text_content() == "Konferanse som er avlyst"
    assert "Avlyst" in item.cssselect(".badges")[0].text_content()
    # Once over, a cancelled entry is noise: it is neither upcoming nor archived.
    archive = html.index_page(published("cancelled.yaml"), CTX, Filter(), archive=True)
    assert "avlyst-over" not in listed_ids(archive)
    assert listed_ids(archive) == ["gjennomfort"]


def test_deadlines_say_how_many_days_are_left_until_closed(published):
    snapshot = published(SHIPPED)
    on = {s.id: s.badges for e in months(html.index_page(snapshot, CTX, Filter())).values()
          for s in e}
    # this deadline's date is uncertain (the newsletter gives two), and the page says so
    assert on["horing-lov-kommisjon-partnerdrap-2024"] == ("Høringsfrist", "Foreløpig", "Åpen",
                                                            "14 dager igjen")
    due_day = RenderContext(CTX.site_url, date(2024, 8, 15))
    on = {s.id: s.badges for e in months(html.index_page(snapshot, due_day, Filter())).values()
          for s in e}
    assert on["horing-lov-kommisjon-partnerdrap-2024"] == ("Høringsfrist", "Foreløpig", "Åpen",
                                                            "Frist i dag")
    past = months(html.index_page(snapshot, CTX, Filter(), archive=True))
    closed = {s.id: s.badges for e in past.values() for s in e}
    assert closed["horing-barnevernsloven-kvalitetsreform-2024"] == ("Høringsfrist", "Lukket")


def test_the_archive_lists_past_entries_newest_first(published):
    snapshot = published(SHIPPED)
    body = html.index_page(snapshot, CTX, Filter(), archive=True)
    headings = list(months(body))
    assert headings[0] == "Juli 2024" and headings[-1] == "April 2024"
    starts = [s.datetime for e in months(body).values() for s in e]
    assert starts == sorted(starts, reverse=True)
    assert not set(listed_ids(body)) & set(listed_ids(html.index_page(snapshot, CTX, Filter())))


def test_an_english_calendar_gets_english_words(published):
    snapshot = published("english_mixed_kinds.yaml")
    ctx = RenderContext("https://events.example.org", TODAY)
    page = document(html.index_page(snapshot, ctx, Filter()))
    assert page.get("lang") == "en"
    assert page.cssselect("#subscribe-heading")[0].text_content() == "Subscribe to this view"
    assert list(months(html.index_page(snapshot, ctx, Filter()))) == [
        "August 2024", "September 2024", "October 2024", "November 2024"]
    nb = document(html.index_page(published(SHIPPED), CTX, Filter()))
    assert nb.get("lang") == "nb"


# --- long lists ---------------------------------------------------------------------------------


def pager_of(body: bytes) -> tuple[str, list[tuple[str, str, str]]]:
    """(status, [(rel, text, href)]) of a page's pager."""
    nav = document(body).cssselect("nav.pager")[0]
    return (nav.cssselect(".pager-status")[0].text_content(),
            [(a.get("rel"), a.text_content(), a.get("href")) for a in nav.cssselect("a")])


def test_a_long_list_is_paged_and_the_links_name_the_months_they_lead_to(published):
    snapshot = published(generate(300))
    first = html.index_page(snapshot, CTX, Filter())
    second = html.index_page(snapshot, CTX, Filter(), page=2)
    assert len(listed_ids(first)) == 100
    assert pager_of(first) == ("Side 1 av 3", [
        ("next", "Senere: august 2025 – juni 2026 →", "/page/2")])
    assert pager_of(second) == ("Side 2 av 3", [
        ("prev", "← Tidligere: august 2024 – juli 2025", "/"),
        ("next", "Senere: juli – august 2026 →", "/page/3")])
    page = document(second)
    assert document(first).cssselect("nav.pager")[0].get("aria-label") == "Sider"
    heads = page.cssselect("head link[rel=prev], head link[rel=next]")
    assert [(link.get("rel"), link.get("href")) for link in heads] == [
        ("prev", "https://kalender.example.no/"), ("next", "https://kalender.example.no/page/3")]
    assert page.cssselect('link[rel="canonical"]')[0].get("href") == \
        "https://kalender.example.no/page/2"
    assert page.cssselect("title")[0].text_content().endswith(" – Side 2 av 3")
    assert not set(listed_ids(first)) & set(listed_ids(second))


def test_the_archive_pages_run_back_in_time_in_english_too(published):
    snapshot = published(generate(500).replace("language: nb", "language: en"))
    first = html.index_page(snapshot, CTX, Filter(), archive=True)
    second = html.index_page(snapshot, CTX, Filter(), archive=True, page=2)
    assert pager_of(first) == ("Page 1 of 2", [
        ("next", "Older: October 2023 – January 2024 →", "/archive/page/2")])
    assert pager_of(second) == ("Page 2 of 2", [
        ("prev", "← Newer: February – July 2024", "/archive")])
    assert document(second).cssselect("nav.pager")[0].get("aria-label") == "Pages"


def test_pager_links_keep_the_view(published):
    snapshot = published(generate(500))
    view = Filter(feed="arrangementer", types=("conference", "course"))
    _, links = pager_of(html.index_page(snapshot, CTX, view))
    assert links[0][2] == "/page/2?feed=arrangementer&type=conference&type=course"
    # Choosing another filter starts at the first page again.
    page = document(html.index_page(snapshot, CTX, view, page=2))
    assert all(not a.get("href").startswith("/page/") for a in page.cssselect(".filters a"))


def test_a_short_list_has_no_pager_and_no_page_two(published):
    snapshot = published(SHIPPED)
    page = document(html.index_page(snapshot, CTX, Filter()))
    assert not page.cssselect("nav.pager, link[rel=next], link[rel=prev]")
    with pytest.raises(NoSuchPage) as missing:
        html.index_page(snapshot, CTX, Filter(), page=2)
    assert (missing.value.number, missing.value.count) == (2, 1)
    assert html.no_such_page_message("en", missing.value) == \
        "This view fits on one page, so there is no page 2."


def test_golden_pager(published):
    """The pager of page 2, in the head and below the list. CALFEED_UPDATE_GOLDEN=1 rewrites."""
    body = html.index_page(published(generate(300)), CTX, Filter(), page=2).decode()
    head = [line for line in body.splitlines() if line.startswith(('<link rel="prev"',
                                                                    '<link rel="next"'))]
    nav = body[body.index('    <nav class="pager"'):body.index("</nav>", body.index("pager"))]
    compare_golden("pager_page_2.html", "\n".join(head).encode() + b"\n" + nav.encode()
                   + b"</nav>\n")


# --- filters and the subscribe panel ------------------------------------------------------------


def test_filter_links_are_plain_shareable_urls(published):
    page = document(html.index_page(published(SHIPPED), CTX, Filter(types=("course",))))
    links = {a.text_content(): a.get("href") for a in page.cssselect(".filters a")}
    assert links["Høringsfrister"] == "/?feed=frister"
    assert links["Webinar"] == "/?type=webinar"
    # a tag shows its label (shipped vocabulary) and keeps the chosen type
    assert links["Ungdom"] == "/?type=course&tag=ungdom"
    current = [a.text_content() for a in page.cssselect('.filters a[aria-current="page"]')]
    assert current == ["Kurs", "Alle"]  # the type, and "all tags"


@pytest.mark.parametrize(("view", "ics", "atom"), [
    (Filter(), "/calendar.ics", "/feed.atom"),
    (Filter(types=("deadline",), tags=("barn", "horing")),
     "/calendar.ics?type=deadline&tag=barn&tag=horing",
     "/feed.atom?type=deadline&tag=barn&tag=horing"),
    (Filter(feed="frister"), "/feeds/frister.ics", "/feeds/frister.atom"),
    (Filter(feed="moter", tags=("nordisk",)), "/feeds/moter.ics?tag=nordisk",
     "/feeds/moter.atom?tag=nordisk"),
])
def test_the_subscribe_panel_offers_the_current_view(published, view, ics, atom):
    page = document(html.index_page(published(SHIPPED), CTX, view))
    https = CTX.url(ics)
    assert page.cssselect("#url-https")[0].get("value") == https
    assert page.cssselect("#url-webcal")[0].get("value") == "webcal://" + https[len("https://"):]
    # (The shipped data is in two languages, so the page also links its English version.)
    alternates = {link.get("type"): link.get("href")
                  for link in page.cssselect('link[rel="alternate"]:not([hreflang])')}
    assert alternates == {"text/calendar": https, "application/atom+xml": CTX.url(atom),
                          "application/rss+xml": CTX.url(atom).replace(".atom", ".rss")}
    for host in ("outlook.office.com", "outlook.live.com"):
        outlook = page.cssselect(f'#subscribe a[href^="https://{host}/"]')[0].get("href")
        assert parse_qs(urlsplit(outlook).query)["url"] == [https]
    google = page.cssselect('#subscribe a[href*="cid="]')[0].get("href")
    assert parse_qs(urlsplit(google).query)["cid"] == ["webcal://" + https[len("https://"):]]
    assert https in page.cssselect("#subscribe ol.steps code")[0].text_content()


# --- one entry ----------------------------------------------------------------------------------


def test_entry_page_has_everything_and_add_to_calendar_links(published):
    snapshot = published("fixed.yaml")
    page = document(entry_page(snapshot, "kurs-ungdom-utnyttet"))
    assert page.cssselect("h1")[0].text_content() == "Ungdom utnyttet til kriminalitet"
    facts = dict(zip([dt.text_content() for dt in page.cssselect("dl.facts dt")],
                     [dd.text_content().strip() for dd in page.cssselect("dl.facts dd")],
                     strict=True))
    assert facts == {"Tid": "21.–22. august 2024", "Sted": "Digitalt", "Arrangør": "RVTS Øst",
                     "Mer informasjon": "https://rvts.example.no/kurs/ungdom",
                     "Emner": "ungdomutnyttelse"}
    hrefs = [a.get("href") for a in page.cssselect("section.add a")]
    assert hrefs[0] == "/events/kurs-ungdom-utnyttet.ics"
    google = parse_qs(urlsplit(hrefs[1]).query)
    assert google["dates"] == ["20240821/20240823"]  # all-day: exclusive end
    assert google["text"] == ["Ungdom utnyttet til kriminalitet"]
    outlook = parse_qs(urlsplit(hrefs[2]).query)
    assert outlook["startdt"] == ["2024-08-21"] and outlook["allday"] == ["true"]
    assert urlsplit(hrefs[3]).netloc == "outlook.live.com"


def test_a_recurring_entry_adds_its_next_occurrence_and_lists_the_following(published):
    page = document(entry_page(published("fixed.yaml"), "ukemote"))
    assert page.cssselect("dl.facts time")[0].get("datetime") == "2024-10-17T10:00:00+02:00"
    nexts = [li.text_content() for li in page.cssselect("dl.facts ul.plain li")]
    assert nexts == ["17. oktober 2024 10:00–11:00 CEST", "24. oktober 2024 10:00–11:00 CEST",
                     "31. oktober 2024 10:00–11:00 CET", "7. november 2024 10:00–11:00 CET"]
    google = page.cssselect("section.add a")[1].get("href")
    assert parse_qs(urlsplit(google).query)["dates"] == ["20241017T080000Z/20241017T090000Z"]


def test_a_deadline_names_who_issued_it_and_when_it_is_due(published):
    page = document(entry_page(published("fixed.yaml"), "horing-kl-12"))
    terms = [dt.text_content() for dt in page.cssselect("dl.facts dt")]
    assert terms[0] == "Frist" and "Avsender" in terms
    assert page.cssselect("dl.facts time")[0].text_content() == "1. oktober 2024 12:00 CEST"
    assert "61 dager igjen" in page.cssselect(".badges")[0].text_content()


def test_markup_in_the_source_is_shown_as_text_everywhere(published):
    snapshot = published("markup_in_text.yaml")
    ctx = RenderContext("https://kalender.example.no", TODAY)
    for body in (html.index_page(snapshot, ctx, Filter()),
                 html.index_page(snapshot, ctx, Filter(), archive=True),
                 entry_page(snapshot, "script-i-tittel", ctx),
                 entry_page(snapshot, "frist-med-tegn", ctx)):
        page = document(body)
        scripts = [s.get("type") or s.get("src") for s in page.iter("script")]
        assert all(s == "application/ld+json" or s.startswith("/static/page.js")
                   for s in scripts), scripts
        assert not page.cssselect("img, b, i, forskrift, AS")
        assert b"<script>alert" not in body and b"<img src=x" not in body
    page = document(entry_page(snapshot, "script-i-tittel", ctx))
    assert page.cssselect("h1")[0].text_content() == \
        '<script>alert("tittel")</script> Seminar om A & B'
    assert page.cssselect("title")[0].text_content().startswith('<script>alert("tittel")')
    description = page.cssselect("section.description")[0]
    assert "<img src=x onerror=alert(1)> er bare tekst." in description.text_content()
    # Only http(s) addresses become links.
    assert [a.get("href") for a in description.cssselect("a")] == [
        "https://example.no/program?dag=1&rom=2"]
    assert jsonld(entry_page(snapshot, "script-i-tittel", ctx))["name"] == \
        '<script>alert("tittel")</script> Seminar om A & B'


def test_same_data_same_bytes(published, engine):
    snapshot = published(SHIPPED)
    again = load_snapshot(engine)  # the same data read anew, not the same objects
    assert again is not None and again is not snapshot
    assert html.index_page(snapshot, CTX, Filter()) == html.index_page(snapshot, CTX, Filter())
    assert html.index_page(again, CTX, Filter()) == html.index_page(snapshot, CTX, Filter())
    assert entry_page(snapshot, "rosa-konferanse-menneskehandel-2024") == \
        entry_page(snapshot, "rosa-konferanse-menneskehandel-2024")
    assert entry_page(again, "rosa-konferanse-menneskehandel-2024") == \
        entry_page(snapshot, "rosa-konferanse-menneskehandel-2024")


def test_error_page_works_before_any_data_exists():
    page = document(html.error_page(None, status=404, message="Nothing here."))
    assert page.cssselect("h1")[0].text_content() == "Page not found"
    assert [a.get("href") for a in page.cssselect("main a")] == ["/", "/archive"]


# --- whole documents, for review in a diff --------------------------------------------------------


@pytest.mark.parametrize(("name", "render"), [
    ("index_fixed.html", lambda s: html.index_page(s, CTX, Filter())),
    ("entry_fixed_webinar.html",
     lambda s: html.entry_page(s, CTX, s.entry("webinar-new-york"))),
])
def test_golden(published, name, render):
    """CALFEED_UPDATE_GOLDEN=1 rewrites the file."""
    compare_golden(name, render(published("fixed.yaml")))


def compare_golden(name: str, body: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("CALFEED_UPDATE_GOLDEN") == "1":
        path.write_bytes(body)
    assert path.exists(), f"no golden file {path}; run with CALFEED_UPDATE_GOLDEN=1"
    assert body == path.read_bytes()


def test_days_left_badge_stands_on_its_own_line(published):
    """The days-left badge is indented like the badges before it, and ``</p>`` follows on its
    own line (it was once written unindented with ``</p>`` glued after it)."""
    snapshot = published("fixed.yaml")
    pages = [html.index_page(snapshot, CTX, Filter()).decode(),
             html.entry_page(snapshot, CTX, snapshot.entry("horing-krisesenterloven")).decode()]
    for text in pages:
        lines = text.splitlines()
        at = [i for i, line in enumerate(lines) if 'class="days-left"' in line]
        assert at
        for i in at:
            indent = lines[i - 1][: len(lines[i - 1]) - len(lines[i - 1].lstrip())]
            assert lines[i] == f'{indent}{lines[i].strip()}'
            assert lines[i].strip().endswith("</span>")
            assert lines[i + 1].strip() == "</p>"
