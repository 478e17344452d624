"""The app the benchmark's HTTP rows serve: calfeed as `calfeed serve` runs it, on the bench's
fixed clock (so the generated dates are "now"), with the access log chosen by BENCH_LOG.

    python bench/served.py DATA DB PORT NOW BASE_URL LOG [WORKERS]

LOG: "off" (nginx gets none either), "calfeed" (web/accesslog.py, `calfeed serve`'s default)
or "uvicorn" (uvicorn's own log and httptools protocol, as `calfeed serve` was before issue 12),
on standard output, which the bench sends to a file. WORKERS > 1 runs that many processes, as
CALFEED_WORKERS does (each builds the app with ``create``).
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calfeed.settings import get_settings
from calfeed.web import create_app


def create() -> FastAPI:
    now = datetime.fromisoformat(os.environ["BENCH_NOW"])
    settings = get_settings(data=os.environ["BENCH_DATA"], database_url=os.environ["BENCH_DB"],
                            base_url=os.environ["BENCH_BASE_URL"], log_level="warning")
    log = os.environ["BENCH_LOG"]
    return create_app(settings, clock=lambda: now,
                      access_log=sys.stdout.fileno() if log == "calfeed" else None)


def main() -> None:
    import uvicorn

    data, db, port, now, base_url, log, *rest = sys.argv[1:]
    os.environ.update(BENCH_DATA=data, BENCH_DB=db, BENCH_NOW=now, BENCH_BASE_URL=base_url,
                      BENCH_LOG=log)
    workers = int(rest[0]) if rest else 1
    uvicorn.run("bench.served:create", factory=True, workers=workers, host="127.0.0.1",
                port=int(port), access_log=log == "uvicorn",
                log_level="info" if log == "uvicorn" else "warning", server_header=False,
                http="httptools" if log == "uvicorn" else "calfeed.web.protocol:HttpProtocol")


if __name__ == "__main__":
    main()
