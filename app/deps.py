"""FastAPI dependencies: `Connection`, one pooled database connection per request; `Engine` and
`AppSettings`, what the app was built with.

The connection comes from the engine the app built in its lifespan (`app.state.engine`) and goes
back to the pool when the route function returns, before the response is sent (`scope="function"`).
A streamed response that reads on after that (the CSV export) borrows connections from `Engine`.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.config import Settings


async def _connection(request: Request) -> AsyncIterator[AsyncConnection]:
    engine: AsyncEngine = request.app.state.engine
    async with engine.connect() as connection:
        yield connection


def _engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Connection = Annotated[AsyncConnection, Depends(_connection, scope="function")]
Engine = Annotated[AsyncEngine, Depends(_engine)]
AppSettings = Annotated[Settings, Depends(_settings)]
