"""HTTP: the app factory, thin routes, and the caching machinery they share."""

from .app import create_app

__all__ = ["create_app"]
