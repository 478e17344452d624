"""Read a feed with newsboat (a real terminal feed reader), non-interactively.

newsboat fetches and parses the feed (`newsboat -x reload`) into its SQLite cache, which we then
read back. It exits 0 even when a feed fails, so a feed that left no row in `rss_feed` raises
NewsboatError with newsboat's error log.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

from tests.support.require import require_executable


class NewsboatError(Exception):
    """newsboat could not fetch or parse the feed."""


class NewsboatItem(NamedTuple):
    title: str
    link: str
    author: str
    published: int  # Unix time, 0 when the entry has none
    content: str
    guid: str


def read_feed_items_with_newsboat(feed_url: str, *, timeout: float = 60.0) -> list[NewsboatItem]:
    """Every entry newsboat read from `feed_url`, newest first (as newsboat lists them)."""
    newsboat = require_executable("newsboat", "apt-get install newsboat")
    with tempfile.TemporaryDirectory(prefix="calfeed-newsboat-") as tmp:
        home = Path(tmp)
        (home / "urls").write_text(feed_url + "\n", encoding="utf-8")
        (home / "config").write_text(
            f'error-log "{home / "error.log"}"\n'
            "download-timeout 20\n"
            "download-retries 1\n"
            "reload-threads 1\n",
            encoding="utf-8",
        )
        env = {
            "HOME": str(home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "dumb",
            "no_proxy": "127.0.0.1,localhost",
        }
        proc = subprocess.run(
            [newsboat, "-x", "reload", "-u", "urls", "-c", "cache.db", "-C", "config"],
            cwd=home,
            env=env,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
        error_log = home / "error.log"
        log = error_log.read_text("utf-8", "replace") if error_log.exists() else ""
        output = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        if proc.returncode != 0:
            raise NewsboatError(f"newsboat exited with {proc.returncode}: {output}{log}")
        with sqlite3.connect(home / "cache.db") as db:
            feeds = db.execute("SELECT count(*) FROM rss_feed WHERE rssurl = ?", (feed_url,))
            if feeds.fetchone()[0] == 0:
                raise NewsboatError(f"newsboat could not read {feed_url}: {output}{log}".strip())
            rows = db.execute(
                "SELECT title, url, author, pubDate, content, guid FROM rss_item "
                "WHERE feedurl = ? ORDER BY pubDate DESC, id DESC",
                (feed_url,),
            ).fetchall()
        db.close()
    return [NewsboatItem(*row) for row in rows]


def read_feed_with_newsboat(feed_url: str, *, timeout: float = 60.0) -> list[tuple[str, str]]:
    """(title, link) of every entry newsboat read from `feed_url`, newest first."""
    return [
        (item.title, item.link) for item in read_feed_items_with_newsboat(feed_url, timeout=timeout)
    ]
