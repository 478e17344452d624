"""The pipeline's tests run on SQLite and on a real PostgreSQL, like the store's."""

from tests.store.conftest import engine, engine_url

__all__ = ["engine", "engine_url"]
