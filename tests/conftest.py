"""Shared fixtures: a real PostgreSQL test database, migrated from scratch, and an HTTP client.

The test database is `<service database>_test` on the same server (never the service's own
data); `scripts.local_postgres` starts the server and creates the role and database if needed,
exactly as run.sh does.
"""

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url

from scripts.local_postgres import ensure_database

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _test_database_url() -> str:
    service_database = make_url(os.environ.get("DATABASE_URL") or "postgresql://x@h/inventory_db").database
    return ensure_database(f"{service_database}_test")


TEST_DATABASE_URL = _test_database_url()
# The app reads its settings at import time: point it at the test database first.
os.environ["DATABASE_URL"] = TEST_DATABASE_URL

from app.database import engine  # noqa: E402
from app.main import app  # noqa: E402


def asyncpg_dsn(url: str) -> str:
    """The plain libpq form of a SQLAlchemy URL, for asyncpg.connect()."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def run_alembic(*args: str, url: str = TEST_DATABASE_URL) -> subprocess.CompletedProcess[str]:
    """Run the Alembic CLI as a user would, against `url`."""
    return subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session", autouse=True)
async def migrated_database() -> AsyncIterator[None]:
    """Rebuild the test database's schema from the migrations once per run."""
    connection = await asyncpg.connect(asyncpg_dsn(TEST_DATABASE_URL))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    migration = run_alembic("upgrade", "head")
    assert migration.returncode == 0, migration.stderr
    yield
    await engine.dispose()


@pytest.fixture(scope="session")
async def db() -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the test database, to check what the API did by SQL."""
    connection = await asyncpg.connect(asyncpg_dsn(TEST_DATABASE_URL))
    yield connection
    await connection.close()


@pytest.fixture(autouse=True)
async def empty_products(db: asyncpg.Connection) -> None:
    """Every test starts with no products."""
    await db.execute("TRUNCATE products RESTART IDENTITY")


@pytest.fixture(scope="session")
async def client() -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://inventory.test") as http:
        yield http
