"""Direct SQL helpers for checking what the API left in PostgreSQL."""

from typing import Any

import asyncpg


async def one_row(db: asyncpg.Connection, query: str, *args: Any) -> dict[str, Any]:
    """The single row `query` returns, as a dict; fails the test if there is none."""
    row = await db.fetchrow(query, *args)
    assert row is not None, f"no row for {query} {args}"
    return dict(row)
