"""/openapi.json is the same document in every process: replicas behind one cache must give it
one ETag, and a restart must not make every client download it again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import hashlib, json, sys
from calfeed.settings import get_settings
from calfeed.web import create_app
app = create_app(get_settings(database_url="sqlite:///" + sys.argv[1]))
print(hashlib.sha256(json.dumps(app.openapi()).encode()).hexdigest())
"""


def test_the_api_description_does_not_depend_on_the_process(tmp_path: Path) -> None:
    digests = set()
    for seed in ("1", "2", "3", "4"):
        # Python orders a set of strings by their hashes, which differ per process.
        env = {**os.environ, "PYTHONHASHSEED": seed}
        digests.add(subprocess.run(
            [sys.executable, "-c", SCRIPT, str(tmp_path / "calfeed.db")], env=env,
            check=True, capture_output=True, text=True).stdout.strip())
    assert len(digests) == 1
