"""Shared fixtures: the test database (migrated from scratch once per run), the app built with
test settings, an HTTP client on it, and a direct connection to check what PostgreSQL holds.

Nothing here runs at import: the database is found or started (tests.support.database) the
first time a test asks for it, so `pytest tests/unit` needs no PostgreSQL at all.
"""

from collections.abc import AsyncIterator

import asyncpg
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.config import Settings
from app.main import create_app
from harness.database import truncate_tables
from tests.support.database import connect, rebuild_schema, resolve_test_database_url


@pytest.fixture(scope="session")
async def database_url() -> str:
    """The test database's URL, its schema rebuilt from the migrations (once per run)."""
    url = resolve_test_database_url()
    await rebuild_schema(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """The app as `create_app` builds it, its lifespan running (it owns the engine)."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://inventory.test") as http:
        yield http


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the test database as its owner, to check what the API did by SQL."""
    connection = await connect(database_url)
    yield connection
    await connection.close()


@pytest.fixture
async def empty_tables(db: asyncpg.Connection) -> None:
    """Start a test with no products (and so nothing that hangs off them), no API keys and no
    idempotency keys."""
    await truncate_tables(db)
