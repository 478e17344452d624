"""Where the harness finds its files."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
JS_DIR = REPO_ROOT / "tests" / "js"
NODE_MODULES = JS_DIR / "node_modules"
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

# FullCalendar's standalone bundle (global `FullCalendar`), for partner pages in tests.
FULLCALENDAR_JS = NODE_MODULES / "fullcalendar" / "index.global.min.js"

NPM_HINT = "npm ci --prefix tests/js"
