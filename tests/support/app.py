"""The one way tests build the app and talk to it in-process (as Starlette's test_client_factory):
`running_app(settings, **changes)` runs `create_app` with its lifespan (the engine, the purge),
`asgi_client(app, address=...)` is an httpx client on it, from a client address of choice.

tests/conftest.py's `app` and `client` are built with them, and its `app_factory` fixture hands
tests `running_app` bound to the test settings, for apps with other settings (auth modes, limits).
"""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from starlette.types import ASGIApp

from app.core.config import Settings
from app.main import create_app

BASE_URL = "http://inventory.test"
AppFactory = Callable[..., AbstractAsyncContextManager[FastAPI]]
"""`app_factory(auth_mode=AuthMode.ALL, ...)`: the app with those settings changed, running."""


@asynccontextmanager
async def running_app(settings: Settings, **changes: Any) -> AsyncIterator[FastAPI]:
    """The app as `create_app` builds it from `settings` with `changes`, its lifespan running."""
    application = create_app(settings.model_copy(update=changes))
    async with application.router.lifespan_context(application):
        yield application


def asgi_client(
    application: ASGIApp, address: str | None = None, *, raise_errors: bool = True
) -> AsyncClient:
    """An HTTP client on an ASGI app in this process; `address` is the client's (throttling is by
    it); with `raise_errors=False` an exception the app lets escape becomes the 500 a server sends."""
    client = (address, 40000) if address else ("127.0.0.1", 123)
    transport = ASGITransport(app=application, client=client, raise_app_exceptions=raise_errors)
    return AsyncClient(transport=transport, base_url=BASE_URL)
