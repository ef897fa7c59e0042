"""FastAPI dependencies: `Connection`, one pooled database connection per request.

It comes from the engine the app built in its lifespan (`app.state.engine`) and goes back to
the pool when the route function returns, before the response is sent (`scope="function"`).
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


async def _connection(request: Request) -> AsyncIterator[AsyncConnection]:
    engine: AsyncEngine = request.app.state.engine
    async with engine.connect() as connection:
        yield connection


Connection = Annotated[AsyncConnection, Depends(_connection, scope="function")]
