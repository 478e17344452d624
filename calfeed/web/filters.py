"""Query parameters that choose a view (``?type=``, ``?tag=``, ``?source=``), shared by every
output."""

from __future__ import annotations

import re

from starlette.requests import Request

from ..formats.select import Filter
from ..model import TYPES, Snapshot
from .problems import HttpProblem, bad_parameter

_TAG = re.compile(r"^[a-z0-9æøåäöü]+(?:-[a-z0-9æøåäöü]+)*$")
_SOURCE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def view_from_query(request: Request, snapshot: Snapshot, feed: str = "all") -> Filter:
    """Read repeatable ``type`` and ``tag`` parameters (a comma list works too) into a Filter.

    Unknown types are a 400 naming the parameter; a well-formed tag that no entry has is a
    valid, empty view (the editor may add it later, and a subscription should keep working).
    """
    if feed not in snapshot.feeds:
        names = ", ".join(sorted(snapshot.feeds))
        raise HttpProblem(404, f"No feed named '{feed}'. Feeds: {names}")
    types = _values(request, "type")
    for value in types:
        if value not in TYPES:
            raise bad_parameter("type", f"'{value}' is not a type; use one of {', '.join(TYPES)}")
    tags = _values(request, "tag")
    for value in tags:
        if not _TAG.match(value):
            raise bad_parameter("tag", f"'{value}' is not a tag (lowercase words joined by '-')")
    sources = _values(request, "source")
    for value in sources:
        if not _SOURCE.match(value):
            raise bad_parameter("source", f"'{value}' is not a source name (lowercase letters, "
                                "digits and '-', as under 'sources:')")
    return Filter(feed=feed, types=tuple(sorted(set(types))), tags=tuple(sorted(set(tags))),
                  sources=tuple(sorted(set(sources))))


def _values(request: Request, name: str) -> list[str]:
    values: list[str] = []
    for raw in request.query_params.getlist(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values
