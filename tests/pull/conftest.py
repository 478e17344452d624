"""Partner files served from 127.0.0.1 and pulled into the test's database, for the pull tests
that publish what they pulled (test_pull_publish, test_pull_named)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from calfeed.harvest import PullRun, pull
from calfeed.settings import Settings
from calfeed.source import load_source
from tests.conftest import NOW
from tests.support.upstream import Upstream, serve_upstream

DATA = Path(__file__).parent.parent / "data" / "pull"
HEAD = """calendar:
  title: KOM
  uid_domain: kalender.example.no
  timezone: Europe/Oslo
feeds:
  frister: {title: Frister, types: [deadline]}
"""


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[Upstream]:
    shutil.copytree(DATA, tmp_path / "up")
    with serve_upstream(tmp_path / "up") as server:
        yield server


@pytest.fixture
def local(settings: Settings) -> Settings:
    return settings.model_copy(update={"pull_allow_private": True, "pull_timeout": 3.0,
                                       "pull_max_bytes": 100_000})


Puller = Callable[..., PullRun]


@pytest.fixture
def run_pull(local: Settings, engine: Engine) -> Puller:
    def run(yaml_text: str, now: datetime = NOW, names: tuple[str, ...] = (),
            force: bool = False) -> PullRun:
        local.data.write_text(yaml_text, encoding="utf-8")
        source = load_source(local.data).source
        chosen = [source.sources[n] for n in (names or tuple(source.sources))]
        return pull(engine, source, chosen, now, settings=local, force=force)

    return run


def sources(upstream: Upstream, behaviour: str = "files", **extra: str) -> str:
    text = HEAD + f"""sources:
  google:
    url: {upstream.url("google.ics", behaviour)}
    format: ics
    type: course
    tags: [menneskehandel]
  dep:
    url: {upstream.url("regjeringen.rss")}
    format: rss
    organizer: Regjeringen
  rvts-sor:
    url: {upstream.url("kurs.html")}
    format: jsonld
"""
    for key, value in extra.items():
        text += f"{key}: {value}\n"
    return text


# The names sources() gives, and an entry of the editor's own to add to them (it names none).
SOURCES = {"google", "dep", "rvts-sor"}
OWN = """entries:
  - id: kurs-redaksjonen
    type: course
    title: Redaksjonens eget kurs
    start: 2024-09-03
    url: https://kalender.example.no/om
"""
