"""FastAPI dependencies: `Connection`, one pooled database connection per request; `Engine` and
`AppSettings`, what the app was built with.

A route that declares a `Connection` parameter gets a connection from the engine the app built
in its lifespan (`request.app.state.engine`), opened on first use and kept on `request.state` for the
rest of the request (`request_connection`). `ConnectionRoute`, the route class of every router,
returns it to the pool as soon as the route function has produced its response, before the
response is sent. (This costs a tenth of the CPU that a `yield` dependency's exit stack does
per request.) A streamed response that reads on after that (the CSV export) borrows connections
from `Engine`. A request sent with an Idempotency-Key opens its connection earlier, to hold the
transaction that stores its outcome (app.api.idempotency): the route gets that same one.
"""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.api.exact_json import read_numbers_exactly
from app.api.strict_query import declared_query_names, refuse_unknown_parameters
from app.core.config import Settings

STATE_KEY = "db"


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


async def request_connection(request: Request) -> AsyncConnection:
    """The request's connection: the one it holds already, or a new one it keeps from now on."""
    connection: AsyncConnection | None = getattr(request.state, STATE_KEY, None)
    if connection is None:
        engine: AsyncEngine = request.app.state.engine
        connection = await engine.connect()
        setattr(request.state, STATE_KEY, connection)
    return connection


async def _engine(request: Request) -> AsyncEngine:  # async: FastAPI runs a plain def in a thread
    engine: AsyncEngine = request.app.state.engine
    return engine


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Connection = Annotated[AsyncConnection, Depends(request_connection)]
Engine = Annotated[AsyncEngine, Depends(_engine)]
AppSettings = Annotated[Settings, Depends(_settings)]


class ConnectionRoute(APIRoute):
    """Closes the request's connection (if it opened one) once the route has answered.

    Before the route runs it also refuses query parameters the route does not declare
    (app.api.strict_query) and reads a JSON body with exact numbers (app.api.exact_json).
    """

    def get_route_handler(self) -> Handler:
        handle = self.get_connected_handler()
        declared = declared_query_names(self)
        takes_json = self.body_field is not None

        async def handle_then_release(request: Request) -> Response:
            try:
                refuse_unknown_parameters(request, declared)
                if takes_json:
                    await read_numbers_exactly(request)
                return await handle(request)
            finally:
                connection: AsyncConnection | None = getattr(request.state, STATE_KEY, None)
                if connection is not None:
                    setattr(request.state, STATE_KEY, None)
                    await connection.close()

        return handle_then_release

    def get_connected_handler(self) -> Handler:
        """What runs while the request may hold its connection; subclasses wrap it."""
        return super().get_route_handler()
