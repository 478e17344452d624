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

from ..errors import Problem, RemovalsHeldError, SourceError
from ..lint import ended_before_published
from ..localtime import zone
from ..model import Source
from ..settings import Settings
from ..source import Loaded, load_source
from ..store import SyncReport, record_failure, sync
from .stored import keep_pieces


@dataclass(frozen=True, slots=True)
class Publication:
    """What one publish did."""

    report: SyncReport  # what the sync changed (added, changed, removed, restored)
    pieces_rendered: int = 0  # pieces rendered and stored for new and changed entries
    warnings: tuple[Problem, ...] = ()  # the source's warnings (errors stop a publish)
    late: tuple[Problem, ...] = ()  # warnings only the sync could tell (``late_warnings``)

    def summary(self) -> str:
        return self.report.summary()


# A sync is held back when it would remove more than this share of the published entries
# (and at least MASS_REMOVAL_LEAST of them): what a half-written file or a slip of the editor
# does, and what subscribers would see as their events vanishing.
MASS_REMOVAL_SHARE = 0.5
MASS_REMOVAL_LEAST = 3


def is_mass_removal(removed: int, live: int) -> bool:
    return removed >= MASS_REMOVAL_LEAST and removed > live * MASS_REMOVAL_SHARE


def publish(settings: Settings, engine: Engine, source: Source, now: datetime,
            source_name: str = "", *, allow_removals: bool = False) -> Publication:
    """Publish a validated ``source`` (with the pulled entries the database holds for its
    ``sources:``).

    The sync is one transaction (all or nothing; ``store.sync``); then the pieces of new and
    changed entries are rendered outside the write lock and stored for every replica. Raises
    ``SyncBusyError`` when another writer holds the database longer than
    ``settings.lock_timeout``, and ``RemovalsHeldError`` when the sync would remove most of
    the published entries and ``allow_removals`` is not given; either way nothing changed.
    """

    def hold_mass_removals(report: SyncReport, live: int) -> None:
        if not allow_removals and is_mass_removal(len(report.removed), live):
            raise RemovalsHeldError(report.removed, live)

    report = sync(engine, source, now, source_name, lock_timeout=settings.lock_timeout,
                  check=hold_mass_removals)
    # Links in pieces point at the operator's base URL (else the source's).
    rendered = keep_pieces(engine, now, settings.base_url, lock_timeout=settings.lock_timeout)
    return Publication(report, rendered.total())


def publish_file(settings: Settings, engine: Engine, now: datetime, path: Path | None = None,
                 *, allow_removals: bool = False) -> Publication:
    """Load and validate ``path`` (default: ``settings.data``), then ``publish`` it.

    Raises ``SourceError`` with every problem when the file is invalid or cannot be read at
    all (nothing changed), ``SyncBusyError`` and ``RemovalsHeldError`` as ``publish`` does.
    """
    path = path or settings.data
    loaded = load(path)
    publication = publish(settings, engine, loaded.source, now, str(path),
                          allow_removals=allow_removals)
    return dataclasses.replace(publication, warnings=tuple(loaded.warnings),
                               late=tuple(late_warnings(loaded, publication, now, str(path))))


def late_warnings(loaded: Loaded, publication: Publication, now: datetime,
                  filename: str) -> list[Problem]:
    """Warnings only a sync can give: entries new to a calendar published before that had
    already ended (``lint.ended_before_published``; not on the first sync, when everything is
    new)."""
    report = publication.report
    if report.revision <= 1 or not report.added:
        return []
    today = now.astimezone(zone(loaded.source.calendar.timezone)).date()
    return ended_before_published(loaded.source, report.added, today, filename, loaded.where)


def load(path: Path) -> Loaded:
    """``load_source``, and whatever else goes wrong reading the file (a directory at its
    path, nesting deeper than the parser's recursion) as a ``SourceError`` located at the
    file: the last good data keeps being served, and the operator is told why."""
    try:
        return load_source(path)
    except SourceError:
        raise
    except Exception as exc:  # any file at all must leave the server serving
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise SourceError([Problem(str(path), 1, 1, f"could not be read ({reason[:300]})")]) \
            from exc


def record_rejection(settings: Settings, engine: Engine, now: datetime, source_name: str,
                     problems: Sequence[Problem | str]) -> None:
    """Remember that a publish was refused and why (``/healthz`` shows it); no data changes."""
    record_failure(engine, now, source_name, problems, lock_timeout=settings.lock_timeout)
