"""Skip locally, fail in CI: the one rule for tests whose tool, browser or server is missing."""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

REQUIRE_ALL_ENV = "CALFEED_REQUIRE_ALL"


def require_all() -> bool:
    """True when a missing dependency must fail the test (CI sets CALFEED_REQUIRE_ALL=1)."""
    return os.environ.get(REQUIRE_ALL_ENV) == "1"


def missing(reason: str) -> NoReturn:
    """Skip the test with `reason`, or fail it when CALFEED_REQUIRE_ALL=1."""
    if require_all():
        pytest.fail(f"{reason} ({REQUIRE_ALL_ENV}=1)", pytrace=False)
    pytest.skip(reason)


def require(ok: bool, reason: str) -> None:
    """Go on if `ok`; otherwise skip (locally) or fail (CALFEED_REQUIRE_ALL=1) with `reason`.

    The reason says what is missing and how to install it, e.g.
    "newsboat not found: apt-get install newsboat".
    """
    if not ok:
        missing(reason)


def require_executable(name: str, install: str) -> str:
    """The path of executable `name`, or skip/fail saying "`name` not found: `install`"."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} not found: {install}")
    return path
