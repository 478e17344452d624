"""Plain description text as HTML a feed reader can show: escaped, with http(s) links."""

from __future__ import annotations

import pytest

from calfeed.formats.richtext import linkify, paragraphs


def test_everything_is_escaped():
    assert linkify('<b>A & "B"</b> \'c\'') == \
        "&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt; &#x27;c&#x27;"


def test_http_and_https_addresses_become_links():
    assert linkify("Se https://example.no/a?b=1&c=2 og http://x.no") == (
        'Se <a href="https://example.no/a?b=1&amp;c=2">https://example.no/a?b=1&amp;c=2</a>'
        ' og <a href="http://x.no">http://x.no</a>')


@pytest.mark.parametrize(("text", "url"), [
    ("Les https://example.no/side.", "https://example.no/side"),
    ("(se https://example.no/x)", "https://example.no/x"),
    ("«https://example.no/y»", "https://example.no/y"),
    ("https://en.wikipedia.org/wiki/Foo_(bar), ja", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ('"https://example.no/q"', "https://example.no/q"),
])
def test_the_sentence_keeps_its_punctuation(text, url):
    assert f'<a href="{url}">{url}</a>' in linkify(text)


@pytest.mark.parametrize("text", [
    "javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://example.no/f",
    "mailto:a@example.no", "https://", "https://.",
])
def test_only_http_and_https_are_links(text):
    assert "<a " not in linkify(text)
    assert "<script" not in linkify(text)


def test_an_address_cannot_break_out_of_its_attribute():
    html = linkify('https://example.no/"onmouseover="alert(1)')
    assert html.startswith('<a href="https://example.no/">')
    assert 'onmouseover="' not in html


def test_paragraphs_and_line_breaks():
    assert paragraphs("Første linje\nandre <linje>\n\n\nNytt avsnitt: https://x.no\n") == (
        "<p>Første linje<br>andre &lt;linje&gt;</p>"
        '<p>Nytt avsnitt: <a href="https://x.no">https://x.no</a></p>')
