"""One settings object, read from ``CALFEED_*`` environment variables when asked for."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting calfeed has. The README lists each one; a test keeps that list honest."""

    model_config = SettingsConfigDict(env_prefix="CALFEED_", extra="ignore")

    data: Path = Field(Path("data/events.yaml"), description="The source file.")
    database_url: str = Field(
        "sqlite:///var/calfeed.db",
        description="SQLAlchemy URL; postgresql+psycopg://user:pass@host/db for PostgreSQL.",
    )
    base_url: str | None = Field(
        None, description="Public address for absolute links; overrides calendar.base_url."
    )
    host: str = Field("127.0.0.1", description="Address `calfeed serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `calfeed serve` listens on.")
    watch_interval: float = Field(
        2.0,
        gt=0,
        description="Seconds between checks for an edited source file and for syncs made by "
        "other processes (replicas).",
    )
    watch_settle: float = Field(
        2.0,
        ge=0,
        description="Seconds an edited source file must stay unchanged before `calfeed serve` "
        "publishes it, so a file still being written is never published half-way.",
    )
    removals_hold: float = Field(
        600.0,
        ge=0,
        description="Seconds `calfeed serve` holds back an edit that would remove most of the "
        "entries; if the file stays unchanged that long, it is published.",
    )
    refresh_interval: int = Field(
        60, ge=5, description="Minutes calendar clients are asked to wait between refreshes."
    )
    cache_max_age: int = Field(
        300, ge=0, description="Seconds browsers and CDNs may reuse a response (Cache-Control)."
    )
    feed_entries: int = Field(50, ge=1, le=1000, description="Entries in an Atom/RSS feed.")
    lock_timeout: float = Field(
        30.0,
        gt=0,
        description="Seconds a sync waits for another sync (or `calfeed serve`) writing to the "
        "database before it gives up and says so.",
    )
    log_level: str = Field("info", description="Log level: debug, info, warning, error.")
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Processes `calfeed serve` answers requests with; each holds its own copy "
        "of the rendered responses. One per CPU core uses the whole machine.",
    )
    response_cache_bytes: int = Field(
        64 * 1024 * 1024,
        ge=0,
        description="Bytes of rendered responses one process keeps in memory per data revision "
        "(the response cache and the replay layer, each); the least recently used go first, "
        "so no pattern of distinct URLs grows the process. 0 keeps none.",
    )
    min_free_mb: int = Field(
        32,
        ge=0,
        description="Free space (MiB) below which /healthz reports the disk of the source file "
        "or the SQLite database as a problem ('degraded'): syncs may fail half-way below it. "
        "0 turns the check off.",
    )
    access_log: bool = Field(
        True,
        description="`calfeed serve` writes a line per request to standard output, in the "
        "combined log format nginx and Apache write.",
    )

    language: Literal["nb", "en"] | None = Field(
        None,
        description="Language of the messages of check, sync, pull and extract, and of the "
        "one-line failures of every command; default: the source's calendar.language.",
    )

    pull_allow_private: bool = Field(
        False,
        description="Let `calfeed pull` fetch partner sources at private and loopback "
        "addresses (an intranet partner, tests). Off: such sources are refused.",
    )
    pull_timeout: float = Field(
        30.0, gt=0, description="Seconds one partner source may take to answer, body included."
    )
    pull_max_bytes: int = Field(
        10_000_000, ge=1000, description="Largest answer read from a partner source, in bytes."
    )

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value


def configure_logging(settings: Settings) -> None:
    """Log lines as every calfeed process writes them (the CLI, and each `serve` worker)."""
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment now; keyword arguments win (used by tests and CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
