"""One entry point for reading a fetched body in its source's format."""

from __future__ import annotations

from datetime import datetime

from ..partners import PartnerSource
from .feeds import read_feed
from .ics import read_ics
from .items import Parsed
from .jsonld import read_jsonld
from .mapping import default_type


def read_body(source: PartnerSource, body: bytes, *, url: str, default_tz: str,
              now: datetime) -> Parsed:
    """Items of ``body``; raises MalformedError when the document as a whole is unreadable."""
    if source.format == "ics":
        return read_ics(body, default_tz=default_tz, now=now)
    if source.format in ("atom", "rss"):
        return read_feed(body, default_tz=default_tz, base_url=url,
                         deadlines=default_type(source) == "deadline")
    if source.format == "jsonld":
        return read_jsonld(body, default_tz=default_tz, page_url=url)
    raise ValueError(f"unknown format {source.format!r}")
