"""The sample data (`python -m app.cli.seed`, which ./run.sh runs): a dozen products and a back
room holding part of three products' stock, moved there by transfers; a second run adds nothing."""

import asyncpg

from app.cli.seed import BACK_ROOM_STOCK, SAMPLE_LOCATION, SAMPLE_PRODUCTS, seed
from app.core.config import Settings
from app.core.database import build_engine
from tests.support.sql import assert_ledger_holds


async def test_the_samples_fill_two_locations_once(settings: Settings, db: asyncpg.Connection) -> None:
    engine = build_engine(settings)
    try:
        assert await seed(engine) == (len(SAMPLE_PRODUCTS), True)
        assert await seed(engine) == (0, False)
    finally:
        await engine.dispose()
    held = await db.fetch(
        "SELECT p.name, s.quantity FROM stock_levels s JOIN products p ON p.id = s.product_id"
        " JOIN locations l ON l.id = s.location_id WHERE l.name = $1 ORDER BY p.name",
        SAMPLE_LOCATION,
    )
    assert {row["name"]: row["quantity"] for row in held} == BACK_ROOM_STOCK
    assert await db.fetchval("SELECT id FROM locations WHERE name = $1", SAMPLE_LOCATION) == 2
    totals = {product.name: product.quantity for product in SAMPLE_PRODUCTS}
    stored = {row["name"]: row["quantity"] for row in await db.fetch("SELECT name, quantity FROM products")}
    assert stored == totals  # transfers move stock, they do not change a product's total
    assert await db.fetchval("SELECT count(*) FROM stock_movements WHERE reason = 'transfer_in'") == 3
    await assert_ledger_holds(db)
