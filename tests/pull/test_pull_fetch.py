"""Fetching partner sources from a real HTTP server on 127.0.0.1: conditional requests, the
limits (time, size, redirects, schemes), refused private addresses, concurrency."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from calfeed.pull.fetch import FetchPolicy, FetchRequest, FetchResult, Validators, fetch_all
from calfeed.pull.guard import is_public
from tests.support.upstream import Upstream, serve_upstream

DATA = Path(__file__).parent.parent / "data" / "pull"
LOCAL = FetchPolicy(allow_private=True, timeout=2.0, max_bytes=1024 * 1024)


@pytest.fixture
def upstream(tmp_path: Path) -> Upstream:
    shutil.copytree(DATA, tmp_path / "up")
    with serve_upstream(tmp_path / "up") as server:
        yield server


NONE = Validators()


def fetch(url: str, policy: FetchPolicy = LOCAL, validators: Validators = NONE,
          fmt: str = "ics") -> FetchResult:
    return fetch_all([FetchRequest("partner", url, fmt, validators)], policy)["partner"]


def test_unchanged_upstream_answers_304_to_the_validators_of_the_last_answer(
        upstream: Upstream) -> None:
    first = fetch(upstream.url("google.ics"))
    assert first.outcome == "fetched" and first.status == 200
    assert first.body == (DATA / "google.ics").read_bytes()
    assert first.validators.etag and first.validators.last_modified
    second = fetch(upstream.url("google.ics"), validators=first.validators)
    assert second.outcome == "not-modified" and second.body is None
    assert second.validators == first.validators  # kept for the next pull
    assert second.describe() == "HTTP 304 not modified"
    assert upstream.requests[-1][2] == first.validators.etag  # If-None-Match was sent


def test_a_changed_file_is_fetched_again(upstream: Upstream) -> None:
    first = fetch(upstream.url("google.ics"))
    path = upstream.directory / "google.ics"
    path.write_bytes(path.read_bytes().replace(b"SEQUENCE:2", b"SEQUENCE:3"))
    second = fetch(upstream.url("google.ics"), validators=first.validators)
    assert second.outcome == "fetched" and b"SEQUENCE:3" in (second.body or b"")
    assert second.validators.etag != first.validators.etag


def test_last_modified_alone_is_used_when_there_is_no_etag(upstream: Upstream) -> None:
    first = fetch(upstream.url("google.ics", "lm"))
    assert first.validators.etag is None and first.validators.last_modified
    assert fetch(upstream.url("google.ics", "lm"), validators=first.validators).status == 304


def test_a_redirect_is_followed_and_the_final_address_kept(upstream: Upstream) -> None:
    result = fetch(upstream.url("google.ics", "redirect"))
    assert result.outcome == "fetched"
    assert result.url == upstream.url("google.ics")


@pytest.mark.parametrize(("behaviour", "reason"), [
    ("error", "HTTP 500"),
    ("loop", "more than 3 redirects"),
    ("to-file", "not http or https"),
    ("slow", "timed out after 0.5 s"),
    ("trickle", "timed out after 0.5 s"),  # bytes keep coming, but the whole answer is late
    ("big", "larger than 0.1 MB"),
    ("big-stream", "larger than 0.1 MB"),  # no Content-Length: counted while reading
])
def test_each_failure_is_a_result_with_its_reason(upstream: Upstream, behaviour: str,
                                                  reason: str) -> None:
    # A short limit only where the time is the point (the server waits 3 s or trickles);
    # elsewhere a generous one, so a busy machine does not turn a failure into a timeout.
    timeout = 0.5 if behaviour in ("slow", "trickle") else 20.0
    policy = FetchPolicy(allow_private=True, timeout=timeout, max_bytes=100_000,
                         max_redirects=3)
    result = fetch(upstream.url("google.ics", behaviour), policy)
    assert result.outcome == "failed"
    assert reason in (result.error or ""), result.error
    assert result.describe().startswith("failed: ")


def test_only_http_and_https_are_fetched() -> None:
    result = fetch("file:///etc/passwd")
    assert result.outcome == "failed" and "http and https" in (result.error or "")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_private_and_loopback_addresses_are_refused_unless_allowed(
        upstream: Upstream, host: str) -> None:
    url = upstream.url("google.ics").replace("127.0.0.1", host)
    refused = fetch(url, FetchPolicy())
    assert refused.outcome == "failed"
    assert "private or loopback" in (refused.error or "")
    assert "CALFEED_PULL_ALLOW_PRIVATE=1" in (refused.error or "")
    assert not upstream.requests  # no connection was made
    assert fetch(url, FetchPolicy(allow_private=True)).outcome == "fetched"


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.10", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("::1", False),
    ("0.0.0.0", False),  # noqa: S104 - an address to check, not one to bind
    ("fe80::1%eth0", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("224.0.0.1", False),
])
def test_which_addresses_count_as_public(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_sources_are_fetched_at_the_same_time_and_each_reported(upstream: Upstream) -> None:
    upstream.delay = 0.5
    names = ["google.ics", "outlook.ics", "apple.ics", "meetup.ics"]
    done: list[str] = []
    requests = [FetchRequest(n, upstream.url(n, "slow"), "ics") for n in names]
    results = fetch_all(requests, LOCAL, progress=lambda name, result: done.append(name))
    assert sorted(done) == sorted(names)
    assert all(r.outcome == "fetched" for r in results.values())
    assert upstream.most_in_flight > 1
