"""Fetch partner sources over HTTP: conditionally, concurrently, within limits.

Each source is asked with the validators (ETag, Last-Modified) of its last good answer, so an
unchanged upstream costs a 304 and no parsing. Limits: a total time per source (a slow server
cannot hold a pull), a size cap counted on the decoded body (a gzip bomb stops early), a few
redirects, http and https only, and no private or loopback address unless allowed (guard.py).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import httpcore
import httpx

from .guard import GuardedBackend

Outcome = Literal["fetched", "not-modified", "failed"]

ACCEPT = {
    "ics": "text/calendar, text/plain;q=0.8, */*;q=0.5",
    "atom": "application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    "rss": "application/rss+xml, application/xml;q=0.9, */*;q=0.5",
    "jsonld": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
}


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    allow_private: bool = False
    timeout: float = 30.0  # seconds for the whole answer, body included
    connect_timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 8
    user_agent: str = "calfeed (partner calendar pull)"


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last good answer said, to ask "has it changed since?"."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchRequest:
    name: str
    url: str
    format: str
    validators: Validators = Validators()


@dataclass(frozen=True, slots=True)
class FetchResult:
    outcome: Outcome
    url: str  # where the answer came from, after redirects
    status: int | None = None
    body: bytes | None = None
    validators: Validators = Validators()
    error: str | None = None
    seconds: float = 0.0

    def describe(self) -> str:
        """One line for `calfeed pull` and /healthz: "HTTP 200, 12.3 kB", "HTTP 304 not
        modified", "failed: timed out after 30 s"."""
        if self.outcome == "failed":
            return f"failed: {self.error}"
        if self.outcome == "not-modified":
            return "HTTP 304 not modified"
        size = len(self.body or b"")
        return f"HTTP {self.status}, {size / 1000:.1f} kB"


Progress = Callable[[str, FetchResult], None]


def fetch_all(requests: Sequence[FetchRequest], policy: FetchPolicy,
              progress: Progress | None = None) -> dict[str, FetchResult]:
    """Fetch every source at once (up to ``policy.concurrency`` in flight); never raises for
    one source's failure: that is its result. ``progress`` is called as each one finishes."""
    return asyncio.run(fetch_all_async(requests, policy, progress))


async def fetch_all_async(requests: Sequence[FetchRequest], policy: FetchPolicy,
                          progress: Progress | None = None) -> dict[str, FetchResult]:
    tls = _tls()
    transport = httpx.AsyncHTTPTransport(verify=tls, retries=0)
    # httpx takes no network backend, so its pool is rebuilt with ours (same TLS settings).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=tls, network_backend=GuardedBackend(allow_private=policy.allow_private))
    timeout = httpx.Timeout(policy.timeout, connect=policy.connect_timeout)
    limit = asyncio.Semaphore(policy.concurrency)
    async with httpx.AsyncClient(
        transport=transport, timeout=timeout, follow_redirects=True,
        max_redirects=policy.max_redirects, trust_env=False,
        headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
    ) as client:

        async def one(request: FetchRequest) -> tuple[str, FetchResult]:
            async with limit:
                result = await _fetch(client, request, policy)
            if progress is not None:
                progress(request.name, result)
            return request.name, result

        return dict(await asyncio.gather(*(one(r) for r in requests)))


async def _fetch(client: httpx.AsyncClient, request: FetchRequest,
                 policy: FetchPolicy) -> FetchResult:
    began = time.monotonic()

    def failed(error: str, status: int | None = None, url: str = request.url) -> FetchResult:
        return FetchResult("failed", url, status, error=error,
                           seconds=time.monotonic() - began)

    if not request.url.lower().startswith(("http://", "https://")):
        return failed("only http and https addresses are pulled")
    headers = {"Accept": ACCEPT.get(request.format, "*/*")}
    if request.validators.etag:
        headers["If-None-Match"] = request.validators.etag
    if request.validators.last_modified:
        headers["If-Modified-Since"] = request.validators.last_modified
    try:
        # One deadline for the whole answer: httpx's read timeout restarts with every chunk,
        # so a server trickling bytes would otherwise never time out.
        async with asyncio.timeout(policy.timeout):
            async with client.stream("GET", request.url, headers=headers) as response:
                url = str(response.url)
                if response.status_code == 304:
                    return FetchResult("not-modified", url, 304,
                                       validators=_validators(response, request.validators),
                                       seconds=time.monotonic() - began)
                if response.status_code != 200:
                    reason = response.reason_phrase or "error"
                    return failed(f"HTTP {response.status_code} {reason}",
                                  response.status_code, url)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > policy.max_bytes:
                    return failed(_too_big(policy), 200, url)
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > policy.max_bytes:
                        return failed(_too_big(policy), 200, url)
                    chunks.append(chunk)
                return FetchResult("fetched", url, 200, b"".join(chunks),
                                   _validators(response, Validators()),
                                   seconds=time.monotonic() - began)
    except TimeoutError:
        return failed(f"timed out after {policy.timeout:g} s")
    except httpx.TooManyRedirects:
        return failed(f"more than {policy.max_redirects} redirects")
    except httpx.TimeoutException:
        return failed(f"timed out after {policy.timeout:g} s")
    except httpx.UnsupportedProtocol as exc:
        return failed(f"redirected to an address that is not http or https ({exc})")
    except httpx.HTTPError as exc:
        return failed(str(exc) or type(exc).__name__)


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """One TLS context per process: loading the CA bundle costs more CPU than a whole pull of
    sources that answer 304."""
    return httpx.create_ssl_context()


def _validators(response: httpx.Response, previous: Validators) -> Validators:
    return Validators(response.headers.get("ETag") or previous.etag,
                      response.headers.get("Last-Modified") or previous.last_modified)


def _too_big(policy: FetchPolicy) -> str:
    return f"larger than {policy.max_bytes / 1_000_000:g} MB; not read"
