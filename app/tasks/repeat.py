"""Run a background job of the app's lifespan forever, every so many seconds, surviving outages."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger("inventory")


async def repeat(job: Callable[[], Awaitable[object]], seconds: float, what: str) -> None:
    """Run `job` now and then every `seconds`; a database that fails it is logged, and tried again."""
    while True:
        try:
            await job()
        except (SQLAlchemyError, OSError) as failure:
            logger.warning("%s failed, retrying later: %s", what, type(failure).__name__)
        await asyncio.sleep(seconds)
