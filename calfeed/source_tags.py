"""The tag vocabulary of ``events.yaml`` (``tags:`` at the top level: slug: {nb: …, en: …}),
and the check that, once there is one, every tag used is declared in it.

A part of the reader (``source.py``), placing its findings like the rest (``located.py``).
"""

from __future__ import annotations

import difflib
from typing import Any

from . import schema
from . import validators as v
from .located import Located, Path_


class TagVocabulary(Located):
    """Reads ``tags:`` and checks the tags of feeds, sources and entries against it."""

    def _vocabulary(self, value: Any, written: bool) -> dict[str, tuple[str, str]] | None:
        """``tags:`` — slug: {nb: …, en: …}; None when the file declares no vocabulary."""
        if not written:
            return None
        if not isinstance(value, dict):
            self._at(("tags",), "expected a mapping of 'key: value' lines here")
            return {}
        found: dict[str, tuple[str, str]] = {}
        for slug, raw in value.items():
            try:
                v.tag(slug)
            except v.Invalid as exc:
                self._key(("tags", slug), str(exc))
                continue
            labels = self._check(schema.TAG_LABELS, raw, ("tags", slug), f"tags.{slug}")
            if labels is None:
                continue
            if labels.nb is None and labels.en is None:
                self._key(("tags", slug), f"tag '{slug}' needs a label: write "
                          f"'{slug}: {{nb: …, en: …}}'")
                continue
            nb = labels.nb or labels.en
            found[slug] = (nb, labels.en or nb)
        return found

    def _undeclared_tags(self, vocabulary: dict[str, tuple[str, str]], data: dict[str, Any]
                         ) -> None:
        """With a vocabulary, a tag it does not declare is a typo until declared."""
        lists: list[tuple[Path_, Any]] = []
        entries = data.get("entries")
        for section in ("feeds", "sources"):  # a partner source's tags go on its entries
            mapping = data.get(section)
            if isinstance(mapping, dict):
                lists += [((section, name, "tags"), item.get("tags"))
                          for name, item in mapping.items() if isinstance(item, dict)]
        if isinstance(entries, list):
            lists += [(("entries", i, "tags"), entry.get("tags"))
                      for i, entry in enumerate(entries) if isinstance(entry, dict)]
        for path, tags in lists:
            for position, tag in enumerate(tags if isinstance(tags, list) else []):
                if not isinstance(tag, str) or tag in vocabulary:
                    continue
                close = difflib.get_close_matches(tag, sorted(vocabulary), n=1, cutoff=0.6)
                if close:
                    message = (f"unknown tag '{tag}' — did you mean '{close[0]}'? "
                               "Or declare it under 'tags:'")
                else:
                    message = (f"unknown tag '{tag}'; declare it under 'tags:' "
                               f"(declared: {', '.join(sorted(vocabulary)) or 'none'})")
                self._at((*path, position), message)
