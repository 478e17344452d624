"""`calfeed build OUTDIR` is all or nothing (issue 12): the export is written beside OUTDIR and
swapped in whole, so a failure half-way (here a real one: the kernel refuses writes past a
file size, as a full disk does) leaves OUTDIR byte for byte as it was, with nothing left over.

Before: the files written before the failure replaced the old ones, the rest stayed old, and
the file being written was cut short.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import SHIPPED

BASE = SHIPPED.read_text(encoding="utf-8")
EDITED = BASE.replace("Ungdom utnyttet til kriminalitet»", "Ungdom utnyttet til kriminalitet» "
                      "(flyttet)", 1)
# Above SQLite's 32 KiB shared-memory file (reading the database needs it), below the
# biggest files of the shipped data's export (feeds, month pages, /openapi.json).
MAX_FILE_BYTES = 40_000
EXIT_STORAGE, EXIT_USAGE = 6, 2
NOBODY, WWW_DATA = 65534, 33
MARKER = "nginx.conf.sample"


def calfeed(tmp_path: Path, *args: str, max_file_bytes: int | None = None,
            language: str = "en", cwd: Path | None = None,
            around: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """`python -m calfeed ARGS` in ``cwd`` (default tmp_path), on tmp_path's data and
    database; with ``max_file_bytes``, every write past that size of a file fails with EFBIG
    ("File too large"), as on a full disk. ``around``: a command that runs it (its last
    arguments)."""

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        assert max_file_bytes is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    env = {**os.environ, "CALFEED_DATA": str(tmp_path / "events.yaml"),
           "CALFEED_LANGUAGE": language,
           "CALFEED_DATABASE_URL": f"sqlite:///{tmp_path / 'calfeed.db'}",
           "CALFEED_LOG_LEVEL": "warning", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([*around, sys.executable, "-m", "calfeed", *args],
                          cwd=cwd or tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, preexec_fn=limit_file_size if max_file_bytes else None)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site"))


@pytest.fixture
def built(tmp_path: Path) -> dict[str, bytes]:
    """A good export of revision 1 in tmp_path/site, then revision 2 synced."""
    (tmp_path / "events.yaml").write_text(BASE, encoding="utf-8")
    assert calfeed(tmp_path, "sync").returncode == 0
    done = calfeed(tmp_path, "build", "site")
    assert done.returncode == 0, done.stderr
    before = tree(tmp_path / "site")
    (tmp_path / "events.yaml").write_text(EDITED, encoding="utf-8")
    assert calfeed(tmp_path, "sync").returncode == 0
    return before


def test_a_build_failing_half_way_leaves_the_previous_export_as_it_was(
        tmp_path: Path, built: dict[str, bytes]) -> None:
    sizes = [len(body) for body in built.values()]
    # Small files are written, then one too big fails: half-way through, like a disk filling.
    assert sum(size < MAX_FILE_BYTES for size in sizes) > 100
    assert sum(size > MAX_FILE_BYTES for size in sizes) > 0
    failed = calfeed(tmp_path, "build", "site", max_file_bytes=MAX_FILE_BYTES)
    assert failed.returncode == EXIT_STORAGE, failed.stderr
    assert failed.stdout == ""
    (line,) = failed.stderr.splitlines()
    assert line.startswith(f"error: cannot read or write {tmp_path / 'site'}: File too large "
                           "(at "), line
    assert "; nothing in it was changed; free disk space" in line
    assert tree(tmp_path / "site") == built  # every byte as before
    assert leftovers(tmp_path) == []  # the half-written export is gone
    # With room again, the new export replaces the old one whole.
    done = calfeed(tmp_path, "build", "site")
    assert done.returncode == 0, done.stderr
    after = tree(tmp_path / "site")
    assert after.keys() == built.keys() and after != built
    assert "kriminalitet» (flyttet)".encode() in after["calendar.ics"]
    assert leftovers(tmp_path) == []
    assert (tmp_path / "site").stat().st_mode & 0o777 == 0o777 & ~_umask()


def test_a_rebuild_replaces_the_folder_whole(tmp_path: Path, built: dict[str, bytes]) -> None:
    # A file an earlier export wrote for an entry since removed, or put there by hand, is not
    # in the new export: the folder is the new export and nothing else.
    (tmp_path / "site" / "events" / "gone.ics").write_text("an old entry's file")
    assert (tmp_path / "site" / "events").is_dir()
    done = calfeed(tmp_path, "build", "site")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "site" / "events" / "gone.ics").exists()
    assert tree(tmp_path / "site").keys() == built.keys()


def test_a_folder_that_is_not_an_export_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "events.yaml").write_text(BASE, encoding="utf-8")
    assert calfeed(tmp_path, "sync").returncode == 0
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.txt").write_text("the operator's own file")
    refused = calfeed(tmp_path, "build", "site")
    assert refused.returncode == EXIT_USAGE
    assert refused.stderr == (
        f"error: {tmp_path / 'site'} holds files that are not a calfeed export (no "
        "nginx.conf.sample); `calfeed build` replaces its folder as a whole: give a new or "
        "empty folder\n")
    assert tree(tmp_path / "site") == {"notes.txt": b"the operator's own file"}
    refused = calfeed(tmp_path, "build", "site", language="nb")
    assert (refused.returncode, refused.stderr) == (EXIT_USAGE, (
        f"error: {tmp_path / 'site'} har filer som ikke er en calfeed-eksport (ingen "
        "nginx.conf.sample); `calfeed build` erstatter hele mappen: oppgi en ny eller tom "
        "mappe\n"))
    # A file where the folder should be stays too.
    (tmp_path / "site.txt").write_text("not a folder")
    refused = calfeed(tmp_path, "build", "site.txt")
    assert refused.returncode == EXIT_STORAGE
    assert refused.stderr.startswith(f"error: cannot read or write {tmp_path / 'site.txt'}: "
                                     "Not a directory; "), refused.stderr
    assert (tmp_path / "site.txt").read_text() == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    # An empty folder (made by a deploy script, a mount point's subfolder) is fine.
    shutil.rmtree(tmp_path / "site")
    (tmp_path / "site").mkdir()
    assert calfeed(tmp_path, "build", "site").returncode == 0
    assert (tmp_path / "site" / "calendar.ics").is_file() and leftovers(tmp_path) == []


def test_the_folder_keeps_its_mode_group_and_owner(tmp_path: Path,
                                                   built: dict[str, bytes]) -> None:
    # A deploy made the folder 2750 root:www-data so nginx (in www-data) reads what is written
    # in it. Before: the swapped-in folder was 0755 root:root and nginx got 403.
    site = tmp_path / "site"
    owner, group = (NOBODY, WWW_DATA) if os.geteuid() == 0 else (os.getuid(), os.getegid())
    os.chown(site, owner, group)
    site.chmod(0o2750)
    done = calfeed(tmp_path, "build", "site")
    assert done.returncode == 0, done.stderr
    kept = site.stat()
    assert (kept.st_mode & 0o7777, kept.st_uid, kept.st_gid) == (0o2750, owner, group)
    assert (site / "calendar.ics").stat().st_gid == group  # written under the setgid bit
    assert (site / "events").stat().st_gid == group
    assert "kriminalitet» (flyttet)".encode() in (site / "calendar.ics").read_bytes()


@pytest.mark.parametrize("cwd, outdir", [("site", "."), ("site/events", "..")])
def test_a_build_run_inside_its_folder(tmp_path: Path, built: dict[str, bytes], cwd: str,
                                       outdir: str) -> None:
    # Before: `cd site && calfeed build .` swapped the export in, then failed (exit 6) on the
    # removed current folder; `cd site/events && calfeed build ..` wrote beside site/events,
    # inside site, and the swap failed (EBUSY).
    done = calfeed(tmp_path, "build", outdir, cwd=tmp_path / cwd)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{outdir}: wrote {len(built) // 2}"), done.stdout
    after = tree(tmp_path / "site")
    assert after.keys() == built.keys()
    assert "kriminalitet» (flyttet)".encode() in after["calendar.ics"]
    assert leftovers(tmp_path) == [] and hidden(tmp_path / "site") == []


def test_a_mount_point_is_rebuilt_in_place(tmp_path: Path, built: dict[str, bytes]) -> None:
    # A Docker volume or a bind mount shared with an nginx container: the folder cannot be
    # renamed (EBUSY). Before: the whole export was written, then the build failed (exit 6).
    volume, mount_point = tmp_path / "site", tmp_path / "mnt"
    mount_point.mkdir()
    around = bind_mount(tmp_path, volume, mount_point)
    (volume / "gone.ics").write_text("an old entry's file")
    inode = volume.stat().st_ino
    # Failing half-way leaves it as it was, and no hidden folder for nginx to serve.
    failed = calfeed(tmp_path, "build", "mnt", around=around, max_file_bytes=MAX_FILE_BYTES)
    assert failed.returncode == EXIT_STORAGE, failed.stderr
    assert f"{mount_point}: File too large (at " in failed.stderr
    assert "nothing in it was changed" in failed.stderr
    assert tree(volume) == {**built, "gone.ics": b"an old entry's file"}
    assert hidden(volume) == []
    done = calfeed(tmp_path, "build", "mnt", around=around)
    assert done.returncode == 0, done.stderr
    after = tree(volume)  # what the other container sees: the new export, nothing else
    assert after.keys() == built.keys()
    assert "kriminalitet» (flyttet)".encode() in after["calendar.ics"]
    assert volume.stat().st_ino == inode and hidden(volume) == []
    # Without renameat2 its folders are moved in by two renames each: the same export.
    (volume / "events" / "gone.ics").write_text("an old entry's file")
    again = calfeed(tmp_path, "build", "mnt", around=[*around, *without_renameat2()])
    assert again.returncode == 0, again.stderr
    assert tree(volume) == after and hidden(volume) == []


def test_a_parent_the_build_may_not_write_in(tmp_path: Path) -> None:
    # /var/www is root's, /var/www/calfeed the deploy user's: nothing can be made beside it.
    # Before: mkdtemp in /var/www failed (exit 6), for the first build and every one after.
    around = as_nobody(tmp_path)
    www = tmp_path / "www"
    www.mkdir()
    site = www / "calfeed"
    site.mkdir()
    if around:
        os.chown(site, NOBODY, NOBODY)
    else:
        www.chmod(0o555)  # not root: the test's user is refused too
    try:
        assert_builds(tmp_path, site, around)
    finally:
        www.chmod(0o755)


def test_a_folder_in_a_sticky_parent(tmp_path: Path) -> None:
    # /srv is 1777 like /tmp; srv/site is root's, group-writable by the build's user. Only
    # its owner may rename it (EPERM), so its contents are replaced instead.
    if os.geteuid() != 0:
        pytest.skip("needs root: the folder belongs to a user other than the build's")
    around = as_nobody(tmp_path)
    srv = tmp_path / "srv"
    srv.mkdir()
    srv.chmod(0o1777)
    site = srv / "site"
    site.mkdir()
    os.chown(site, 0, NOBODY)
    site.chmod(0o2775)
    assert_builds(tmp_path, site, around)
    assert (site.stat().st_uid, site.stat().st_mode & 0o7777) == (0, 0o2775)


def assert_builds(data: Path, site: Path, around: list[str]) -> None:
    """A first build and a rebuild into ``site`` (run ``around``) replace its contents;
    nothing is left beside or in it."""
    first = calfeed(data, "build", str(site), around=around)
    assert first.returncode == 0, first.stderr
    before = tree(site)
    assert "calendar.ics" in before and (site / MARKER).is_file()
    (data / "events.yaml").write_text(EDITED, encoding="utf-8")
    assert calfeed(data, "sync", around=around).returncode == 0
    (site / "gone.ics").write_text("an old entry's file")
    done = calfeed(data, "build", str(site), around=around)
    assert done.returncode == 0, done.stderr
    after = tree(site)
    assert after.keys() == before.keys() and after != before
    assert "kriminalitet» (flyttet)".encode() in after["calendar.ics"]
    assert hidden(site) == [] and sorted(p.name for p in site.parent.iterdir()) == [site.name]


def test_without_renameat2_a_failed_swap_puts_the_old_folder_back(
        tmp_path: Path, built: dict[str, bytes]) -> None:
    # Where renameat2 is missing (an older kernel; a container whose seccomp profile answers
    # ENOSYS for calls it does not know), a swap is two renames. Here the kernel refuses
    # renameat2 for real (a seccomp filter), and a build works that way.
    done = calfeed(tmp_path, "build", "site", around=without_renameat2())
    assert done.returncode == 0, done.stderr
    assert "kriminalitet» (flyttet)".encode() in tree(tmp_path / "site")["calendar.ics"]
    assert leftovers(tmp_path) == []
    # The second rename failing (here: the new folder gone before it) must put the old folder
    # back. Before: it stayed in .site.new-…-old, OUTDIR missing, and the message said nothing
    # had changed.
    before = tree(tmp_path / "site")
    swap = ("import sys; from pathlib import Path; from calfeed.swapdir import _swap\n"
            "try: _swap(Path(sys.argv[1]), Path(sys.argv[2]))\n"
            "except OSError as exc: print(exc.strerror)")
    failed = subprocess.run([*without_renameat2(), sys.executable, "-c", swap,
                             str(tmp_path / ".site.new-gone"), str(tmp_path / "site")],
                            capture_output=True, text=True, timeout=60, check=True)
    assert failed.stdout == "No such file or directory\n", failed.stderr
    assert tree(tmp_path / "site") == before and leftovers(tmp_path) == []


def without_renameat2() -> list[str]:
    """A command that runs its arguments with renameat2 answering ENOSYS (a seccomp filter,
    set up by this very interpreter before it runs them)."""
    numbers = {"x86_64": (0xC000003E, 316), "aarch64": (0xC00000B7, 276)}
    if os.uname().machine not in numbers:
        pytest.skip(f"renameat2's system call number on {os.uname().machine} is not known here")
    arch, call = numbers[os.uname().machine]
    program = f"""
import ctypes, errno, os, struct, sys
# seccomp_data: nr at 0, arch at 4. Other architectures and calls pass.
code = [(0x20, 0, 0, 4), (0x15, 0, 3, {arch}), (0x20, 0, 0, 0), (0x15, 0, 1, {call}),
        (0x06, 0, 0, 0x00050000 | errno.ENOSYS), (0x06, 0, 0, 0x7FFF0000)]
filters = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *c) for c in code))
class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
prog = Prog(len(code), ctypes.addressof(filters))
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(38, 1, 0, 0, 0) or libc.prctl(22, 2, ctypes.byref(prog), 0, 0):
    sys.exit("seccomp: " + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])
"""
    return [sys.executable, "-c", program]


def as_nobody(tmp_path: Path) -> list[str]:
    """As root: a command that runs its arguments as the user nobody, who may read
    everything (the interpreter under /root too) but write only where a user may, and
    tmp_path's synced data made nobody's. Not root: none, and the data synced as is."""
    (tmp_path / "events.yaml").write_text(BASE, encoding="utf-8")
    around: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv (util-linux) not found: cannot run the build as another user")
        around = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                  "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
        os.chown(tmp_path, NOBODY, NOBODY)
        os.chown(tmp_path / "events.yaml", NOBODY, NOBODY)
    synced = calfeed(tmp_path, "sync", around=around)
    assert synced.returncode == 0, synced.stderr
    return around


def bind_mount(tmp_path: Path, source: Path, target: Path) -> list[str]:
    """A command that runs its arguments with ``source`` bind-mounted on ``target``, in a
    mount namespace of its own (nothing stays mounted). Skips where mounting is not allowed:
    that is the machine's permission, not a tool to install."""
    around = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
              'mount --bind "$0" "$1" && shift && exec "$@"', str(source), str(target)]
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) not found: cannot bind-mount a folder here")
    tried = subprocess.run([*around, "true"], capture_output=True, text=True, check=False)
    if tried.returncode != 0:
        pytest.skip(f"mounting is not permitted here: {tried.stderr.strip()}")
    return around


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
