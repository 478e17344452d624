"""The publishing pipeline: source → database → rendered pieces → a new served state.

``publish_file`` / ``publish`` (pipeline.py) are the one way data is published, called by
``calfeed sync``, by the file watcher of ``calfeed serve`` (``Watcher``, watch.py) and by
partner pulls. The render-once pieces live here in one place: how they are named and made
(keys.py), kept in memory (memory.py) and kept in the database for every replica
(stored.py); the builders in ``formats`` take them through ``formats.pieces.Pieces``.
"""

from .pipeline import Publication, late_warnings, publish, publish_file, record_rejection
from .watch import Clock, Watcher, system_clock

__all__ = [
    "Clock",
    "Publication",
    "Watcher",
    "late_warnings",
    "publish",
    "publish_file",
    "record_rejection",
    "system_clock",
]
