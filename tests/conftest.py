"""Shared fixtures: the test database (migrated from scratch once per run), the app built with
test settings, an HTTP client on it, and a direct connection to check what PostgreSQL holds.

Nothing here runs at import: the database is found or started (tests.support.database) the
first time a test asks for it, so `pytest tests/unit` needs no PostgreSQL at all.
"""

from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

import asyncpg
import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.core.config import Settings
from harness.database import truncate_tables
from tests.support.app import AppFactory, asgi_client, running_app
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
def app_factory(settings: Settings) -> AppFactory:
    """`async with app_factory(auth_mode=AuthMode.ALL) as application:` an app with other settings."""
    return partial(running_app, settings)


@pytest.fixture(scope="session")
async def app(app_factory: AppFactory) -> AsyncIterator[FastAPI]:
    """The app as `create_app` builds it from the test settings, its lifespan running."""
    async with app_factory() as application:
        yield application


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with asgi_client(app) as http:
        yield http


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the test database as its owner, to check what the API did by SQL."""
    connection = await connect(database_url)
    yield connection
    await connection.close()


TESTS = Path(__file__).parent
STARTING_EMPTY = frozenset({"api", "db", "faults"})
"""The test folders whose every test starts with empty tables (tests/browser empties them in `shop`)."""


@pytest.fixture(autouse=True)
def _start_empty(request: pytest.FixtureRequest) -> None:
    """The one hook that empties the tables before each test of STARTING_EMPTY's folders; the unit
    tests never touch the database."""
    if STARTING_EMPTY.intersection(request.node.path.relative_to(TESTS).parts[:1]):
        request.getfixturevalue("empty_tables")


@pytest.fixture
async def empty_tables(db: asyncpg.Connection) -> None:
    """Start a test with no products (and so nothing that hangs off them), no API keys and no
    idempotency keys."""
    await truncate_tables(db)
