"""Pure Python: no database, no server."""
