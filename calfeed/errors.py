"""The domain's exceptions. Only the edges (cli, web) turn them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in a source file, located like a compiler message: ``file:line:col: text``."""

    file: str
    line: int
    column: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"


class CalfeedError(Exception):
    """Base class for every error calfeed raises on purpose."""


class SourceError(CalfeedError):
    """The source file is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        ordered = sorted(problems, key=lambda p: (p.line, p.column))
        self.problems = [p for p in ordered if p.severity == "error"]
        self.warnings = [p for p in ordered if p.severity == "warning"]
        count = len(self.problems)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the source")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class SyncBusyError(CalfeedError):
    """Another writer (a sync, or ``calfeed serve`` syncing an edit) held the database's write
    lock for longer than ``lock_timeout``. Nothing was changed; trying again may work."""


class RemovalsHeldError(CalfeedError):
    """A sync would remove most of the published entries (a half-written file, a mistaken
    mass deletion); nothing was changed until the editor confirms it."""

    def __init__(self, removed: tuple[str, ...], live: int) -> None:
        self.removed = removed
        self.live = live
        shown = ", ".join(removed[:5]) + (", …" if len(removed) > 5 else "")
        super().__init__(f"this sync would remove {len(removed)} of the {live} published "
                         f"entries ({shown}); nothing was changed")
