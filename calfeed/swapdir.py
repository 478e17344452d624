"""A folder replaced as a whole: written beside it, then swapped in by a rename, so whoever
reads it (a static web server, an upload to a CDN) sees the old contents or the new ones,
never a mix, and a failure half-way leaves the old ones as they were.

``calfeed build OUTDIR`` writes through ``replacing(OUTDIR)``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import CalfeedError

# What every export writes at its top (export.NGINX_SAMPLE): a folder holding it may be
# replaced; any other folder with files in it is refused (``calfeed build .`` or ``build ~``
# must not swap away someone's files).
MARKER = "nginx.conf.sample"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h


class NotAnExportError(CalfeedError):
    """The output folder holds files that no ``calfeed build`` wrote."""


class FolderKeptError(OSError):
    """Writing the new contents failed; the folder (``filename``) is as it was. ``at``: the
    file inside the new contents it stopped at, if known."""

    def __init__(self, code: int | None, reason: str, folder: Path, at: str | None) -> None:
        super().__init__(code, reason, str(folder))
        self.at = at


@contextlib.contextmanager
def replacing(folder: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``folder`` (same file system, so a rename can move it)
    to write the new contents into; when the block ends, it becomes ``folder``. If the block
    raises, ``folder`` is untouched and the new one removed. An ``OSError`` comes out naming
    ``folder`` (the staging folder's name means nothing to the operator)."""
    if folder.is_symlink():
        folder = folder.resolve()  # swap the folder a deploy's link points to, not the link
    folder = folder.absolute()
    refuse_foreign(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    try:
        try:
            yield staging
            _readable_like_a_new_folder(staging)
            _swap(staging, folder)
        except OSError as exc:
            raise _about(folder, staging, exc) from exc
    finally:
        # After a swap by exchange this holds the old contents; after a failure, the new.
        shutil.rmtree(staging, ignore_errors=True)


def refuse_foreign(folder: Path) -> None:
    """Raise NotAnExportError when ``folder`` has files but is not an export (an OSError
    when it is not a folder at all)."""
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    if not folder.is_dir() or (folder / MARKER).is_file():
        return  # missing (made) or an export
    if any(folder.iterdir()):
        raise NotAnExportError(
            f"{folder} holds files that are not a calfeed export (no {MARKER}); "
            "`calfeed build` replaces its folder as a whole: give a new or empty folder")


def _swap(staging: Path, folder: Path) -> None:
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        os.rename(staging, folder)  # replaces an empty folder in one step too
    elif not _exchange(staging, folder):
        # No atomic exchange here (not Linux, or a file system without it): two renames,
        # with OUTDIR missing for the moment between them, never half-written.
        old = staging.with_name(staging.name + "-old")
        os.rename(folder, old)
        os.rename(staging, folder)
        os.rename(old, staging)  # removed with the staging folder


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE; the standard library has
    no call for it); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _readable_like_a_new_folder(staging: Path) -> None:
    # mkdtemp makes the folder 0700 (private while written); the web server must read it.
    mask = os.umask(0)
    os.umask(mask)
    staging.chmod(0o777 & ~mask)


def _about(folder: Path, staging: Path, exc: OSError) -> FolderKeptError:
    """The failure as the operator sees it: ``folder``, the file it stopped at, and that
    ``folder`` was left as it was."""
    at = None
    if exc.filename:
        with contextlib.suppress(ValueError):
            inside = Path(os.fsdecode(exc.filename)).relative_to(staging)
            at = str(inside) if inside.parts else None
    return FolderKeptError(exc.errno, exc.strerror or str(exc), folder, at)
