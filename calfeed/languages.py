"""An entry (feed, calendar) in one language: its text in that language where the editor gave
one, else the calendar's, and which fields fell back — so every output can mark them.

Pure: the model's types in, the model's types out. Every output format reads entry text
through :func:`localize`, so all of them fall back the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .model import TEXT_FIELDS, CalendarInfo, Entry, FeedDef, Snapshot, Texts


def text_in(texts: Texts, field: str, language: str) -> str | None:
    """The text of ``field`` in ``language``, if the editor gave one."""
    for lang, name, text in texts:
        if lang == language and name == field:
            return text
    return None


def languages_of(texts: Texts) -> tuple[str, ...]:
    """The other languages some text is given in, sorted."""
    return tuple(sorted({lang for lang, _, _ in texts}))


@dataclass(frozen=True, slots=True)
class Localized:
    """``entry`` with its text fields in the asked language; ``fallback`` names the fields
    whose text is still in ``source_language`` (the calendar's) because no translation exists."""

    entry: Entry
    language: str
    source_language: str
    fallback: tuple[str, ...] = ()

    def language_of(self, field: str) -> str:
        """The language the shown text of ``field`` is in."""
        return self.source_language if field in self.fallback else self.language


def localize(entry: Entry, language: str, calendar_language: str) -> Localized:
    """The entry as shown to a reader of ``language``.

    The calendar's own language is the entry as written (the same object: outputs without
    ``?lang=`` stay what they were). Any other language takes each text field's translation,
    and a field without one keeps the calendar's text and is named in ``fallback``.
    """
    if language == calendar_language:
        return Localized(entry, language, calendar_language)
    changes: dict[str, str] = {}
    fallback: list[str] = []
    for field in TEXT_FIELDS:
        if getattr(entry, field) is None:
            continue
        text = text_in(entry.translations, field, language)
        if text is None:
            fallback.append(field)
        else:
            changes[field] = text
    shown = replace(entry, **changes) if changes else entry  # type: ignore[arg-type]
    return Localized(shown, language, calendar_language, tuple(fallback))


def feed_in(feed: FeedDef, language: str,
            calendar_language: str) -> tuple[FeedDef, tuple[str, ...]]:
    """A named feed's title and description in ``language``, and the fields that fell back."""
    if language == calendar_language:
        return feed, ()
    changes, fallback = _texts(feed.translations, ("title", "description"),
                               {"title": feed.title, "description": feed.description}, language)
    return (replace(feed, **changes) if changes else feed), fallback  # type: ignore[arg-type]


def calendar_in(calendar: CalendarInfo, language: str) -> tuple[CalendarInfo, tuple[str, ...]]:
    """The calendar's title and description in ``language`` (labels follow ``language``
    too), and the fields that fell back to the calendar's language."""
    if language == calendar.language:
        return calendar, ()
    changes, fallback = _texts(calendar.translations, ("title", "description"),
                               {"title": calendar.title, "description": calendar.description},
                               language)
    return replace(calendar, **changes), fallback  # type: ignore[arg-type]


def _texts(texts: Texts, fields: tuple[str, ...], current: dict[str, str | None],
           language: str) -> tuple[dict[str, str], tuple[str, ...]]:
    changes: dict[str, str] = {}
    fallback: list[str] = []
    for field in fields:
        if current[field] is None:
            continue
        text = text_in(texts, field, language)
        if text is None:
            fallback.append(field)
        else:
            changes[field] = text
    return changes, tuple(fallback)


def partly_translated(entry: Entry) -> list[tuple[str, str]]:
    """(language, field) for each text field an entry has but did not translate into a
    language it translated another field into: the editor likely forgot it."""
    missing: list[tuple[str, str]] = []
    for language in languages_of(entry.translations):
        for field in TEXT_FIELDS:
            if getattr(entry, field) is not None \
                    and text_in(entry.translations, field, language) is None:
                missing.append((language, field))
    return missing


def snapshot_in(snapshot: Snapshot, language: str, *, pinned: bool = False) -> Snapshot:
    """Everything published, as a reader of ``language`` sees it: the calendar (whose
    ``language`` is then ``language``, so every label follows; ``written_in`` keeps its own),
    its feeds and entries with their text in ``language`` where given. The calendar's own
    language is the snapshot itself, so those outputs stay byte for byte what they were.

    Pieces and responses are kept under keys that include the calendar, so a view's are
    rendered once per revision, like the calendar's own.

    ``pinned``: the language was asked for by name (a page's ``?lang=``), so a page's links
    keep asking for it (``CalendarInfo.asked``); the calendar's own language is then the same
    text, as it always was."""
    own = snapshot.calendar.language
    if language == own:
        if not pinned:
            return snapshot
        return replace(snapshot, calendar=replace(snapshot.calendar, asked=True))
    calendar, _ = calendar_in(snapshot.calendar, language)
    calendar = replace(calendar, language=language, written_in=own, asked=pinned)
    feeds = {name: feed_in(feed, language, own)[0] for name, feed in snapshot.feeds.items()}
    entries = tuple(replace(p, entry=localize(p.entry, language, own).entry)
                    for p in snapshot.entries)
    # Tombstones too: a mirror's ``q`` matches them in the language it matches items in.
    removed = tuple(replace(r, entry=localize(r.entry, language, own).entry) if r.entry else r
                    for r in snapshot.removed)
    return replace(snapshot, calendar=calendar, feeds=feeds, entries=entries, removed=removed)


def is_view(calendar: CalendarInfo) -> bool:
    """Whether ``calendar`` is a view in another language than its own (``?lang=``)."""
    return calendar.written_in is not None and calendar.written_in != calendar.language


def fell_back(entry: Entry, field: str, calendar: CalendarInfo) -> str | None:
    """The language of ``field``'s text when it is not the output's (no translation: it is
    in the calendar's own language); None when it is in the output's language."""
    own = calendar.written_in
    if own is None or own == calendar.language or getattr(entry, field) is None:
        return None
    return own if text_in(entry.translations, field, calendar.language) is None else None


def feed_fell_back(feed: FeedDef, field: str, calendar: CalendarInfo) -> str | None:
    """Like ``fell_back``, for a feed's title or description ("all" has the calendar's)."""
    own = calendar.written_in
    if own is None or own == calendar.language or getattr(feed, field) is None:
        return None
    return own if text_in(feed.translations, field, calendar.language) is None else None


def fallbacks(entry: Entry, language: str, written_in: str) -> dict[str, str]:
    """Field → language, for each text field of an entry shown in ``language`` whose text
    has no translation and so is in ``written_in`` (the API's ``fallback``)."""
    return {field: written_in for field in TEXT_FIELDS
            if getattr(entry, field) is not None
            and text_in(entry.translations, field, language) is None}


def multilingual(snapshot: Snapshot) -> bool:
    """Whether the calendar is written in more than one language: it declares several, or
    gives some text per language. Only then do pages offer a language switch and
    ``/api/v1/feeds`` list each language's URLs (a calendar in one language keeps its
    outputs as they were; ``?lang=`` works on every calendar)."""
    cal = snapshot.calendar
    return bool(len(cal.languages) > 1 or cal.translations
                or any(f.translations for f in snapshot.feeds.values())
                or any(p.entry.translations for p in snapshot.entries))
