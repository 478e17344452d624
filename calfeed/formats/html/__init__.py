"""The public web pages: view-models built from a snapshot, rendered with Jinja2, one module
per page (``listing``: the front page and the archive, ``entry``, ``errors``; ``items`` the
rows they share, ``common`` the environment and the page frame). Pure.

Every value reaches the templates as plain data and Jinja autoescapes it, so a title such as
``<b>Kurs</b>`` is shown as text; the only markup inserted unescaped is the JSON-LD, which
``jsonld.script_json`` has made safe for a ``<script>`` element.
"""

from .common import Assets, Link, Words, render
from .entry import entry_page
from .errors import error_page, no_such_page_message, not_found_message
from .items import Item, item
from .listing import filter_groups, index_page

__all__ = ["Assets", "Item", "Link", "Words", "entry_page", "error_page", "filter_groups",
           "index_page", "item", "no_such_page_message", "not_found_message", "render"]
