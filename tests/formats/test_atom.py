"""Atom and RSS from the builder: what a feed reader shows, read back with feedparser."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from calfeed.formats.atom import atom, build_feed, render_entry, rss
from calfeed.formats.context import RenderContext
from calfeed.formats.select import Filter, newest_first, select
from calfeed.model import Snapshot
from calfeed.publish.keys import PieceMaker
from calfeed.store import load_snapshot
from tests.conftest import DATA, SHIPPED
from tests.formats.feedcheck import check_feed, parse

TODAY = date(2024, 8, 1)  # the day of tests.conftest.NOW
CTX = RenderContext("https://kalender.example.no", TODAY)
EN_CTX = RenderContext("https://events.example.org", TODAY)
BUILDERS = {"atom": atom, "rss": rss}
GOLDEN = Path(__file__).parent / "golden"
ATOM_NS = "{http://www.w3.org/2005/Atom}"

Publish = Callable[..., None]



def views(snapshot: Snapshot) -> list[Filter]:
    return [Filter(feed=name) for name in snapshot.feeds]


# --- every feed of the shipped data and of the fixture sets -------------------------------------


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_every_shipped_feed_reads_cleanly_and_matches_the_source(published, kind):
    snapshot = published(SHIPPED)
    for view in views(snapshot):
        body = BUILDERS[kind](snapshot, CTX, view).body
        parsed = check_feed(body, kind, snapshot, CTX, view)
        assert parsed.entries, f"feed {view.feed} is empty"
    everything = check_feed(BUILDERS[kind](snapshot, CTX, Filter()).body, kind, snapshot, CTX,
                            Filter())
    assert len(everything.entries) == len(snapshot.entries)


FIXTURES = sorted(p.name for p in DATA.glob("*.yaml"))  # every valid fixture set


@pytest.mark.parametrize("fixture", FIXTURES)
@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_every_fixture_feed_reads_cleanly_and_matches_the_source(published, fixture, kind):
    snapshot = published(fixture)
    for view in views(snapshot):
        check_feed(BUILDERS[kind](snapshot, EN_CTX, view).body, kind, snapshot, EN_CTX, view)


def test_a_cancelled_entry_is_announced_until_it_is_over(published):
    parsed = parse(atom(published("cancelled.yaml"), CTX, Filter()).body, "atom")
    items = {e.id.rsplit("/", 1)[1]: e for e in parsed.entries}
    assert items["avlyst-kommende"].title == \
        "17.–18. september 2024 · AVLYST: Konferanse som er avlyst"
    assert items["avlyst-frist"].title == "1. oktober 2024 · AVLYST: Frist: Trukket høring"
    assert "Status:</strong> Avlyst" in items["avlyst-kommende"].content[0].value
    assert "avlyst-i-dag" in items  # ends later today
    assert "avlyst-over" not in items
    assert "gjennomfort" in items  # held, not cancelled: stays inside past_days


def test_titles_put_the_date_first_in_the_calendars_language(published):
    parsed = parse(atom(published(SHIPPED), CTX, Filter()).body, "atom")
    titles = {e.id.rsplit("/", 1)[1]: e.title for e in parsed.entries}
    assert titles["rvts-ost-kurs-ungdom-utnyttet-2024"] == \
        "21.–22. august 2024 · Digitalt kurs «Ungdom utnyttet til kriminalitet»"
    assert titles["horing-krisesenterloven-2024"] == \
        "16. september 2024 · Frist: Forslag til endringer i krisesenterloven"
    # One item per recurring entry, dated by its next occurrence after today (1 August).
    assert titles["kom-rettsavgjorelser-oppdatering"] == \
        "31. august 2024 · Oppdatert oversikt over rettsavgjørelser om menneskehandel"
    # known only by its month: listed, and saying the day is not known
    assert titles["kom-nyhetsbrev"] == (
        "juli 2024, dato kommer · Nyhetsbrev fra KOM, april–juni 2024")


def test_an_entry_says_what_when_where_who_and_links_on_its_own(published):
    parsed = parse(atom(published("english_mixed_kinds.yaml"), EN_CTX, Filter()).body, "atom")
    items = {e.id.rsplit("/", 1)[1]: e for e in parsed.entries}

    webinar = items["new-york-webinar"]
    assert webinar.title == "2 October 2024 10:00–11:30 EDT · Webinar with the New York task force"
    html = webinar.content[0].value
    assert webinar.content[0].type == "text/html"
    # Its own zone, and the calendar's, so nobody has to convert.
    assert "2 October 2024 10:00–11:30 EDT (America/New_York) = " \
        "2 October 2024 16:00–17:30 CEST (Europe/Oslo)" in html
    assert '<a href="https://meet.example.org/ny-task-force">' in html
    assert '<a href="https://example.org/ny">More information</a>' in html
    assert '<a href="https://events.example.org/events/new-york-webinar">' in html
    assert '<a href="https://events.example.org/events/new-york-webinar.ics">' in html

    deadline = items["noon-deadline"]
    assert deadline.title == \
        "16 September 2024 12:00 CEST · Deadline: Proposed changes to the shelter act"
    assert "Due:</strong> 16 September 2024 12:00 CEST (Europe/Oslo)" in deadline.content[0].value
    assert "Issued by:</strong> Ministry of Children and Families" in deadline.content[0].value

    cancelled = items["cancelled-seminar"]
    assert cancelled.title == "12 September 2024 · CANCELLED: Seminar on labour exploitation"
    assert "Status:</strong> Cancelled" in cancelled.content[0].value
    assert "Where:</strong> Bergen" in cancelled.content[0].value
    assert "Status:</strong> Tentative" in items["two-day-conference"].content[0].value

    call = items["fortnightly-call"]
    assert call.title == "13 August 2024 14:00–15:00 CEST · Partner call"
    assert "Repeats every 2 weeks.</strong> Next: 13 August 2024 14:00–15:00 CEST, " \
        "27 August 2024 14:00–15:00 CEST, 10 September 2024 14:00–15:00 CEST." \
        in call.content[0].value

    # `published:` is the day it was announced, at midnight in the calendar's zone.
    assert items["oslo-workshop"].published == "2024-06-28T00:00:00+02:00"
    assert items["new-york-webinar"].published == "2024-08-01T10:00:00+00:00"  # first seen
    # Ended more than past_days (400) before today: out of the feed.
    assert "long-gone" not in items


# --- feed-level fields ------------------------------------------------------------------------


def test_feed_has_a_stable_tag_id_self_and_alternate_links_language_and_author(published):
    snapshot = published("english_mixed_kinds.yaml")
    view = Filter(feed="online", types=("webinar",), tags=("international",))
    body = atom(snapshot, EN_CTX, view).body
    feed = parse(body, "atom").feed
    # From uid_domain, not from the address it is served at.
    assert feed.id == "tag:events.example.org,2024:feed/online?type=webinar&tag=international"
    other_host = RenderContext("http://localhost:8000", TODAY)
    assert parse(atom(snapshot, other_host, view).body, "atom").feed.id == feed.id
    assert feed.title == "Online sessions (Webinar; tags: international)"
    links = {link.rel: link.href for link in feed.links}
    assert links["self"] == \
        "https://events.example.org/feeds/online.atom?type=webinar&tag=international"
    assert links["alternate"] == \
        "https://events.example.org/?feed=online&type=webinar&tag=international"
    assert feed.author_detail.name == "Partner office"
    assert feed.generator == "calfeed"
    root = etree.fromstring(body)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_rss_channel_links_the_page_and_itself(published):
    snapshot = published(SHIPPED)
    body = rss(snapshot, CTX, Filter(feed="frister")).body
    parsed = parse(body, "rss")
    assert parsed.feed.title == "Høringsfrister"
    assert parsed.feed.link == "https://kalender.example.no/?feed=frister"
    self_link = etree.fromstring(body).find(f"channel/{ATOM_NS}link")
    assert self_link is not None
    assert self_link.get("href") == "https://kalender.example.no/feeds/frister.rss"
    assert parsed.feed.ttl == "60"
    assert all(e.title.split(" · ", 1)[1].startswith("Frist: ") for e in parsed.entries)


def test_an_empty_view_is_still_a_valid_feed_dated_by_the_last_change(published):
    snapshot = published(SHIPPED)
    for kind, build in BUILDERS.items():
        doc = build(snapshot, CTX, Filter(tags=("finnes-ikke",)))
        parsed = parse(doc.body, kind)
        assert parsed.entries == []
        assert doc.updated == snapshot.changed_at


def test_at_most_feed_entries_newest_changes_first(published):
    published(SHIPPED)
    edited = SHIPPED.read_text(encoding="utf-8").replace(
        "title: Webinar «Rus, vold og utnyttelse»",
        "title: Webinar «Rus, vold og utnyttelse» (ny dato kommer)")
    later = datetime(2024, 8, 2, 9, 0, tzinfo=UTC)
    snapshot = published(edited, now=later)
    three = RenderContext(CTX.site_url, TODAY, feed_entries=3)
    for kind, build in BUILDERS.items():
        doc = build(snapshot, three, Filter())
        parsed = check_feed(doc.body, kind, snapshot, three, Filter())
        assert len(parsed.entries) == 3
        assert parsed.entries[0].title == \
            "14. november 2024 · Webinar «Rus, vold og utnyttelse» (ny dato kommer)"
        assert doc.updated == later


# --- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_text_that_looks_like_markup_arrives_as_text(published, kind):
    snapshot = published("markup_in_text.yaml")
    body = BUILDERS[kind](snapshot, CTX, Filter()).body
    # No markup of the editor's survives into the XML, in titles or content.
    assert b"<script" not in body
    assert b"<img" not in body
    assert b"<b>" not in body
    parsed = parse(body, kind)
    assert parsed.feed.title == "Kalender <b>fet</b> & «sitater»"
    items = {e.id.rsplit("/", 1)[1]: e for e in parsed.entries}
    seminar = items["script-i-tittel"]
    assert seminar.title == \
        '10. september 2024 10:00–12:30 CEST · <script>alert("tittel")</script> Seminar om A & B'
    html = seminar.content[0].value if kind == "atom" else seminar.description
    # The HTML a reader renders shows the characters, and has no element the editor typed.
    assert "Ta med PC &amp; lader. 3 &lt; 5 og 7 &gt; 2" in html
    assert "&lt;img src=x onerror=alert(1)&gt; er bare tekst." in html
    assert "Rom &lt;3&gt; &amp;" in html
    assert "O'Brien &amp; Co &lt;AS&gt;" in html or "O&#x27;Brien &amp; Co &lt;AS&gt;" in html
    assert '<a href="https://example.no/program?dag=1&amp;rom=2">' in html
    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert "<script" not in html and "<img" not in html

    # And in the document itself, before any sanitising: the HTML is escaped once more as XML.
    html_in_xml = _entry_html(body, kind, "script-i-tittel")
    assert "<script" not in html_in_xml.replace("&lt;script", "")
    assert "&lt;script&gt;" in html_in_xml or "&lt;script" in html_in_xml


def test_cdata_lookalikes_in_text_do_not_break_the_document(published):
    snapshot = published("markup_in_text.yaml")
    for kind, build in BUILDERS.items():
        parsed = parse(build(snapshot, CTX, Filter()).body, kind)
        deadline = next(e for e in parsed.entries if e.id.endswith("frist-med-tegn"))
        assert deadline.title == '20. september 2024 · Frist: Høring om "§ 1-2" & <forskrift>'
        html = deadline.content[0].value if kind == "atom" else deadline.description
        assert "]]&gt; eller &lt;![CDATA[x]]&gt;" in html
        assert '(<a href="https://example.no/svar">https://example.no/svar</a>)' in html


def _entry_html(body: bytes, kind: str, entry_id: str) -> str:
    """The content of one entry as it stands in the XML (still HTML, not yet rendered)."""
    root = etree.fromstring(body)
    if kind == "atom":
        for entry in root.iter(f"{ATOM_NS}entry"):
            if entry.findtext(f"{ATOM_NS}id", "").endswith(entry_id):
                return entry.findtext(f"{ATOM_NS}content", "")
    else:
        for item in root.iter("item"):
            if item.findtext("guid", "").endswith(entry_id):
                return item.findtext("description", "")
    raise AssertionError(f"{entry_id} not in feed")


# --- same data, same bytes --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_same_data_gives_the_same_bytes(published, engine, kind):
    snapshot = published(SHIPPED)
    first = BUILDERS[kind](snapshot, CTX, Filter()).body
    again = load_snapshot(engine)
    assert again is not None
    assert BUILDERS[kind](again, CTX, Filter()).body == first
    assert BUILDERS[kind](snapshot, CTX, Filter()).body == first


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_golden(published, kind):
    """The whole document, for review in a diff. CALFEED_UPDATE_GOLDEN=1 rewrites it."""
    body = BUILDERS[kind](published("english_mixed_kinds.yaml"), EN_CTX, Filter()).body
    path = GOLDEN / f"english_mixed_kinds.{kind}"
    if os.environ.get("CALFEED_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(body)
    assert path.exists(), f"no golden file {path}; run with CALFEED_UPDATE_GOLDEN=1"
    assert body == path.read_bytes()


# --- piece by piece -----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", [*FIXTURES, SHIPPED])
@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_rendering_entry_by_entry_equals_feedgens_whole_build(published, fixture, kind):
    """Feeds are spliced from per-entry pieces (cached per entry revision); the bytes must be
    exactly feedgen's, for every view, calendar language and filter."""
    snapshot = published(fixture)
    filtered = [Filter(types=("deadline",)), Filter(tags=("finnes-ikke",))]
    for ctx in (CTX, EN_CTX, RenderContext(CTX.site_url, TODAY, feed_entries=2)):
        for view in [*views(snapshot), *filtered]:
            whole = build_feed(snapshot, ctx, view, kind)
            assert BUILDERS[kind](snapshot, ctx, view).body == whole

            asked: list[list[str]] = []

            class Kept:
                """As the pipeline gives them: kept piece bytes, loaded back."""

                def many(self, asked_kind, chosen, ctx=ctx, asked=asked):
                    assert asked_kind == kind
                    asked.append([p.entry.id for p in chosen])
                    maker = PieceMaker(kind, snapshot.calendar, ctx, snapshot.calendar.language)
                    return [maker.load(maker.render(p)) for p in chosen]

                def item(self, *args):
                    raise AssertionError("a feed asked for a JSON item")

            pieces = Kept()

            assert BUILDERS[kind](snapshot, ctx, view, pieces).body == whole
            # The pieces were spliced in (not rendered anew beside them), once, newest first.
            assert asked == [[p.entry.id for p in
                              newest_first(select(snapshot, view, ctx.today))[:ctx.feed_entries]]]


def test_an_entry_piece_is_the_entry_as_it_stands_in_the_document(published):
    snapshot = published("markup_in_text.yaml")
    for kind, tag in (("atom", b"  <entry>"), ("rss", b"    <item>")):
        piece = render_entry(snapshot.entries[0], snapshot.calendar, CTX, kind)
        assert piece.startswith(tag + b"\n")
        assert piece.endswith(tag.replace(b"<", b"</") + b"\n")
        assert b"xmlns" not in piece  # the document declares the namespaces, once
        assert piece in BUILDERS[kind](snapshot, CTX, Filter()).body
