"""Direct SQL helpers for checking what the API left in PostgreSQL, the stock ledger included."""

from datetime import datetime
from typing import Any

import asyncpg

from app.models import APPEND_ONLY


async def stocked_products(db: asyncpg.Connection, count: int, quantity: int) -> list[int]:
    """Insert products "Stocked 0" ... with `quantity` each, by plain SQL; their ids."""
    return [
        await db.fetchval(
            "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, $2) RETURNING id",
            f"Stocked {number}",
            quantity,
        )
        for number in range(count)
    ]


async def one_row(db: asyncpg.Connection, query: str, *args: Any) -> dict[str, Any]:
    """The single row `query` returns, as a dict; fails the test if there is none."""
    row = await db.fetchrow(query, *args)
    assert row is not None, f"no row for {query} {args}"
    return dict(row)


LEVEL_VIOLATIONS = """
    SELECT pair.product_id, pair.location_id, level.quantity, pair.total, pair.newest_after
    FROM (
        SELECT product_id, location_id, sum(delta) AS total,
               (array_agg(quantity_after ORDER BY id DESC))[1] AS newest_after
        FROM stock_movements GROUP BY product_id, location_id
    ) AS pair
    FULL JOIN stock_levels AS level USING (product_id, location_id)
    WHERE coalesce(level.quantity, 0) <> coalesce(pair.total, 0)
       OR coalesce(level.quantity, 0) <> coalesce(pair.newest_after, 0)
"""
TOTAL_VIOLATIONS = """
    SELECT p.id, p.quantity, coalesce(sum(level.quantity), 0) AS levels
    FROM products p LEFT JOIN stock_levels level ON level.product_id = p.id
    GROUP BY p.id
    HAVING p.quantity <> coalesce(sum(level.quantity), 0)
"""
RUNNING_SUM_VIOLATIONS = """
    SELECT id, product_id, location_id, quantity_after, running FROM (
        SELECT id, product_id, location_id, quantity_after,
               sum(delta) OVER (PARTITION BY product_id, location_id ORDER BY id) AS running
        FROM stock_movements
    ) AS ledger
    WHERE quantity_after <> running
"""

VALUE_VIOLATIONS = """
    SELECT p.id, p.quantity, p.stock_value, coalesce(sum(m.value_delta), 0) AS movements
    FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id
    GROUP BY p.id
    HAVING p.stock_value <> coalesce(sum(m.value_delta), 0) OR p.stock_value < 0
        OR (p.quantity = 0 AND p.stock_value <> 0)
"""
SUMMARIES = """
    SELECT sum(products_in_stock) AS products_in_stock, sum(quantity) AS quantity, sum(value) AS value,
           sum(units_sold) AS units_sold, sum(revenue) AS revenue, sum(cost_of_goods) AS cost_of_goods
    FROM (SELECT bucket, products_in_stock, quantity, value, units_sold, revenue, cost_of_goods
          FROM stock_value_changes
          UNION ALL SELECT * FROM stock_value_buckets) AS summaries
"""
LIVE_TOTALS = """
    SELECT (SELECT count(*) FROM products WHERE archived_at IS NULL AND quantity > 0) AS products_in_stock,
           (SELECT sum(quantity) FROM products WHERE archived_at IS NULL) AS quantity,
           (SELECT sum(stock_value) FROM products WHERE archived_at IS NULL) AS value,
           sum(-m.delta) AS units_sold, sum(-m.delta * m.unit_price) AS revenue,
           sum(-m.value_delta) AS cost_of_goods
    FROM stock_movements m JOIN products p ON p.id = m.product_id AND p.archived_at IS NULL
    WHERE m.reason = 'sold'
"""


async def assert_value_holds(db: asyncpg.Connection) -> None:
    """The value invariant (contract 3.3): every product's stock_value is the sum of its
    movements' value_delta, never below 0, and 0 at quantity 0; and the reports' summaries add
    up to the live products' totals and sales."""
    assert [dict(row) for row in await db.fetch(VALUE_VIOLATIONS)] == []
    summaries = {key: value or 0 for key, value in (await one_row(db, SUMMARIES)).items()}
    live = {key: value or 0 for key, value in (await one_row(db, LIVE_TOTALS)).items()}
    assert summaries == live


async def assert_ledger_holds(db: asyncpg.Connection) -> None:
    """The ledger invariant, per location: for every product and location, the level = the sum
    of that pair's deltas = its newest movement's quantity_after (0 and no movement for a pair
    that never had stock), each movement's quantity_after is the running sum of its pair's
    deltas in id order, every product's quantity is the sum of its levels, and the value
    invariant holds (`assert_value_holds`)."""
    assert [dict(row) for row in await db.fetch(LEVEL_VIOLATIONS)] == []
    assert [dict(row) for row in await db.fetch(RUNNING_SUM_VIOLATIONS)] == []
    assert [dict(row) for row in await db.fetch(TOTAL_VIOLATIONS)] == []
    await assert_value_holds(db)


async def level(db: asyncpg.Connection, product_id: int, location_id: int) -> int | None:
    """How many of the product the location holds (None: it never held any)."""
    quantity: int | None = await db.fetchval(
        "SELECT quantity FROM stock_levels WHERE product_id = $1 AND location_id = $2",
        product_id,
        location_id,
    )
    return quantity


async def movements(db: asyncpg.Connection, product_id: int) -> list[dict[str, Any]]:
    """A product's movements, oldest first: delta, quantity_after, reason and note."""
    rows = await db.fetch(
        "SELECT delta, quantity_after, reason, note FROM stock_movements WHERE product_id = $1 ORDER BY id",
        product_id,
    )
    return [dict(row) for row in rows]


async def backdate(owner: asyncpg.Connection, movement_id: int, instant: datetime) -> None:
    """Give a movement another `created_at`, for tests of time filters. The ledger is append-only
    for every role, so only its owner can, by lifting the guard inside one transaction."""
    async with owner.transaction():
        await owner.execute(f"ALTER TABLE stock_movements DISABLE TRIGGER {APPEND_ONLY}")
        await owner.execute("UPDATE stock_movements SET created_at = $2 WHERE id = $1", movement_id, instant)
        await owner.execute(f"ALTER TABLE stock_movements ENABLE TRIGGER {APPEND_ONLY}")
