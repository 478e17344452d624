"""Test-side harness: real clients (ical.js, the `ical` parser, Chromium, newsboat, PostgreSQL)
and servers for calfeed's tests. Fixtures live in `tests.support.fixtures` (a pytest plugin)."""
