"""A folder replaced as a whole: written beside it, then swapped in by a rename, so whoever
reads it (a static web server, an upload to a CDN) sees the old contents or the new ones,
never a mix, and a failure half-way leaves the old ones as they were.

Where the folder itself cannot be swapped (a mount point: a Docker volume, a bind mount; a
parent the build may not write in; a sticky parent), the new contents are written in a hidden
folder inside it and moved into place entry by entry: each file is then old or new, never
half-written, but for a moment some top-level entries are new and others old.

``calfeed build OUTDIR`` writes through ``replacing(OUTDIR)``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import CalfeedError

# What every export writes at its top (export.NGINX_SAMPLE): a folder holding it may be
# replaced; any other folder with files in it is refused (``calfeed build .`` or ``build ~``
# must not swap away someone's files).
MARKER = "nginx.conf.sample"
# The hidden folder inside OUTDIR the new export is written to when OUTDIR cannot be swapped.
INSIDE_PREFIX = ".calfeed-new-"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
# The rename of the folder itself refused: a mount point (EBUSY), another file system
# (EXDEV), no right to move it (EACCES; EPERM in a sticky folder like /tmp).
_CANNOT_MOVE_FOLDER = (errno.EBUSY, errno.EXDEV, errno.EACCES, errno.EPERM)
_CANNOT_WRITE_BESIDE = (errno.EACCES, errno.EPERM, errno.EROFS)


class NotAnExportError(CalfeedError):
    """The output folder holds files that no ``calfeed build`` wrote."""


class FolderKeptError(OSError):
    """Writing the new contents failed; the folder (``filename``) is as it was. ``at``: the
    file inside the new contents it stopped at, if known."""

    def __init__(self, code: int | None, reason: str, folder: Path, at: str | None) -> None:
        super().__init__(code, reason, str(folder))
        self.at = at


def final_path(folder: Path) -> Path:
    """The absolute folder ``replacing`` replaces, fixed before anything moves: the current
    folder may be the one swapped away (``cd site && calfeed build .``), and ``..`` is
    normalised so ``cd site/feeds && calfeed build ..`` names ``site``, not a path inside it."""
    absolute = Path(os.path.abspath(folder))
    if absolute.is_symlink():
        return absolute.resolve()  # swap the folder a deploy's link points to, not the link
    return absolute


@contextlib.contextmanager
def replacing(folder: Path) -> Iterator[Path]:
    """Yield an empty folder to write the new contents into; when the block ends, they become
    ``folder``'s. If the block raises, ``folder`` is untouched and the new contents removed.
    An ``OSError`` comes out naming ``folder`` (the staging folder's name means nothing to
    the operator)."""
    folder = final_path(folder)
    refuse_foreign(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging, inside = _stage(folder)
    try:
        try:
            yield staging
            if not inside:
                _take_mode(staging, folder)
        except OSError as exc:
            raise _about(folder, staging, exc) from exc
        if inside:
            _move_in(staging, folder)
        else:
            _swap_or_move_in(staging, folder)
    finally:
        # After a swap this holds the old contents; after a failure, the new.
        shutil.rmtree(staging, ignore_errors=True)


def refuse_foreign(folder: Path) -> None:
    """Raise NotAnExportError when ``folder`` has files but is not an export (an OSError
    when it is not a folder at all)."""
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    if not folder.is_dir() or (folder / MARKER).is_file():
        return  # missing (made) or an export
    # A killed build's hidden folder alone does not make a folder someone else's.
    if any(not p.name.startswith(INSIDE_PREFIX) for p in folder.iterdir()):
        raise NotAnExportError(
            f"{folder} holds files that are not a calfeed export (no {MARKER}); "
            "`calfeed build` replaces its folder as a whole: give a new or empty folder")


def _stage(folder: Path) -> tuple[Path, bool]:
    """The folder to write into, and whether it is inside ``folder`` (True) or beside it."""
    if folder.is_dir() and is_mount_point(folder):
        return _stage_inside(folder), True
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    except OSError as exc:
        if exc.errno in _CANNOT_WRITE_BESIDE and folder.is_dir():
            return _stage_inside(folder), True  # root-owned /var/www, deploy-owned site
        raise
    if folder.is_dir():
        try:
            _take_owner(staging, folder)
        except PermissionError:
            staging.rmdir()  # its group is not ours to give: keep the folder, as it is
            return _stage_inside(folder), True
    return staging, False


def _stage_inside(folder: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=INSIDE_PREFIX, dir=folder))


def is_mount_point(folder: Path) -> bool:
    """True when something is mounted on ``folder``, a bind mount of a folder of the same
    file system too (``os.path.ismount`` sees only a change of device)."""
    if os.path.ismount(folder):
        return True
    try:
        table = Path("/proc/self/mountinfo").read_bytes()  # Linux; elsewhere ismount only
    except OSError:
        return False
    target = os.fsencode(os.path.realpath(folder))
    for row in table.splitlines():
        fields = row.split(b" ")
        if len(fields) > 4 and _unescape(fields[4]) == target:
            return True
    return False


def _unescape(field: bytes) -> bytes:
    # mountinfo writes space, tab, newline and backslash in paths as \ooo.
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), field)


def _take_owner(staging: Path, folder: Path) -> None:
    """Give the staging folder ``folder``'s group (a setgid www-data folder: what is written
    in it gets that group too) and, as root, its owner; it stays private while written."""
    old = folder.stat()
    os.chown(staging, old.st_uid if os.geteuid() == 0 else -1, old.st_gid)
    staging.chmod(0o700 | (old.st_mode & stat.S_ISGID))


def _take_mode(staging: Path, folder: Path) -> None:
    """The mode the folder had (its setgid and sticky bits too); a new folder's mode when
    there was none (mkdtemp made it 0700, private while written)."""
    if folder.is_dir():
        staging.chmod(stat.S_IMODE(folder.stat().st_mode))
        return
    mask = os.umask(0)
    os.umask(mask)
    staging.chmod(0o777 & ~mask)


def _swap_or_move_in(staging: Path, folder: Path) -> None:
    try:
        _swap(staging, folder)
    except OSError as exc:
        if exc.errno not in _CANNOT_MOVE_FOLDER or not folder.is_dir():
            raise _about(folder, staging, exc) from exc
        # The folder stays where it is (a mount point, a sticky parent): its contents are
        # replaced instead, from a copy inside it (a rename cannot leave the mount).
        inside = _stage_inside(folder)
        try:
            try:
                shutil.copytree(staging, inside, symlinks=True, dirs_exist_ok=True)
            except OSError as copying:
                raise _about(folder, staging, copying) from copying
            _move_in(inside, folder)
        finally:
            shutil.rmtree(inside, ignore_errors=True)


def _swap(staging: Path, folder: Path) -> None:
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        os.rename(staging, folder)  # replaces an empty folder in one step too
    elif not _exchange(staging, folder):
        # No atomic exchange here (not Linux, or a file system without it): two renames,
        # with OUTDIR missing for the moment between them, never half-written.
        old = staging.with_name(staging.name + "-old")
        _two_renames(folder, staging, old)
        os.rename(old, staging)  # removed with the staging folder


def _two_renames(target: Path, new: Path, aside: Path) -> None:
    """``new`` becomes ``target``, the old ``target`` moved to ``aside``; if the second rename
    fails, the old one is put back, so a failure leaves ``target`` as it was."""
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(aside, target)
        raise


def _move_in(staging: Path, folder: Path) -> None:
    """Replace ``folder``'s contents with ``staging``'s (a folder inside it): each top-level
    entry in one rename (a folder swapped by exchange where possible, a file renamed over),
    then the old export's entries the new one does not have removed."""
    names = sorted(p.name for p in staging.iterdir())
    aside = Path(tempfile.mkdtemp(prefix=".old-", dir=staging))
    moved = 0
    try:
        for name in sorted(names, key=lambda n: n == MARKER):  # the marker last
            new, old = staging / name, folder / name
            if not os.path.lexists(old):
                os.rename(new, old)
            elif not (old.is_dir() or new.is_dir()):
                os.replace(new, old)
            elif not _exchange(new, old):
                _two_renames(old, new, aside / name)
            moved += 1
        for stale in folder.iterdir():
            if stale.name not in names and not stale.name.startswith(INSIDE_PREFIX):
                _remove(stale)
    except OSError as exc:
        if moved == 0:
            raise _about(folder, staging, exc) from exc
        # Some entries are new already: say the folder, not that nothing changed.
        raise OSError(exc.errno, exc.strerror, str(folder)) from exc


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


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


def _about(folder: Path, staging: Path, exc: OSError) -> FolderKeptError:
    """The failure as the operator sees it: ``folder``, the file it stopped at, and that
    ``folder`` was left as it was."""
    at = None
    if exc.filename:
        with contextlib.suppress(ValueError):
            inside = Path(os.fsdecode(exc.filename)).relative_to(staging)
            at = str(inside) if inside.parts else None
    return FolderKeptError(exc.errno, exc.strerror or str(exc), folder, at)
