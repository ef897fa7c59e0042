"""The ledger lives in PostgreSQL: triggers record every quantity change, whoever writes it.

Plain SQL (as in psql) keeps the invariant: an INSERT with stock records `initial`, an UPDATE
that changes a quantity records `correction`, one that leaves it records nothing, and the
table's CHECKs refuse movements that break the sign rules.
"""

import asyncio

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.database import build_engine, transaction
from app.core.exceptions import StockLevelError
from app.core.ledger import MovementReason
from app.crud import stock
from tests.support.database import connect
from tests.support.sql import assert_ledger_holds, movements

INSERT = "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, $2) RETURNING id"
MOVEMENT = (
    "INSERT INTO stock_movements (product_id, location_id, delta, quantity_after, reason)"
    " VALUES ($1, 1, $2, $3, $4)"
)


async def test_plain_insert_with_stock_records_initial(db: asyncpg.Connection) -> None:
    stocked = await db.fetchval(INSERT, "Stocked", 7)
    empty = await db.fetchval(INSERT, "Empty", 0)
    initial = {"delta": 7, "quantity_after": 7, "reason": "initial", "note": ""}
    assert await movements(db, stocked) == [initial]
    assert await movements(db, empty) == []
    await assert_ledger_holds(db)


async def test_plain_update_records_a_correction_and_a_no_op_records_nothing(db: asyncpg.Connection) -> None:
    product = await db.fetchval(INSERT, "Widget", 5)
    await db.execute("UPDATE products SET quantity = 2 WHERE id = $1", product)
    await db.execute("UPDATE products SET quantity = 2, price = 3 WHERE id = $1", product)
    await db.execute("UPDATE products SET name = 'Renamed' WHERE id = $1", product)
    await db.execute("UPDATE products SET quantity = quantity + 10 WHERE id = $1", product)
    assert [(m["delta"], m["quantity_after"], m["reason"]) for m in await movements(db, product)] == [
        (5, 5, "initial"),
        (-3, 2, "correction"),
        (10, 12, "correction"),
    ]
    await assert_ledger_holds(db)


async def test_one_statement_over_many_products_records_each(db: asyncpg.Connection) -> None:
    ids = [await db.fetchval(INSERT, f"Item {i}", i) for i in range(4)]
    await db.execute("UPDATE products SET quantity = 3")
    assert [len(await movements(db, product)) for product in ids] == [1, 2, 2, 1]  # 3 -> 3 is no change
    await assert_ledger_holds(db)


async def test_deleting_a_product_archives_it_and_keeps_its_movements(db: asyncpg.Connection) -> None:
    kept = await db.fetchval(INSERT, "Kept", 1)
    gone = await db.fetchval(INSERT, "Gone", 4)
    await db.execute("UPDATE products SET quantity = 9 WHERE id = $1", gone)
    assert await db.execute("DELETE FROM products WHERE id = $1", gone) == "DELETE 0"  # archived instead
    archived = await db.fetchrow("SELECT quantity, archived_at FROM products WHERE id = $1", gone)
    assert archived is not None
    assert (archived["quantity"], archived["archived_at"] is not None) == (9, True)
    assert await movements(db, gone) == [
        {"delta": 4, "quantity_after": 4, "reason": "initial", "note": ""},
        {"delta": 5, "quantity_after": 9, "reason": "correction", "note": ""},
    ]
    again = await db.fetchval(INSERT, "GONE", 2)  # the name is free for a new product
    assert again != gone
    assert len(await movements(db, kept)) == 1
    await assert_ledger_holds(db)


async def test_a_quantity_the_check_refuses_records_nothing(db: asyncpg.Connection) -> None:
    product = await db.fetchval(INSERT, "Widget", 1)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("UPDATE products SET quantity = -1 WHERE id = $1", product)
    assert len(await movements(db, product)) == 1


@pytest.mark.parametrize(
    ("delta", "reason"),
    [
        (-1, "initial"),
        (0, "initial"),
        (-1, "received"),
        (-1, "returned"),
        (1, "sold"),
        (1, "damaged"),
        (0, "sold"),
        (0, "adjustment"),
        (0, "correction"),
        (1, "stolen"),
    ],
)
async def test_movements_breaking_the_sign_rules_are_refused(
    db: asyncpg.Connection, delta: int, reason: str
) -> None:
    product = await db.fetchval(INSERT, "Widget", 5)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(MOVEMENT, product, delta, 5, reason)


@pytest.mark.parametrize(
    ("delta", "reason"),
    [(1, "received"), (1, "returned"), (-1, "sold"), (-1, "damaged"), (-1, "adjustment"), (0, "count")],
)
async def test_movements_keeping_the_sign_rules_are_stored(
    db: asyncpg.Connection, delta: int, reason: str
) -> None:
    """Stored as written: the CHECKs accept each reason with its sign (a direct INSERT, as the owner)."""
    product = await db.fetchval(INSERT, "Widget", 5)
    await db.execute(MOVEMENT, product, delta, 5, reason)
    assert (await movements(db, product))[-1] == {
        "delta": delta,
        "quantity_after": 5,
        "reason": reason,
        "note": "",
    }


async def test_other_rules_of_a_movement(db: asyncpg.Connection) -> None:
    product = await db.fetchval(INSERT, "Widget", 5)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(MOVEMENT, product, -9, -4, "adjustment")
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await db.execute(MOVEMENT, product + 1, 1, 1, "received")
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(
            "INSERT INTO stock_movements (product_id, location_id, delta, quantity_after, reason, note)"
            " VALUES ($1, 1, 1, 6, 'received', $2)",
            product,
            "n" * 501,
        )
    with pytest.raises(asyncpg.GeneratedAlwaysError):
        await db.execute(
            "INSERT INTO stock_movements (id, product_id, location_id, delta, quantity_after, reason)"
            " VALUES (1, $1, 1, 1, 6, 'received')",
            product,
        )


async def test_concurrent_plain_updates_keep_the_running_sum(
    db: asyncpg.Connection, database_url: str
) -> None:
    product = await db.fetchval(INSERT, "Widget", 1000)
    connections = [await connect(database_url) for _ in range(8)]
    try:

        async def writer(connection: asyncpg.Connection, deltas: list[int]) -> None:
            for delta in deltas:
                await connection.execute(
                    "UPDATE products SET quantity = quantity + $2 WHERE id = $1", product, delta
                )

        plan = [[(-1) ** (i + j) * (j % 5 + 1) for j in range(25)] for i in range(len(connections))]
        await asyncio.gather(*[writer(c, deltas) for c, deltas in zip(connections, plan, strict=True)])
    finally:
        for connection in connections:
            await connection.close()
    quantity = await db.fetchval("SELECT quantity FROM products WHERE id = $1", product)
    assert quantity == 1000 + sum(map(sum, plan))
    assert await db.fetchval("SELECT count(*) FROM stock_movements WHERE product_id = $1", product) == 1 + 200
    await assert_ledger_holds(db)


# --- the reason and note handed to the trigger never outlive their statement ------------------


@pytest.fixture
async def engine(settings: Settings) -> AsyncEngine:
    return build_engine(settings)


PLAIN_UPDATE = text("UPDATE products SET quantity = quantity + 1 WHERE id = :id")


async def test_a_later_plain_update_in_the_same_transaction_is_a_correction(
    engine: AsyncEngine, db: asyncpg.Connection
) -> None:
    product = await db.fetchval(INSERT, "Widget", 5)
    async with engine.connect() as connection:
        async with transaction(connection):
            await stock.move_stock(
                db=connection, product_id=product, delta=-2, reason=MovementReason.SOLD, note="till"
            )
            await connection.execute(PLAIN_UPDATE, {"id": product})
            with pytest.raises(StockLevelError):  # refused: the trigger never ran to empty them
                await stock.move_stock(
                    db=connection, product_id=product, delta=-99, reason=MovementReason.DAMAGED, note="x"
                )
            await connection.execute(PLAIN_UPDATE, {"id": product})
            await stock.count_stock(db=connection, product_id=product, counted=6, note="counted")
            await connection.execute(text("UPDATE products SET price = 2 WHERE id = :id"), {"id": product})
            await connection.execute(PLAIN_UPDATE, {"id": product})
        await connection.execute(PLAIN_UPDATE, {"id": product})  # autocommit again
    await engine.dispose()
    assert await movements(db, product) == [
        {"delta": 5, "quantity_after": 5, "reason": "initial", "note": ""},
        {"delta": -2, "quantity_after": 3, "reason": "sold", "note": "till"},
        {"delta": 1, "quantity_after": 4, "reason": "correction", "note": ""},
        {"delta": 1, "quantity_after": 5, "reason": "correction", "note": ""},
        {"delta": 1, "quantity_after": 6, "reason": "count", "note": "counted"},
        {"delta": 1, "quantity_after": 7, "reason": "correction", "note": ""},
        {"delta": 1, "quantity_after": 8, "reason": "correction", "note": ""},
    ]
    await assert_ledger_holds(db)
