"""Plain text as safe HTML: every character escaped, http(s) addresses made into links.

Editors write descriptions as plain text; readers expect the addresses in them to be clickable.
Only http and https become links, so a ``javascript:`` or ``data:`` "link" stays inert text.
"""

from __future__ import annotations

import re
from html import escape

# An address runs until whitespace or a character that cannot be in one unescaped. Trailing
# punctuation is usually the sentence's, not the address's ("se https://x.no/a.").
_URL = re.compile(r"https?://[^\s<>\"'«»\x00-\x1f]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»'\""


def linkify(text: str) -> str:
    """Escape ``text`` for HTML and turn its http/https addresses into ``<a href>`` links."""
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        url = match.group(0)
        trimmed = url.rstrip(_TRAILING)
        # Keep a closing parenthesis that belongs to the address (Wikipedia-style "(x)").
        while url[len(trimmed):].startswith(")") and trimmed.count("(") > trimmed.count(")"):
            trimmed += ")"
        if "://" not in trimmed or trimmed.endswith("://"):
            continue
        out.append(escape(text[pos:match.start()]))
        out.append(link(trimmed, trimmed))
        pos = match.start() + len(trimmed)
    out.append(escape(text[pos:]))
    return "".join(out)


def link(href: str, text: str) -> str:
    """An ``<a>`` element with an escaped address and text."""
    return f'<a href="{escape(href, quote=True)}">{escape(text)}</a>'


def paragraphs(text: str) -> str:
    """Blank-line separated paragraphs as ``<p>``, single line breaks as ``<br>``, linkified."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())]
    return "".join(
        "<p>" + "<br>".join(linkify(line.strip()) for line in block.split("\n")) + "</p>"
        for block in blocks if block
    )
