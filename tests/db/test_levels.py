"""The ledger invariant per location (contract 3.1), kept by PostgreSQL: plain SQL on
`stock_levels` and on `products.quantity`, the one default location, and concurrent transfers,
moves, counts, baskets (in opposite orders, never deadlocking) and plain SQL at once."""

import asyncio
import random

import asyncpg
import pytest
from httpx import AsyncClient

from tests.support.database import connect, connect_serving
from tests.support.sql import assert_ledger_holds, one_row, stocked_products

LEVELS = "SELECT location_id, quantity FROM stock_levels WHERE product_id = $1 ORDER BY location_id"


async def second_location(db: asyncpg.Connection, name: str = "Back room") -> int:
    location: int = await db.fetchval("INSERT INTO locations (name) VALUES ($1) RETURNING id", name)
    return location


async def test_plain_sql_on_levels_records_movements_and_moves_the_total(db: asyncpg.Connection) -> None:
    room = await second_location(db)
    [product] = await stocked_products(db, 1, 5)
    await db.execute("INSERT INTO stock_levels VALUES ($1, $2, 4)", product, room)
    await db.execute(
        "UPDATE stock_levels SET quantity = quantity - 1 WHERE product_id = $1 AND location_id = $2",
        product,
        room,
    )
    await db.execute(
        "UPDATE stock_levels SET quantity = quantity WHERE product_id = $1", product
    )  # no change
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product) == 8
    assert [tuple(row) for row in await db.fetch(LEVELS, product)] == [(1, 5), (room, 3)]
    rows = await db.fetch(
        "SELECT location_id, delta, quantity_after, reason FROM stock_movements"
        " WHERE product_id = $1 ORDER BY id",
        product,
    )
    assert [tuple(row) for row in rows] == [
        (1, 5, 5, "initial"),
        (room, 4, 4, "correction"),
        (room, -1, 3, "correction"),
    ]
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("UPDATE stock_levels SET quantity = -1 WHERE product_id = $1", product)
    await assert_ledger_holds(db)


async def test_levels_keep_their_rows_and_keys(db: asyncpg.Connection) -> None:
    room = await second_location(db)
    [product] = await stocked_products(db, 1, 5)
    for statement, arguments in (
        ("DELETE FROM stock_levels WHERE product_id = $1", (product,)),
        ("TRUNCATE stock_levels", ()),
        ("UPDATE stock_levels SET location_id = $2 WHERE product_id = $1", (product, room)),
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="keeps its rows"):
            await db.execute(statement, *arguments)
    assert [tuple(row) for row in await db.fetch(LEVELS, product)] == [(1, 5)]


async def test_a_plain_total_is_a_correction_at_the_default_or_an_error(db: asyncpg.Connection) -> None:
    room = await second_location(db)
    [product] = await stocked_products(db, 1, 5)
    await db.execute("INSERT INTO stock_levels VALUES ($1, $2, 3)", product, room)
    await db.execute("UPDATE products SET quantity = 6 WHERE id = $1", product)  # 8 -> 6: the default gives 2
    assert [tuple(row) for row in await db.fetch(LEVELS, product)] == [(1, 3), (room, 3)]
    with pytest.raises(asyncpg.CheckViolationError, match="below 0") as refused:
        await db.execute("UPDATE products SET quantity = 2 WHERE id = $1", product)
    assert refused.value.constraint_name == "ck_stock_levels_quantity_nonnegative"
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product) == 6
    async with db.transaction():
        await db.execute("UPDATE locations SET is_default = false")
        await db.execute("UPDATE locations SET is_default = true WHERE id = $1", room)
    await db.execute("UPDATE products SET quantity = 3 WHERE id = $1", product)
    assert [tuple(row) for row in await db.fetch(LEVELS, product)] == [(1, 3), (room, 0)]
    newest = await one_row(
        db, "SELECT location_id, delta, reason FROM stock_movements ORDER BY id DESC LIMIT 1"
    )
    assert newest == {"location_id": room, "delta": -3, "reason": "correction"}
    await assert_ledger_holds(db)


async def test_there_is_always_exactly_one_default(db: asyncpg.Connection) -> None:
    room = await second_location(db)
    with pytest.raises(asyncpg.UniqueViolationError):
        await db.execute("UPDATE locations SET is_default = true WHERE id = $1", room)
    with pytest.raises(asyncpg.CheckViolationError, match="No default location"):
        await db.execute("UPDATE locations SET is_default = false")
    with pytest.raises(asyncpg.CheckViolationError, match="No default location"):
        await db.execute("DELETE FROM locations WHERE is_default")
    async with db.transaction():  # cleared, then set: fine at commit
        await db.execute("UPDATE locations SET is_default = false")
        await db.execute("UPDATE locations SET is_default = true WHERE id = $1", room)
    assert await db.fetchval("SELECT array_agg(id) FROM locations WHERE is_default") == [room]


async def test_the_serving_role_cannot_alter_what_the_triggers_keep(database_url: str) -> None:
    serving = await connect_serving(database_url)
    try:
        for statement in (
            "DELETE FROM stock_levels",
            "ALTER TABLE stock_levels DISABLE TRIGGER stock_levels_keep",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await serving.execute(statement)
    finally:
        await serving.close()


async def test_concurrent_transfers_moves_counts_baskets_and_plain_sql_keep_every_level(
    client: AsyncClient, db: asyncpg.Connection, database_url: str
) -> None:
    rooms = [1, await second_location(db, "Back room"), await second_location(db, "Stall")]
    products = await stocked_products(db, 4, 50)
    random.seed(19)

    async def api_writer(rounds: int) -> None:
        for _ in range(rounds):
            product = random.choice(products)
            source, destination = random.sample(rooms, 2)
            choice = random.random()
            if choice < 0.35:
                await client.post(
                    f"/products/{product}/transfers",
                    json={
                        "from_location_id": source,
                        "to_location_id": destination,
                        "quantity": random.randint(1, 5),
                    },
                )
            elif choice < 0.6:
                await client.post(
                    f"/products/{product}/stock",
                    json={"delta": random.choice([-3, -1, 2]), "location_id": source},
                )
            elif choice < 0.7:
                await client.post(
                    f"/products/{product}/count",
                    json={"counted": random.randint(0, 20), "location_id": source},
                )
            else:
                lines = [
                    {
                        "product_id": p,
                        "delta": random.choice([-2, -1, 1]),
                        "location_id": random.choice(rooms),
                    }
                    for p in random.sample(products, 3)
                ]
                await client.post("/stock/batch", json={"lines": lines})

    async def sql_writer(rounds: int) -> None:
        connection = await connect(database_url)
        try:
            for _ in range(rounds):
                product, location = random.choice(products), random.choice(rooms)
                if random.random() < 0.5:
                    async with connection.transaction():  # as docs/API.md advises: the product first
                        await connection.execute("SELECT FROM products WHERE id = $1 FOR UPDATE", product)
                        await connection.execute(
                            "INSERT INTO stock_levels VALUES ($1, $2, 1)"
                            " ON CONFLICT (product_id, location_id)"
                            " DO UPDATE SET quantity = stock_levels.quantity + 1",
                            product,
                            location,
                        )
                else:
                    await connection.execute(
                        "UPDATE products SET quantity = quantity + 1 WHERE id = $1", product
                    )
        finally:
            await connection.close()

    await asyncio.gather(*(api_writer(40) for _ in range(6)), *(sql_writer(40) for _ in range(2)))
    await assert_ledger_holds(db)
    kinds = await db.fetchval(
        "SELECT count(DISTINCT CASE WHEN batch_id IS NOT NULL THEN 'basket' ELSE reason END)"
        " FROM stock_movements"
        " WHERE reason IN ('transfer_out', 'adjustment', 'count', 'correction') OR batch_id IS NOT NULL"
    )
    assert kinds == 5, "every kind of writer got through at least once"
    assert await db.fetchval("SELECT count(*) FROM stock_levels WHERE quantity < 0") == 0


async def test_baskets_in_opposite_orders_never_deadlock(client: AsyncClient, db: asyncpg.Connection) -> None:
    room = await second_location(db)
    products = await stocked_products(db, 4, 1000)

    def lines(order: list[int]) -> list[dict[str, int]]:
        return [{"product_id": p, "delta": -1, "location_id": 1} for p in order] + [
            {"product_id": p, "delta": 1, "location_id": room} for p in order
        ]

    for _ in range(25):
        forward = client.post("/stock/batch", json={"lines": lines(products)})
        backward = client.post("/stock/batch", json={"lines": lines(products[::-1])})
        answers = await asyncio.gather(forward, backward)
        assert [answer.status_code for answer in answers] == [200, 200], answers[0].text + answers[1].text
    assert [tuple(row) for row in await db.fetch(LEVELS, products[0])] == [(1, 950), (room, 50)]
    await assert_ledger_holds(db)
