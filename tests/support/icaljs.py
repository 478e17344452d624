"""Parse iCalendar with Mozilla's ical.js (the parser in Thunderbird), run by node.

The document's own VTIMEZONEs are registered and used for every conversion to UTC, so this is
the check that our VTIMEZONE definitions are right (the `ical` package in strict_ical.py uses
the IANA database for known zone names instead). See tests/js/icaljs_parse.mjs for the output.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests.support.paths import JS_DIR, NODE_MODULES, NPM_HINT
from tests.support.require import require, require_executable

SCRIPT = JS_DIR / "icaljs_parse.mjs"


class IcaljsError(Exception):
    """ical.js rejected the document (the script exited with status 1)."""


def parse_with_icaljs(
    ics: bytes | str, window_from: str, window_to: str, *, timeout: float = 60.0
) -> dict[str, Any]:
    """Parse `ics` with ical.js; expand occurrences starting in [window_from, window_to).

    The window bounds are ISO 8601 dates ("2024-01-01", read as midnight UTC) or date-times with
    an offset ("2024-01-01T00:00:00Z"). Returns {"calendar": {...}, "timezones": [...],
    "events": [...]}: all-day values are "YYYY-MM-DD" (DTEND exclusive), timed values UTC
    instants "YYYY-MM-DDTHH:MM:SSZ". Raises IcaljsError with ical.js's message when the document
    does not parse, has a TZID without VTIMEZONE, or an impossible date.
    """
    node = require_executable("node", "apt-get install nodejs (Node 20+)")
    require(
        (NODE_MODULES / "ical.js" / "package.json").is_file(),
        f"tests/js/node_modules/ical.js not installed: {NPM_HINT}",
    )
    data = ics.encode("utf-8") if isinstance(ics, str) else ics
    proc = subprocess.run(
        [node, str(SCRIPT), "--from", window_from, "--to", window_to],
        input=data,
        capture_output=True,
        cwd=JS_DIR,
        timeout=timeout,
        check=False,
    )
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode == 1:
        raise IcaljsError(stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"icaljs_parse.mjs exited with {proc.returncode}: {stderr}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def events_by_uid(parsed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The parsed master events (no RECURRENCE-ID) keyed by UID; fails on duplicate UIDs."""
    result: dict[str, dict[str, Any]] = {}
    for event in parsed["events"]:
        if event["recurrence_id"] is not None:
            continue
        assert event["uid"] not in result, f"duplicate UID {event['uid']!r}"
        result[event["uid"]] = event
    return result
