"""The value invariant (contract 3.3), kept by PostgreSQL for every writer: the moving average of
the worked example, the two edge rules, transfers, plain SQL, the read-only figures, archiving,
and receipts and sales of one product from many connections at once."""

import asyncio
import contextlib
import random
from decimal import ROUND_HALF_UP, Decimal

import asyncpg
import pytest

from tests.support.database import connect_serving
from tests.support.sql import assert_ledger_holds, assert_value_holds, one_row

FIGURES = "SELECT quantity, average_cost, stock_value FROM products WHERE id = $1"
VALUES = (
    "SELECT reason, delta, unit_cost, value_delta, unit_price FROM stock_movements"
    " WHERE product_id = $1 ORDER BY id"
)


def half_away(amount: Decimal) -> Decimal:
    """PostgreSQL's round(amount, 4): half away from zero (Python's round() goes to even)."""
    return amount.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


async def new_product(db: asyncpg.Connection, quantity: int, cost: str, price: str = "5.00") -> int:
    product: int = await db.fetchval(
        "INSERT INTO products (name, description, price, quantity, average_cost)"
        " VALUES ('Cup ' || gen_random_uuid(), '', $1, $2, $3) RETURNING id",
        Decimal(price),
        quantity,
        Decimal(cost),
    )
    return product


async def move(db: asyncpg.Connection, product: int, delta: int, reason: str, **terms: str) -> None:
    """A move as the API makes one: the reason and terms as transaction-local settings."""
    async with db.transaction():
        await db.execute("SELECT set_config('inventory.movement_reason', $1, true)", reason)
        for name, value in terms.items():
            await db.execute(f"SELECT set_config('inventory.movement_{name}', $1, true)", value)
        await db.execute("UPDATE products SET quantity = quantity + $2 WHERE id = $1", product, delta)


async def figures(db: asyncpg.Connection, product: int) -> tuple[int, Decimal, Decimal]:
    row = await one_row(db, FIGURES, product)
    return row["quantity"], row["average_cost"], row["stock_value"]


async def test_the_worked_example(db: asyncpg.Connection) -> None:
    product = await new_product(db, 10, "2.00")
    await move(db, product, 5, "received", unit_cost="3.50")
    assert await figures(db, product) == (15, Decimal("2.5"), Decimal("37.5"))
    await move(db, product, -3, "sold")
    assert await figures(db, product) == (12, Decimal("2.5"), Decimal("30"))
    assert [tuple(row) for row in await db.fetch(VALUES, product)] == [
        ("initial", 10, Decimal("2"), Decimal("20"), None),
        ("received", 5, Decimal("3.5"), Decimal("17.5"), None),
        ("sold", -3, Decimal("2.5"), Decimal("-7.5"), Decimal("5")),
    ]
    await assert_ledger_holds(db)


async def test_a_decrease_never_takes_more_than_is_on_hand_and_the_last_takes_what_remained(
    db: asyncpg.Connection,
) -> None:
    product = await new_product(db, 3, "3.3333")  # worth 9.9999
    await move(db, product, 1, "received", unit_cost="0.0004")  # 10.0003 for 4: average 2.5001
    assert await figures(db, product) == (4, Decimal("2.5001"), Decimal("10.0003"))
    await move(db, product, -3, "sold", unit_price="9.99")
    assert await figures(db, product) == (1, Decimal("2.5000"), Decimal("2.5000"))
    await move(db, product, -1, "damaged")  # the last one: exactly what remained
    assert await figures(db, product) == (0, Decimal("2.5000"), Decimal("0"))
    rows = await db.fetch(VALUES, product)
    assert [row["value_delta"] for row in rows] == [
        Decimal(v) for v in ("9.9999", "0.0004", "-7.5003", "-2.5")
    ]
    assert rows[2]["unit_price"] == Decimal("9.99")
    await move(db, product, 2, "returned")  # at the average it kept at 0
    assert await figures(db, product) == (2, Decimal("2.5"), Decimal("5"))
    await assert_ledger_holds(db)


async def test_a_rounded_average_cannot_take_more_than_the_value(db: asyncpg.Connection) -> None:
    product = await new_product(db, 2, "0.0001")
    await move(db, product, 1, "received", unit_cost="0.0000")  # 0.0002 for 3: average 0.0001
    await move(db, product, -2, "sold")  # 2 x 0.0001 = 0.0002: all of it, with one left worth 0
    assert await figures(db, product) == (1, Decimal("0"), Decimal("0"))
    await move(db, product, -1, "sold")  # nothing left to take
    assert [row["value_delta"] for row in await db.fetch(VALUES, product)][-2:] == [Decimal("-0.0002"), 0]
    await assert_ledger_holds(db)


async def test_a_transfer_changes_neither_figure(db: asyncpg.Connection) -> None:
    room: int = await db.fetchval("INSERT INTO locations (name) VALUES ('Back room') RETURNING id")
    product = await new_product(db, 3, "3.3333")
    await move(db, product, 1, "received", unit_cost="0.0004")  # 10.0003 for 4 at 2.5001
    async with db.transaction():  # all of it, as the transfer route does: the average stays
        await db.execute("SELECT set_config('inventory.movement_reason', 'transfer_out', true)")
        await db.execute("UPDATE stock_levels SET quantity = 0 WHERE product_id = $1", product)
        await db.execute("SELECT set_config('inventory.movement_reason', 'transfer_in', true)")
        await db.execute("INSERT INTO stock_levels VALUES ($1, $2, 4)", product, room)
    assert await figures(db, product) == (4, Decimal("2.5001"), Decimal("10.0003"))
    out, back = (await db.fetch(VALUES, product))[-2:]
    assert (out["unit_cost"], back["unit_cost"]) == (Decimal("2.5001"), Decimal("2.5001"))
    assert out["value_delta"] == -back["value_delta"] == Decimal("-10.0003")  # capped at the value
    await assert_ledger_holds(db)


async def test_plain_sql_is_valued_and_cannot_set_the_figures(db: asyncpg.Connection) -> None:
    product = await new_product(db, 4, "1.25")
    await db.execute("UPDATE products SET quantity = 6 WHERE id = $1", product)  # a correction at cost
    await db.execute("UPDATE stock_levels SET quantity = 0 WHERE product_id = $1", product)
    assert await figures(db, product) == (0, Decimal("1.25"), Decimal("0"))
    for column in ("average_cost", "stock_value"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await db.execute(f"UPDATE products SET {column} = 9 WHERE id = $1", product)  # noqa: S608
    forged: int = await db.fetchval(
        "INSERT INTO products (name, description, price, quantity, average_cost, stock_value)"
        " VALUES ('Forged', '', 1, 2, 1.5, 999) RETURNING id"
    )
    assert await figures(db, forged) == (2, Decimal("1.5"), Decimal("3"))
    await assert_ledger_holds(db)


async def test_a_value_beyond_numeric_18_4_is_refused_and_changes_nothing(db: asyncpg.Connection) -> None:
    with pytest.raises(asyncpg.CheckViolationError, match="Stock value refused"):
        await new_product(db, 2_000_000_000, "9999999999")
    product = await new_product(db, 1, "1")
    with pytest.raises(asyncpg.CheckViolationError, match="Stock value refused"):
        await move(db, product, 2_000_000_000, "received", unit_cost="9999999999.9999")
    assert await figures(db, product) == (1, Decimal("1"), Decimal("1"))
    await assert_ledger_holds(db)


async def test_archiving_takes_a_product_out_of_the_summaries_and_restoring_puts_it_back(
    db: asyncpg.Connection,
) -> None:
    kept, archived = await new_product(db, 3, "2"), await new_product(db, 5, "1")
    await move(db, archived, -2, "sold")
    await db.execute("DELETE FROM products WHERE id = $1", archived)  # archives
    await assert_value_holds(db)
    await db.execute("UPDATE products SET archived_at = NULL WHERE id = $1", archived)
    await move(db, kept, -1, "sold")
    await assert_value_holds(db)
    await db.execute("SELECT stock_value_fold()")
    assert await db.fetchval("SELECT count(*) FROM stock_value_changes") == 0
    await assert_value_holds(db)


async def test_concurrent_receipts_and_sales_keep_the_value(
    database_url: str, db: asyncpg.Connection
) -> None:
    product = await new_product(db, 100, "1.0000")
    rng = random.Random(20)
    costs = [f"{rng.randint(0, 99999) / 10000:.4f}" for _ in range(64)]

    async def client(number: int) -> None:
        connection = await connect_serving(database_url)
        try:
            for step in range(8):
                if (number + step) % 2:
                    await move(connection, product, rng.randint(1, 5), "received", unit_cost=costs[number])
                else:
                    with contextlib.suppress(asyncpg.CheckViolationError):  # not enough: refused
                        await move(connection, product, -rng.randint(1, 5), "sold")
                if step % 4 == 0:
                    await connection.execute("SELECT stock_value_fold()")
        finally:
            await connection.close()

    await asyncio.gather(*(client(number) for number in range(16)))
    rows = await db.fetch(
        "SELECT reason, delta, unit_cost, value_delta FROM stock_movements WHERE product_id = $1 ORDER BY id",
        product,
    )
    assert len(rows) > 100
    value, quantity = Decimal(0), 0  # replay the rules in id order: the order the row lock made
    for row in rows:
        average = half_away(value / quantity) if quantity else Decimal("1.0000")
        if row["reason"] in ("initial", "received"):
            expected = row["delta"] * row["unit_cost"]
        else:
            assert row["unit_cost"] == average
            expected = -value if quantity + row["delta"] == 0 else max(row["delta"] * average, -value)
        assert row["value_delta"] == expected
        value, quantity = value + expected, quantity + row["delta"]
    assert await figures(db, product) == (
        quantity,
        half_away(value / quantity) if quantity else Decimal(1),
        value,
    )
    await assert_ledger_holds(db)
