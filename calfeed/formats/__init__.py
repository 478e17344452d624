"""Pure builders: published entries + context in, bytes out. No database, no HTTP, no clock."""
