"""Atom 1.0 and RSS 2.0 for feed readers, from one feedgen builder. Pure: same data, same bytes.

Each entry's ``<entry>``/``<item>`` is rendered on its own (``render_entry``), so its bytes can
be cached per entry revision; ``atom``/``rss`` splice the pieces into the document feedgen
writes without entries, giving exactly the bytes of feedgen's whole build (``build_feed``),
which a test holds them to.

Ids are ``tag:`` URIs (RFC 4151) built from ``uid_domain``, never from the base URL, so moving
hosts (or to https) does not make every reader show every entry again. The date part of the tag
is fixed at ``TAG_DATE``: it only has to be a date when the authority owned the name, and
changing it would change every id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any, Literal
from urllib.parse import quote

from feedgen.feed import FeedEntry, FeedGenerator
from lxml import etree  # type: ignore[import-untyped]  # no stubs; used for two calls

from .. import __version__
from ..languages import feed_fell_back, fell_back, is_view
from ..localtime import local_midnight, zone
from ..model import CalendarInfo, FeedDef, Published, Snapshot
from ..recurrence import Occurrence, last_end, next_occurrences, occurrences, span_instants
from . import labels, urls
from .context import RenderContext
from .pieces import Pieces
from .richtext import link, linkify, paragraphs
from .select import Filter, newest_first, select

TAG_DATE = "2024"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
RSS_MEDIA_TYPE = "application/rss+xml; charset=utf-8"
NEXT_DATES = 3  # how many coming dates a recurring entry lists

# Characters XML 1.0 cannot carry at all; lxml refuses them, so drop them rather than fail.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class FeedDocument:
    body: bytes
    updated: datetime  # the feed's <updated>: newest change among its entries


ATOM_NS = "http://www.w3.org/2005/Atom"
# feedgen's namespaces for RSS, so an item serialised alone declares none of its own.
_RSS_NSMAP = {"atom": ATOM_NS, "content": "http://purl.org/rss/1.0/modules/content/"}
# Where entries go: feedgen appends them after every feed-level element.
_CLOSE = {"atom": b"</feed>\n", "rss": b"  </channel>\n</rss>\n"}


def atom(snapshot: Snapshot, ctx: RenderContext, view: Filter,
         pieces: Pieces | None = None) -> FeedDocument:
    """The Atom feed of ``view``; ``pieces`` gives its entries already rendered (None renders
    them here)."""
    return _document(snapshot, ctx, view, "atom", pieces)


def rss(snapshot: Snapshot, ctx: RenderContext, view: Filter,
        pieces: Pieces | None = None) -> FeedDocument:
    """The RSS feed of ``view``, like ``atom``."""
    return _document(snapshot, ctx, view, "rss", pieces)


def render_entry(published: Published, calendar: CalendarInfo, ctx: RenderContext,
                 ext: str) -> bytes:
    """One ``<entry>`` (``ext="atom"``) or ``<item>`` (``"rss"``) exactly as it stands, indented,
    in feedgen's pretty document: a piece of ``atom``/``rss``'s output.

    Depends on the entry's revision, the calendar, ``ctx.site_url`` and, for a recurring entry
    (its title names the next date), ``ctx.today``.
    """
    fe = _entry(published, calendar, ctx)
    # Serialised inside a skeleton of the document's own elements and namespaces, so lxml
    # indents it as deep as in the whole document and declares no namespace on it.
    if ext == "atom":
        root = etree.Element("feed", xmlns=ATOM_NS)
        root.append(fe.atom_entry())
        opening = b"<feed"
    else:
        root = etree.Element("rss", nsmap=_RSS_NSMAP, version="2.0")
        etree.SubElement(root, "channel").append(fe.rss_entry())
        opening = b"<channel>"
    out: bytes = etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=False)
    start = out.index(b">\n", out.index(opening)) + 2
    return out[start: len(out) - len(_CLOSE[ext])]


def build_feed(snapshot: Snapshot, ctx: RenderContext, view: Filter, ext: str) -> bytes:
    """The whole document from feedgen in one go (what ``atom``/``rss`` must equal)."""
    chosen, updated = _chosen(snapshot, ctx, view)
    fg = _head(snapshot, ctx, view, ext, updated)
    for published in chosen:
        # feedgen prepends by default, which would reverse our order.
        fg.add_entry(_entry(published, snapshot.calendar, ctx), order="append")
    return bytes(fg.atom_str(pretty=True) if ext == "atom" else fg.rss_str(pretty=True))


def _document(snapshot: Snapshot, ctx: RenderContext, view: Filter, ext: Literal["atom", "rss"],
              pieces: Pieces | None) -> FeedDocument:
    chosen, updated = _chosen(snapshot, ctx, view)
    fg = _head(snapshot, ctx, view, ext, updated)
    empty = bytes(fg.atom_str(pretty=True) if ext == "atom" else fg.rss_str(pretty=True))
    cut = len(empty) - len(_CLOSE[ext])
    assert empty[cut:] == _CLOSE[ext], "feedgen's document no longer ends as expected"
    entries = pieces.many(ext, chosen) if pieces is not None else \
        [render_entry(p, snapshot.calendar, ctx, ext) for p in chosen]
    return FeedDocument(b"".join((empty[:cut], *entries, empty[cut:])), updated)


# --- addresses and ids ---------------------------------------------------------------------


def feed_id(domain: str, view: Filter) -> str:
    """The feed's id: not a URL, so it stays when the site moves (RFC 4151)."""
    return urls.with_query(f"tag:{domain.lower()},{TAG_DATE}:feed/{quote(view.feed)}",
                           urls.view_params(view, feed=False))


def entry_id(domain: str, entry_id: str) -> str:
    return f"tag:{domain.lower()},{TAG_DATE}:entry/{quote(entry_id)}"


# --- the feed ---------------------------------------------------------------------------------


def _chosen(snapshot: Snapshot, ctx: RenderContext,
            view: Filter) -> tuple[list[Published], datetime]:
    chosen = newest_first(select(snapshot, view, ctx.today))[: ctx.feed_entries]
    # The newest change among the entries shown, so the same data always says the same thing.
    updated = max((p.last_modified for p in chosen), default=snapshot.changed_at)
    return chosen, updated


def _head(snapshot: Snapshot, ctx: RenderContext, view: Filter, ext: str,
          updated: datetime) -> FeedGenerator:
    """The feed without its entries."""
    cal = snapshot.calendar
    lang = cal.language
    feed = snapshot.feeds[view.feed]
    title = urls.feed_title(snapshot, view)
    fg = _Feed()
    fg.languages = _feed_languages(snapshot, view)
    fg.id(feed_id(cal.uid_domain, view))
    fg.title(_text(urls.reader_title(snapshot, view)))
    fg.subtitle(_text(feed.description or cal.description or title))
    fg.description(_text(feed.description or cal.description or title))  # RSS requires one
    fg.author({"name": _text(cal.author.name or cal.title),
               **({"email": _text(cal.author.email)} if cal.author.email else {})})
    if cal.author.email:
        name = f" ({_text(cal.author.name)})" if cal.author.name else ""
        fg.managingEditor(_text(cal.author.email) + name)
    # feedgen turns the last rel=alternate link into RSS's <link>, and rel=self into atom:link.
    # A view in another language (?lang=) is a document of its own: its links say so.
    in_lang = lang if is_view(cal) else None
    fg.link(href=urls.subscription_url(ctx, view, ext, lang=in_lang), rel="self",
            type=ATOM_MEDIA_TYPE.split(";")[0] if ext == "atom" else RSS_MEDIA_TYPE.split(";")[0])
    fg.link(href=ctx.url(urls.view_path("/", view, lang=in_lang)), rel="alternate",
            type="text/html")
    fg.language(lang)
    fg.generator("calfeed", version=__version__)
    fg.ttl(ctx.refresh_minutes)
    fg.updated(updated)  # feedgen defaults both <updated> and <lastBuildDate> to "now"
    fg.lastBuildDate(updated)
    return fg


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _feed_languages(snapshot: Snapshot, view: Filter) -> tuple[str | None, str | None]:
    """The language of the feed's title and of its subtitle where it is not the output's: in a
    view in another language (``?lang=``), a text with no translation is the calendar's own.
    (None, None) everywhere else, so the calendar's own feeds stay byte for byte the same."""
    cal = snapshot.calendar
    feed = snapshot.feeds[view.feed]
    own = FeedDef("all", cal.title, cal.description, translations=cal.translations)
    titled = own if view.feed == "all" else feed
    # the subtitle is the feed's description, else the calendar's, else the title (_head)
    described = feed if feed.description else own if cal.description else titled
    field = "description" if described.description else "title"
    return feed_fell_back(titled, "title", cal), feed_fell_back(described, field, cal)


class _Feed(FeedGenerator):  # type: ignore[misc]  # feedgen has no type hints
    """A feedgen feed whose own ``<title>`` and ``<subtitle>`` (Atom) or ``<title>`` and
    ``<description>`` (RSS) carry ``xml:lang`` when ``languages`` names theirs."""

    languages: tuple[str | None, str | None] = (None, None)

    def _create_atom(self, extensions: bool = True) -> Any:
        feed, doc = super()._create_atom(extensions)
        return _mark(feed, ("title", "{http://www.w3.org/2005/Atom}title"),
                     ("subtitle", "{http://www.w3.org/2005/Atom}subtitle"),
                     self.languages), doc

    def _create_rss(self, extensions: bool = True) -> Any:
        feed, doc = super()._create_rss(extensions)
        channel = feed.find("channel")
        if channel is not None:
            _mark(channel, ("title",), ("description",), self.languages)
        return feed, doc


def _mark(element: Any, title: tuple[str, ...], body: tuple[str, ...],
          languages: tuple[str | None, str | None]) -> Any:
    for names, language in zip((title, body), languages, strict=True):
        if language is None:
            continue
        for name in names:
            found = element.find(name)
            if found is not None:
                found.set(_XML_LANG, language)
                break
    return element


class _Entry(FeedEntry):  # type: ignore[misc]  # feedgen has no type hints
    """A feedgen entry whose ``<title>`` and ``<content>`` (Atom) or ``<title>`` and
    ``<description>`` (RSS) say their language with ``xml:lang``, as feed readers read it
    (feedparser's ``title_detail.language``): set only in a view in another language than the
    calendar's, so the calendar's own feeds stay as they were."""

    languages: tuple[str | None, str | None] = (None, None)

    def atom_entry(self, extensions: bool = True) -> Any:
        return self._mark(super().atom_entry(extensions), "content")

    def rss_entry(self, extensions: bool = True) -> Any:
        return self._mark(super().rss_entry(extensions), "description")

    def _mark(self, element: Any, body: str) -> Any:
        if self.languages == (None, None):  # the calendar's own output: nothing to mark
            return element
        for name, language in zip(("title", body), self.languages, strict=True):
            found = element.find(name)
            if language is not None and found is not None:
                found.set(_XML_LANG, language)
        return element


def _entry(published: Published, cal: CalendarInfo, ctx: RenderContext) -> FeedEntry:
    entry = published.entry
    lang = cal.language
    shown, coming = _dates(published, ctx, cal.timezone)

    fe = _Entry()
    if is_view(cal):
        # The body's words are the view's; text that fell back is marked inside it.
        fe.languages = (fell_back(entry, "title", cal) or lang, lang)
    fe.id(entry_id(cal.uid_domain, entry.id))
    fe.title(_text(f"{labels.entry_span(lang, entry, shown.start, shown.end)} · "
                   f"{labels.summary(entry, lang)}"))
    fe.link(href=urls.entry_url(ctx, entry.id), rel="alternate", type="text/html")
    fe.content(_text(_content(published, cal, ctx, shown, coming)), type="html")
    fe.published(local_midnight(entry.published, cal.timezone) if entry.published
                 else published.first_seen)
    fe.updated(published.last_modified)
    fe.category(term=entry.type, label=labels.type_label(lang, entry.type),
                scheme=ctx.url("/?type="))
    for tag in entry.tags:
        fe.category(term=tag, label=cal.tag_label(tag, lang), scheme=ctx.url("/?tag="))
    return fe


def _dates(published: Published, ctx: RenderContext,
           cal_tz: str) -> tuple[Occurrence, list[Occurrence]]:
    """The occurrence a title shows and, for a recurring entry, the coming ones.

    A recurring entry is one feed item; its title names the next date from today, or the last
    one when the rule has run out.
    """
    entry = published.entry
    if entry.repeat is None:
        return Occurrence(entry.start, entry.end), []
    coming = next_occurrences(entry, local_midnight(ctx.today, cal_tz), NEXT_DATES)
    if coming:
        return coming[0], coming
    end = last_end(entry)
    first = span_instants(entry.start, entry.end, entry.timezone)[0]
    past = occurrences(entry, first, end) if end is not None else []
    return (past[-1] if past else Occurrence(entry.start, entry.end)), []


# --- the entry's HTML -------------------------------------------------------------------------


def _content(published: Published, cal: CalendarInfo, ctx: RenderContext, shown: Occurrence,
             coming: list[Occurrence]) -> str:
    entry = published.entry
    lang = cal.language

    def row(key: str, html: str) -> str:
        return f"<p><strong>{labels.label(lang, key)}:</strong> {html}</p>"

    when = escape(labels.entry_span(lang, entry, shown.start, shown.end)) if entry.month_only \
        else _when(shown, entry.timezone, cal.timezone, lang)
    rows = [row("due" if entry.is_deadline else "when", when)]
    if entry.repeat is not None:
        rows.append(_repeats(entry.repeat, coming, lang))
    if entry.status != "confirmed":
        rows.append(row("status", labels.label(lang, entry.status)))
    if entry.location:
        rows.append(row("where", in_language(paragraphs_inline(entry.location),
                                             fell_back(entry, "location", cal))))
    if entry.online_url:
        rows.append(row("join_online", link(entry.online_url, entry.online_url)))
    if entry.organizer:
        rows.append(row("issuer" if entry.is_deadline else "organizer",
                        paragraphs_inline(entry.organizer)))
    if entry.source:
        original = f" · {link(entry.url, labels.label(lang, 'original'))}" if entry.url else ""
        rows.append(row("pulled_from", escape(entry.source) + original))
    if entry.description:
        rows.append(in_language(paragraphs(entry.description),
                                fell_back(entry, "description", cal), "div"))
    links = [link(urls.entry_url(ctx, entry.id), labels.label(lang, "entry_page")),
             link(urls.entry_ics_url(ctx, entry.id), labels.label(lang, "add_ics"))]
    if entry.url:
        links.append(link(entry.url, labels.label(lang, "more_info")))
    rows.append("<p>" + " · ".join(links) + "</p>")
    return "\n".join(rows)


def in_language(html: str, language: str | None, element: str = "span") -> str:
    """``html`` marked as being in ``language`` (text that had no translation), if any."""
    return f'<{element} lang="{language}">{html}</{element}>' if language else html


def paragraphs_inline(text: str) -> str:
    """A short field (place, organizer) with its links clickable; lines kept, no <p>."""
    return "<br>".join(linkify(line.strip()) for line in text.splitlines() if line.strip())


def _when(occ: Occurrence, entry_tz: str, cal_tz: str, lang: str) -> str:
    text = labels.format_span(lang, occ.start, occ.end)
    if isinstance(occ.start, datetime) and isinstance(occ.end, datetime):
        text += f" ({entry_tz})"
        if entry_tz != cal_tz:
            # A reader in the calendar's zone should not have to convert a New York time.
            start, end = span_instants(occ.start, occ.end, entry_tz)
            local = labels.format_span(lang, start.astimezone(zone(cal_tz)),
                                       end.astimezone(zone(cal_tz)))
            text += f" = {local} ({cal_tz})"
    return escape(text)


def _repeats(rule_text: str, coming: list[Occurrence], lang: str) -> str:
    words = labels.label(lang, "repeats")
    every = _every(rule_text, lang)
    if every:
        words += f" {every}"
    html = f"<p><strong>{escape(words)}.</strong>"
    if coming:
        dates = ", ".join(labels.format_span(lang, o.start, o.end) for o in coming)
        html += f" {labels.label(lang, 'next')}: {escape(dates)}."
    return html + "</p>"


def _every(rule_text: str, lang: str) -> str | None:
    """'hvert år', 'hver 2. uke' for a plain "every N units" rule; None when the rule picks
    particular days (the coming dates then show the pattern better than words would)."""
    parts = dict(p.split("=", 1) for p in rule_text.removeprefix("RRULE:").split(";") if "=" in p)
    if set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}:
        return None
    freq = parts.get("FREQ", "")
    if freq not in ("YEARLY", "MONTHLY", "WEEKLY", "DAILY"):
        return None
    interval = int(parts.get("INTERVAL", "1") or 1)
    if interval == 1:
        return labels.label(lang, f"every_{freq}")
    return labels.label(lang, f"every_n_{freq}").format(n=interval)


def _text(text: str) -> str:
    return _NOT_XML.sub("", text)

