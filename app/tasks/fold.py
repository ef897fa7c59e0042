"""The fold of the value changes into the reports' quarter-hour buckets: a task of every worker.

`fold_forever` runs in the app's lifespan (app.main): every `VALUE_FOLD_SECONDS` it calls the
database's `stock_value_fold()` (app.models.stock_value), which moves every change row into its
bucket in one statement. Reports are exact without it; it keeps the rows they sum few. Two
workers folding at once never fold a row twice (the DELETE's row locks decide).
"""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.models import FOLD
from app.tasks.repeat import repeat


async def fold_value_changes(engine: AsyncEngine) -> int:
    """Fold every change row into its bucket; how many were folded."""
    async with engine.connect() as db:
        return int(await db.scalar(select(getattr(func, FOLD)())) or 0)


async def fold_forever(engine: AsyncEngine, settings: Settings) -> None:
    await repeat(lambda: fold_value_changes(engine), settings.value_fold_seconds, "value fold")
