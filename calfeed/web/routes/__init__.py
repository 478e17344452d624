"""One router per kind of output."""
