"""History that stays: the ledger refuses every change but a new movement, for every role (the
owner included), and a deleted product keeps its row, its codes freed, its movements listed."""

import asyncpg
import pytest

from tests.support.sql import assert_ledger_holds, movements, one_row

INSERT = (
    "INSERT INTO products (name, description, price, quantity, sku, barcode)"
    " VALUES ($1, '', 1, $2, $3, $4) RETURNING id"
)
REFUSED = [
    "UPDATE stock_movements SET delta = delta + 100",
    "UPDATE stock_movements SET created_at = now() - interval '1 year'",
    "DELETE FROM stock_movements",
    "TRUNCATE stock_movements",
    "TRUNCATE products CASCADE",
]


@pytest.mark.parametrize("statement", REFUSED)
async def test_the_ledger_refuses_change_even_from_its_owner(db: asyncpg.Connection, statement: str) -> None:
    product = await db.fetchval(INSERT, "Cup", 5, None, None)
    before = await movements(db, product)
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await db.execute(statement)
    assert await movements(db, product) == before
    await assert_ledger_holds(db)


async def test_a_mistake_is_undone_by_a_new_movement(db: asyncpg.Connection) -> None:
    product = await db.fetchval(INSERT, "Cup", 5, None, None)
    await db.execute("UPDATE products SET quantity = 50 WHERE id = $1", product)  # a typo: 50 for 5
    await db.execute("UPDATE products SET quantity = 5 WHERE id = $1", product)
    assert [row["delta"] for row in await movements(db, product)] == [5, 45, -45]
    await assert_ledger_holds(db)


async def test_a_deleted_product_frees_its_codes_and_keeps_its_row(db: asyncpg.Connection) -> None:
    old = await db.fetchval(INSERT, "Espresso cup", 3, "CUP-1", "4006381333931")
    await db.execute("DELETE FROM products WHERE id = $1", old)
    new = await db.fetchval(INSERT, "espresso CUP", 0, "cup-1", "4006381333931")
    assert new != old
    rows = await db.fetch("SELECT id, archived_at IS NOT NULL AS archived FROM products ORDER BY id")
    assert [(row["id"], row["archived"]) for row in rows] == [(old, True), (new, False)]
    with pytest.raises(asyncpg.UniqueViolationError):  # among live products the codes stay unique
        await db.fetchval(INSERT, "Another", 0, "CUP-1", None)
    assert (await one_row(db, "SELECT count(*) AS n FROM stock_movements WHERE product_id = $1", old))[
        "n"
    ] == 1


async def test_a_product_with_movements_cannot_be_erased_by_its_owner_either(db: asyncpg.Connection) -> None:
    """Even with the archiving trigger switched off, the ledger's foreign key keeps the row."""
    product = await db.fetchval(INSERT, "Cup", 2, None, None)
    async with db.transaction():
        await db.execute("ALTER TABLE products DISABLE TRIGGER products_archive_instead_of_delete")
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            async with db.transaction():  # a savepoint: the refusal leaves the outer one usable
                await db.execute("DELETE FROM products WHERE id = $1", product)
        await db.execute("ALTER TABLE products ENABLE TRIGGER products_archive_instead_of_delete")
    assert await db.fetchval("SELECT count(*) FROM products") == 1
