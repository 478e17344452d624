"""What an install prints and pulls in: no setuptools deprecation warning (`license` is an
SPDX expression, which setuptools reads from 77 on; the table form stops working in February
2027), and a build backend pinned to a range known to build this file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads(
    (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_license_is_an_spdx_expression() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"


def test_the_build_backend_is_pinned_to_a_range_that_reads_it() -> None:
    assert PYPROJECT["build-system"]["build-backend"] == "setuptools.build_meta"
    (requirement,) = PYPROJECT["build-system"]["requires"]
    match = re.fullmatch(r"setuptools>=(\d+),<(\d+)", requirement)
    assert match, requirement
    low, high = int(match.group(1)), int(match.group(2))
    assert 77 <= low < high
