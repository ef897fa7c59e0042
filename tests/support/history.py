"""Rewriting when the ledger happened, for the report tests: the whole history (movements and the
value summaries) moved into the past, as if it had been recorded then."""

from datetime import timedelta

import asyncpg

from app.models import APPEND_ONLY


async def shift_history(owner: asyncpg.Connection, by: timedelta) -> None:
    """Move every movement and summary `by` into the past (whole quarter-hours keep each bucket
    whole). Needs the owner's connection: the ledger's append-only guard is off for the moment."""
    async with owner.transaction():
        await owner.execute(f"ALTER TABLE stock_movements DISABLE TRIGGER {APPEND_ONLY}")
        await owner.execute("UPDATE stock_movements SET created_at = created_at - $1::interval", by)
        await owner.execute(f"ALTER TABLE stock_movements ENABLE TRIGGER {APPEND_ONLY}")
        await owner.execute("UPDATE stock_value_changes SET bucket = bucket - $1::interval", by)
        await owner.execute("UPDATE stock_value_buckets SET bucket = bucket - $1::interval", by)
