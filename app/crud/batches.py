"""Reading a whole table's worth of rows a batch at a time (the CSV exports), by keyset."""

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncEngine


async def in_batches(
    *,
    engine: AsyncEngine,
    statement: Executable,
    parameters: Mapping[str, Any],
    batch_size: int,
    after: Callable[[Row[Any]], Mapping[str, Any]],
) -> AsyncIterator[Sequence[Row[Any]]]:
    """`statement`'s batches of at most `batch_size` rows, the parameters of each next batch
    updated with `after(the last row)`. Each batch is read on a connection borrowed from
    `engine` for it alone, so a slow reader holds no connection between batches; the last batch
    is the first one that is short (it may be empty)."""
    while True:
        async with engine.connect() as db:
            batch = (await db.execute(statement, parameters)).all()
        yield batch
        if len(batch) < batch_size:
            return
        parameters = {**parameters, **after(batch[-1])}
