"""`transaction(db)` on the app's autocommit connections: all or nothing, savepoints inside."""

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.config import Settings
from app.core.database import build_engine, is_database_unavailable, transaction

INSERT = text("INSERT INTO products (name, description, price, quantity) VALUES (:name, '', 1, 0)")


class RefusedError(Exception):
    pass


async def insert_then_fail(connection: AsyncConnection, name: str) -> None:
    async with transaction(connection):
        await connection.execute(INSERT, {"name": name})
        raise RefusedError


@pytest.fixture
async def engine(settings: Settings) -> AsyncEngine:
    return build_engine(settings)


async def names(db: asyncpg.Connection) -> list[str]:
    return [row["name"] for row in await db.fetch("SELECT name FROM products ORDER BY id")]


async def test_statements_commit_together_or_not_at_all(engine: AsyncEngine, db: asyncpg.Connection) -> None:
    async with engine.connect() as connection:
        async with transaction(connection):
            await connection.execute(INSERT, {"name": "a"})
            await connection.execute(INSERT, {"name": "b"})
        with pytest.raises(RefusedError):
            await insert_then_fail(connection, "c")
        await connection.execute(INSERT, {"name": "d"})  # autocommit again afterwards
    await engine.dispose()
    assert await names(db) == ["a", "b", "d"]


async def test_an_inner_transaction_is_a_savepoint(engine: AsyncEngine, db: asyncpg.Connection) -> None:
    async with engine.connect() as connection, transaction(connection):
        await connection.execute(INSERT, {"name": "outer"})
        with pytest.raises(RefusedError):
            await insert_then_fail(connection, "inner")
        assert await names(db) == []  # nothing is visible before the outer commit
    await engine.dispose()
    assert await names(db) == ["outer"]


async def insert_then_lose_the_connection(connection: AsyncConnection, db: asyncpg.Connection) -> None:
    async with transaction(connection):
        await connection.execute(INSERT, {"name": "lost"})
        pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await db.execute("SELECT pg_terminate_backend($1)", pid)
        await connection.execute(INSERT, {"name": "after"})


async def test_a_connection_lost_inside_raises_a_database_error(
    engine: AsyncEngine, db: asyncpg.Connection
) -> None:
    """Not a MissingGreenlet from cleaning up a dead connection: app.api.errors must see a 503 kind."""
    async with engine.connect() as connection:
        with pytest.raises(DBAPIError) as raised:
            await insert_then_lose_the_connection(connection, db)
        assert is_database_unavailable(raised.value)
    await engine.dispose()
    assert await names(db) == []
