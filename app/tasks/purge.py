"""The purge of expired idempotency keys: a background task of every worker, no cron job needed.

`purge_forever` runs in the app's lifespan (app.main): at start-up and then every
`IDEMPOTENCY_PURGE_SECONDS` it deletes the keys older than `IDEMPOTENCY_TTL_HOURS`, in batches
of `PURGE_BATCH` rows (short statements that never wait for a key a request holds). An
unavailable database is logged and tried again at the next round.
"""

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.crud.idempotency import purge_expired
from app.tasks.repeat import repeat

PURGE_BATCH = 1000


async def purge_expired_keys(engine: AsyncEngine, ttl: timedelta) -> int:
    """Delete every expired key, one batch at a time; how many were deleted."""
    deleted = 0
    async with engine.connect() as db:
        while (batch := await purge_expired(db=db, ttl=ttl, limit=PURGE_BATCH)) > 0:
            deleted += batch
            if batch < PURGE_BATCH:
                break
    return deleted


async def purge_forever(engine: AsyncEngine, settings: Settings) -> None:
    ttl = timedelta(hours=settings.idempotency_ttl_hours)
    await repeat(
        lambda: purge_expired_keys(engine, ttl), settings.idempotency_purge_seconds, "idempotency key purge"
    )
