"""The ASGI application: `app.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from app.database import engine
from app.errors import install_error_handlers
from app.routes import health, products

DESCRIPTION = """\
Track the products of a shop: what it sells, at what price, how many are on the shelf.

Prices are exact decimals, sent and returned as strings such as `"19.99"`.
Every error body is JSON with a `detail`.
"""


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


def create_app() -> FastAPI:
    """The app, with Swagger UI (/docs) and ReDoc (/redoc) served from local assets."""
    application = FastAPIOffline(
        title="Inventory", version="1.0.0", description=DESCRIPTION, lifespan=lifespan
    )
    install_error_handlers(application)
    application.include_router(products.router)
    application.include_router(health.router)
    return application


app = create_app()
