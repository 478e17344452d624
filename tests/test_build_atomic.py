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


def calfeed(tmp_path: Path, *args: str, max_file_bytes: int | None = None,
            language: str = "en") -> subprocess.CompletedProcess[str]:
    """`python -m calfeed ARGS` in tmp_path; with ``max_file_bytes``, every write past that
    size of a file fails with EFBIG ("File too large"), as on a full disk."""

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        assert max_file_bytes is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    env = {**os.environ, "CALFEED_DATA": "events.yaml", "CALFEED_LANGUAGE": language,
           "CALFEED_DATABASE_URL": f"sqlite:///{tmp_path / 'calfeed.db'}",
           "CALFEED_LOG_LEVEL": "warning", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "calfeed", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=limit_file_size if max_file_bytes else None)


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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
