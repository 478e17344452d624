"""`calfeed pull`: fetch the partner sources, read and map them, decide what changes, store
each source's result, and publish when something changed.

Each source stands alone: one that fails (no answer, an error status, too big, malformed, far
fewer entries than before) keeps its last good entries and says why; the others go on. A source
that answers 304 costs no parsing, and when no source changed nothing is synced or rendered.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine

from .messages import line
from .model import Source
from .partners import PartnerSource, PulledEntry
from .publish import Publication, publish
from .pull.fetch import FetchPolicy, FetchRequest, FetchResult, Validators, fetch_all
from .pull.items import MalformedError
from .pull.mapping import Mapped, map_items
from .pull.readers import read_body
from .pull.revise import Revision, revise
from .settings import Settings
from .store.pulled import Outcome, PullState, last_good, pull_states, record_pulls


@dataclass(slots=True)
class SourceResult:
    """What one source's pull did, as `calfeed pull` prints it."""

    name: str
    http: str
    outcome: str  # "applied", "unchanged" or "kept"
    revision: Revision = field(default_factory=Revision)
    skipped: list[str] = field(default_factory=list)
    filtered: int = 0
    problem: str | None = None
    kept: int = 0  # entries kept from the last good pull, when outcome is "kept"

    def summary(self, lang: str = "en") -> str:
        r = self.revision
        if self.outcome == "kept":
            kept = line(lang, "pull_kept", n=self.kept)
            # A failed answer says why in the HTTP part already.
            return kept if self.http == f"failed: {self.problem}" else f"{kept}: {self.problem}"
        counts = line(lang, "pull_counts", added=len(r.added), changed=len(r.changed),
                      cancelled=len(r.cancelled), unchanged=len(r.unchanged),
                      skipped=len(self.skipped))
        return counts + (line(lang, "pull_filtered", n=self.filtered) if self.filtered else "")

    @property
    def changed(self) -> bool:
        return self.outcome == "applied" and self.revision.changes_anything


@dataclass(slots=True)
class PullRun:
    sources: list[SourceResult]
    published: Publication | None = None

    @property
    def failed(self) -> list[SourceResult]:
        return [s for s in self.sources if s.outcome == "kept"]


Progress = Callable[[str, FetchResult], None]
REREAD_SERIES = timedelta(days=7)


def policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(allow_private=settings.pull_allow_private, timeout=settings.pull_timeout,
                       max_bytes=settings.pull_max_bytes)


def pull(engine: Engine, source: Source, partners: Sequence[PartnerSource], now: datetime, *,
         settings: Settings, source_name: str = "", progress: Progress | None = None,
         force: bool = False) -> PullRun:
    # httpx logs every request at INFO; the pull reports each source itself.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLogger().level))
    states = pull_states(engine)
    previous = last_good(engine, [p.name for p in partners])
    requests = []
    for partner in partners:
        state = states.get(partner.name)
        known = state is not None and state.url == partner.url \
            and state.settings == _settings(partner, source) \
            and not _series_due(partner, previous[partner.name], now)
        validators = Validators(state.etag, state.last_modified) if known and state else \
            Validators()
        requests.append(FetchRequest(partner.name, partner.url, partner.format, validators))
    fetched = fetch_all(requests, policy(settings), progress)
    tz = source.calendar.timezone
    done = [_one(partner, fetched[partner.name], states.get(partner.name),
                 previous[partner.name], now, tz, force, _settings(partner, source))
            for partner in partners]
    record_pulls(engine, [outcome for _, outcome in done], lock_timeout=settings.lock_timeout)
    results = [result for result, _ in done]
    run = PullRun(results)
    if any(result.changed for result in results):
        run.published = publish(settings, engine, source, now, source_name or "calfeed pull")
    return run


def _settings(partner: PartnerSource, source: Source) -> str:
    """A fingerprint of what a source's entries are read with."""
    text = repr((partner.format, partner.type, partner.tags, partner.organizer,
                 partner.include, partner.exclude, source.calendar.timezone))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _series_due(partner: PartnerSource, previous: list[PulledEntry], now: datetime) -> bool:
    """Whether a calendar's body should be read again though it may be unchanged: its series
    are expanded a year ahead of the read (pull/ics.py), so a 304 for ever would let them run
    out. A week after the last read, ask without validators."""
    if partner.format != "ics" or not previous:
        return False
    return max(p.provenance.fetched for p in previous) <= now - REREAD_SERIES


def _one(partner: PartnerSource, result: FetchResult, old: PullState | None,
         previous: list[PulledEntry], now: datetime, tz: str, force: bool,
         settings: str) -> tuple[SourceResult, Outcome]:
    """What one source's answer means, and what to store for it (None: keep its entries)."""
    state = PullState(
        partner.name, partner.url,
        old.etag if old and old.url == partner.url else None,
        old.last_modified if old and old.url == partner.url else None,
        attempted_at=now, good_at=old.good_at if old else None, http=result.describe(),
        entry_count=len(previous), skipped=old.skipped if old else (),
        settings=old.settings if old else "")  # what the kept entries were read with

    def kept(problem: str) -> tuple[SourceResult, Outcome]:
        stored = _with(state, outcome="kept", problem=problem,
                       summary=f"kept {len(previous)} entries")
        return SourceResult(partner.name, result.describe(), "kept", problem=problem,
                            kept=len(previous)), (stored, None)

    if result.outcome == "failed":
        return kept(result.error or "failed")
    if result.outcome == "not-modified" or result.body is None:
        stored = _with(state, outcome="unchanged", good_at=now, validators=result.validators,
                       summary="not modified", settings=settings)
        return SourceResult(partner.name, result.describe(), "unchanged",
                            Revision(unchanged=[p.entry.id for p in previous])), (stored, None)
    try:
        parsed = read_body(partner, result.body, url=result.url, default_tz=tz, now=now)
    except MalformedError as exc:
        return kept(str(exc))
    mapped: Mapped = map_items(partner, parsed, fetched=now, default_tz=tz)
    revision = revise(previous, mapped.entries, now, force=force,
                      cancel_vanished=partner.format in ("ics", "jsonld"),
                      unwanted=mapped.unwanted)
    if revision.refused:
        return kept(revision.refused)
    outcome = "applied" if revision.changes_anything else "unchanged"
    skipped = [str(s) for s in mapped.skipped]
    answer = SourceResult(partner.name, result.describe(), outcome, revision, skipped,
                          mapped.filtered)
    stored = _with(state, outcome=outcome, good_at=now, validators=result.validators,
                   summary=answer.summary(), entry_count=len(revision.entries),
                   skipped=tuple(skipped), settings=settings)
    return answer, (stored, revision.entries)


def _with(state: PullState, *, validators: Validators | None = None,
          **changes: object) -> PullState:
    if validators is not None:
        changes["etag"], changes["last_modified"] = validators.etag, validators.last_modified
    return replace(state, **changes)  # type: ignore[arg-type]
