"""The test database and the tools to reach it: its URLs, connections as either role, Alembic.

The test database is `<service database>_test` (the service's name from DATABASE_URL, default
`inventory_db`) on the server run.sh would use; `app.provisioning.postgres` starts that server and
creates the two roles and the database if needed. Resolved on first use (a fixture), never at
import. A test database's URL is the serving role's (what the app connects with); `owner_url`
gives the owner's for the same database, which `connect` uses to check and reset what the app did.
"""

import asyncio
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from app.core.config import DEFAULT_DATABASE_URL
from app.provisioning.postgres import DatabaseUrls, ensure_database
from harness.database import asyncpg_dsn

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@lru_cache
def test_database() -> DatabaseUrls:
    """Both URLs of the test database (created, with its server and roles, if missing)."""
    service_database = make_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL).database
    return ensure_database(f"{service_database}_test")


def resolve_test_database_url() -> str:
    """The serving role's URL of the test database."""
    return test_database().serving


def owner_url(url: str) -> str:
    """The owner's URL of the database `url` names (the same URL in a one-role installation)."""
    owner = make_url(test_database().owner)
    return make_url(url).set(username=owner.username, password=owner.password).render_as_string(False)


async def sibling_database(base_url: str, purpose: str) -> str:
    """The URL of `<test database>_<purpose>` on the same server, created if missing (empty)."""
    urls = await asyncio.to_thread(ensure_database, f"{make_url(base_url).database}_{purpose}")
    return urls.serving


async def connect(url: str) -> asyncpg.Connection:
    """A connection as the owner of `url`'s database: to check what the app did, and to reset."""
    return await asyncpg.connect(asyncpg_dsn(owner_url(url)))


async def connect_serving(url: str) -> asyncpg.Connection:
    """A connection as the serving role itself, exactly as the app logs in."""
    return await asyncpg.connect(asyncpg_dsn(url))


def run_module(
    module: str, *args: str, url: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m MODULE ARGS` as a user would, against `url` (its owner migrating), with
    `env` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url, "MIGRATION_DATABASE_URL": owner_url(url), **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def run_alembic(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """Run the Alembic CLI as a user would, against `url`."""
    return run_module("alembic", *args, url=url)


def migrate(url: str) -> str:
    """`alembic upgrade head` on `url`, which is returned; fails the test if it fails."""
    migration = run_alembic("upgrade", "head", url=url)
    assert migration.returncode == 0, migration.stderr
    return url


async def rebuild_schema(url: str) -> None:
    """Drop everything in the database's public schema, then migrate it from scratch."""
    connection = await connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    await asyncio.to_thread(migrate, url)
