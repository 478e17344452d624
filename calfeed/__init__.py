"""calfeed: one events.yaml published as calendar subscriptions, feeds, an API and a web page."""

__version__ = "0.1.0"
