"""Every rule of the contract holds in PostgreSQL itself, for rows written with plain SQL."""

import asyncio

import asyncpg
import pytest

from tests.support.sql import one_row

INSERT = "INSERT INTO products (name, description, price, quantity) VALUES ($1, $2, $3, $4)"


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (("", "", 1, 1), asyncpg.CheckViolationError),
        ((" padded", "", 1, 1), asyncpg.CheckViolationError),
        (("padded\n", "", 1, 1), asyncpg.CheckViolationError),
        (("n" * 201, "", 1, 1), asyncpg.StringDataRightTruncationError),
        (("Widget", "d" * 2001, 1, 1), asyncpg.CheckViolationError),
        (("Widget", "", -0.01, 1), asyncpg.CheckViolationError),
        (("Widget", "", 10_000_000_000, 1), asyncpg.NumericValueOutOfRangeError),
        (("Widget", "", 1, -1), asyncpg.CheckViolationError),
        (("Widget", "", 1, 2_147_483_648), asyncpg.DataError),
        ((None, "", 1, 1), asyncpg.NotNullViolationError),
        (("Widget", None, 1, 1), asyncpg.NotNullViolationError),
        (("Widget", "", None, 1), asyncpg.NotNullViolationError),
        (("Widget", "", 1, None), asyncpg.NotNullViolationError),
    ],
)
async def test_invalid_rows_are_refused(
    db: asyncpg.Connection, row: tuple[object, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await db.execute(INSERT, *row)
    assert await db.fetchval("SELECT count(*) FROM products") == 0


async def test_names_are_unique_case_insensitively(db: asyncpg.Connection) -> None:
    await db.execute(INSERT, "Widget", "", 1, 1)
    with pytest.raises(asyncpg.UniqueViolationError) as raised:
        await db.execute(INSERT, "WIDGET", "", 1, 1)
    assert raised.value.constraint_name == "uq_products_name_lower"


async def test_price_keeps_two_decimals(db: asyncpg.Connection) -> None:
    await db.execute(INSERT, "Widget", "", "1.005", 1)
    assert str(await db.fetchval("SELECT price FROM products")) == "1.01"


async def test_id_is_generated_and_cannot_be_supplied(db: asyncpg.Connection) -> None:
    first = await db.fetchval(INSERT + " RETURNING id", "A", "", 1, 1)
    second = await db.fetchval(INSERT + " RETURNING id", "B", "", 1, 1)
    assert second > first
    with pytest.raises(asyncpg.GeneratedAlwaysError):
        await db.execute(
            "INSERT INTO products (id, name, description, price, quantity) VALUES (99, 'C', '', 1, 1)"
        )


async def test_plain_sql_update_advances_updated_at(db: asyncpg.Connection) -> None:
    created = await one_row(db, INSERT + " RETURNING id, created_at, updated_at", "Widget", "", 1, 1)
    assert created["created_at"] == created["updated_at"]
    await asyncio.sleep(0.01)
    updated = await one_row(
        db, "UPDATE products SET quantity = 2 WHERE id = $1 RETURNING created_at, updated_at", created["id"]
    )
    assert updated["created_at"] == created["created_at"]
    assert updated["updated_at"] > created["updated_at"]


CODED = (
    "INSERT INTO products (name, description, price, quantity, sku, barcode, reorder_level)"
    " VALUES ($1, '', 1, 1, $2, $3, $4)"
)


@pytest.mark.parametrize(
    ("sku", "barcode", "reorder_level"),
    [
        ("", None, 0),
        (" CUP", None, 0),
        ("CUP ", None, 0),
        ("two words", None, 0),
        ("ümlaut", None, 0),
        ("x" * 65, None, 0),
        (None, "1234567", 0),
        (None, "12345678901", 0),
        (None, "123456789012345", 0),
        (None, "4006381333931 ", 0),
        (None, "40063813339x1", 0),
        (None, None, -1),
    ],
)
async def test_invalid_codes_are_refused(
    db: asyncpg.Connection, sku: str | None, barcode: str | None, reorder_level: int
) -> None:
    with pytest.raises((asyncpg.CheckViolationError, asyncpg.StringDataRightTruncationError)):
        await db.execute(CODED, "Widget", sku, barcode, reorder_level)
    assert await db.fetchval("SELECT count(*) FROM products") == 0


async def test_codes_are_unique_sku_case_insensitively_and_optional(db: asyncpg.Connection) -> None:
    await db.execute(CODED, "A", "CUP-1", "4006381333931", 0)
    await db.execute(CODED, "B", None, None, 0)
    await db.execute(CODED, "C", None, None, 0)
    with pytest.raises(asyncpg.UniqueViolationError) as sku:
        await db.execute(CODED, "D", "cup-1", None, 0)
    with pytest.raises(asyncpg.UniqueViolationError) as barcode:
        await db.execute(CODED, "E", None, "4006381333931", 0)
    assert (sku.value.constraint_name, barcode.value.constraint_name) == (
        "uq_products_sku_lower",
        "uq_products_barcode",
    )
    assert await db.fetchval("SELECT reorder_level FROM products WHERE name = 'B'") == 0
