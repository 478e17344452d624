"""The publishing pipeline, the one way data gets published: load and validate the source →
sync it in one transaction → render the pieces of new and changed entries and store them.
Whoever then serves (``web.state.Serving``) loads the new revision as a new served state.

``calfeed sync``, the file watcher of ``calfeed serve`` (``watch.Watcher``) and ``calfeed
pull`` (``harvest.pull``, after storing what it pulled) all call ``publish_file``, or ``publish``
with a source already loaded. Pulled entries need no passing around: ``store.sync`` merges the
stored ones of every source still listed, in the same transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from ..errors import Problem
from ..model import Source
from ..settings import Settings
from ..source import load_source
from ..store import SyncReport, record_failure, sync
from .stored import keep_pieces


@dataclass(frozen=True, slots=True)
class Publication:
    """What one publish did."""

    report: SyncReport  # what the sync changed (added, changed, removed, restored)
    pieces_rendered: int = 0  # pieces rendered and stored for new and changed entries
    warnings: tuple[Problem, ...] = ()  # the source's warnings (errors stop a publish)

    def summary(self) -> str:
        return self.report.summary()


def publish(settings: Settings, engine: Engine, source: Source, now: datetime,
            source_name: str = "") -> Publication:
    """Publish a validated ``source`` (with the pulled entries the database holds for its
    ``sources:``).

    The sync is one transaction (all or nothing; ``store.sync``); then the pieces of new and
    changed entries are rendered outside the write lock and stored for every replica. Raises
    ``SyncBusyError`` when another writer holds the database longer than
    ``settings.lock_timeout`` (nothing changed).
    """
    report = sync(engine, source, now, source_name, lock_timeout=settings.lock_timeout)
    # Links in pieces point at the operator's base URL (else the source's).
    rendered = keep_pieces(engine, now, settings.base_url, lock_timeout=settings.lock_timeout)
    return Publication(report, rendered.total())


def publish_file(settings: Settings, engine: Engine, now: datetime,
                 path: Path | None = None) -> Publication:
    """Load and validate ``path`` (default: ``settings.data``), then ``publish`` it.

    Raises ``SourceError`` with every problem when the file is invalid (nothing changed),
    ``SyncBusyError`` as ``publish`` does.
    """
    path = path or settings.data
    loaded = load_source(path)
    publication = publish(settings, engine, loaded.source, now, str(path))
    return dataclasses.replace(publication, warnings=tuple(loaded.warnings))


def record_rejection(settings: Settings, engine: Engine, now: datetime, source_name: str,
                     problems: Sequence[Problem]) -> None:
    """Remember that a publish was refused and why (``/healthz`` shows it); no data changes."""
    record_failure(engine, now, source_name, problems, lock_timeout=settings.lock_timeout)
