"""The trigger-kept product count (product_count_shards) stays exactly the number of live products
(a deleted product is archived, and leaves the count): plain SQL, concurrency."""

import asyncio
import random

import asyncpg
import pytest

from harness.database import truncate_tables
from tests.support.database import connect

LIVE = "SELECT count(*) FROM products WHERE archived_at IS NULL"
EXACT = (
    "SELECT (SELECT sum(row_count) FROM product_count_shards)"
    " = (SELECT count(*) FROM products WHERE archived_at IS NULL)"
)
"""One statement, one snapshot: the shards and the table agree in it (or the count is wrong)."""


async def counted(db: asyncpg.Connection) -> int:
    return int(await db.fetchval("SELECT sum(row_count) FROM product_count_shards"))


async def test_plain_sql_keeps_the_count(db: asyncpg.Connection) -> None:
    assert await counted(db) == 0
    await db.execute(
        "INSERT INTO products (name, description, price, quantity) "
        "SELECT 'Item ' || n, '', 1, 1 FROM generate_series(1, 500) AS n"
    )
    assert await counted(db) == 500
    await db.execute("DELETE FROM products WHERE id % 3 = 0")
    await db.execute("DELETE FROM products WHERE false")  # a statement that removes nothing
    await db.execute(
        "INSERT INTO products (name, description, price, quantity) SELECT 'x', '', 1, 1 WHERE false"
    )
    assert await counted(db) == await db.fetchval(LIVE) == 334
    assert await db.fetchval("SELECT count(*) FROM products") == 500  # the deleted are archived
    await db.execute("DELETE FROM products WHERE id = 3")  # archived already: nothing changes
    await db.execute("UPDATE products SET archived_at = NULL WHERE id = 6")  # restored by SQL
    assert await counted(db) == await db.fetchval(LIVE) == 335
    await db.execute("DELETE FROM products WHERE id = 6")
    async with db.transaction():
        await db.execute(
            "INSERT INTO products (name, description, price, quantity) VALUES ('kept', '', 1, 1)"
        )
    with pytest.raises(asyncpg.UniqueViolationError):  # both inserts or neither: neither is counted
        await db.execute(
            "INSERT INTO products (name, description, price, quantity) "
            "VALUES ('gone', '', 1, 1), ('KEPT', '', 1, 1)"
        )
    assert await counted(db) == 335
    await truncate_tables(db, ("products",))
    assert await db.fetch("SELECT * FROM product_count_shards WHERE row_count <> 0") == []
    assert await db.fetchval("SELECT count(*) FROM product_count_shards") == 16


async def writer(url: str, seed: int, rounds: int) -> int:
    """Inserts (one row, many rows), deletes (of anyone's rows) and rolled-back inserts; its shard."""
    randomness = random.Random(seed)
    connection = await connect(url)
    try:
        for n in range(rounds):
            choice = randomness.random()
            if choice < 0.4:
                await connection.execute(
                    "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, 1)",
                    f"w{seed}-{n}",
                )
            elif choice < 0.6:
                await connection.execute(
                    "INSERT INTO products (name, description, price, quantity) "
                    "SELECT $1 || g, '', 1, 1 FROM generate_series(1, $2::int) AS g",
                    f"w{seed}-{n}-",
                    randomness.randint(1, 20),
                )
            elif choice < 0.9:
                async with connection.transaction():  # rows locked in id order: writers never deadlock
                    chosen = await connection.fetch(
                        "SELECT id FROM products"
                        " WHERE id IN (SELECT id FROM products ORDER BY random() LIMIT $1)"
                        " ORDER BY id FOR UPDATE",
                        randomness.randint(1, 8),
                    )
                    await connection.execute(
                        "DELETE FROM products WHERE id = ANY($1::bigint[])", [row["id"] for row in chosen]
                    )
            else:
                transaction = connection.transaction()
                await transaction.start()
                await connection.execute(
                    "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, 1)",
                    f"rolled back {seed}-{n}",
                )
                await transaction.rollback()
        return int(connection.get_server_pid()) % 16
    finally:
        await connection.close()


async def test_concurrent_writers_keep_it_exact_and_spread_over_shards(
    database_url: str, db: asyncpg.Connection
) -> None:
    stop = asyncio.Event()

    async def reader() -> int:
        checks = 0
        while not stop.is_set():
            assert await db.fetchval(EXACT), "the count and the table disagreed in one snapshot"
            checks += 1
        return checks

    watching = asyncio.create_task(reader())
    try:
        shards = await asyncio.gather(*(writer(database_url, seed, 60) for seed in range(8)))
    finally:  # the shared connection must be free again for the next tests, whatever happened
        stop.set()
        checks = await watching
    assert checks > 0
    assert await db.fetchval(EXACT)
    touched = {
        row["shard"] for row in await db.fetch("SELECT shard FROM product_count_shards WHERE row_count <> 0")
    }
    assert touched <= set(shards)
    assert len(touched) >= min(2, len(set(shards)))
