"""The sample data (`python -m app.cli.seed`, which ./run.sh runs): a dozen products with their
costs and a back room holding part of three products' stock, moved there by transfers, then four
weeks of back-dated sales and deliveries that the reports show; a second run adds nothing."""

from datetime import UTC, datetime, timedelta

import asyncpg
from httpx import AsyncClient

from app.cli.sample_history import DAYS
from app.cli.seed import BACK_ROOM_STOCK, SAMPLE_LOCATION, SAMPLE_PRODUCTS, seed
from app.core.config import Settings
from app.core.database import build_engine
from tests.support.database import owner_url
from tests.support.sql import assert_ledger_holds


async def test_the_samples_fill_two_locations_once(settings: Settings, db: asyncpg.Connection) -> None:
    engine = build_engine(settings)
    try:
        # the serving role may not rewrite the ledger's past: the samples come without their history
        assert await seed(engine, engine) == (len(SAMPLE_PRODUCTS), True, 0)
        assert await seed(engine) == (0, False, 0)
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


async def test_a_new_shop_gets_four_weeks_of_trade_the_reports_show(
    settings: Settings, db: asyncpg.Connection, client: AsyncClient
) -> None:
    engine = build_engine(settings)
    owner = build_engine(Settings(database_url=owner_url(settings.database_url)))
    try:
        added, back_room, history = await seed(engine, owner)
        assert (added, back_room) == (len(SAMPLE_PRODUCTS), True)
        assert history > 3 * DAYS
        assert (await seed(engine, owner))[2] == 0  # never twice
    finally:
        await engine.dispose()
        await owner.dispose()
    await assert_ledger_holds(db)  # values and summaries included
    first, last = await db.fetchval("SELECT ARRAY[min(created_at), max(created_at)] FROM stock_movements")
    now = datetime.now(UTC)
    assert now - timedelta(days=DAYS + 2) < first < now - timedelta(days=DAYS)
    assert last < now.replace(hour=0, minute=0, second=0, microsecond=0)  # all before today
    low = await db.fetch("SELECT name FROM products WHERE quantity <= reorder_level ORDER BY name")
    assert [row["name"] for row in low] == ["Hand grinder", "Milk jug"]

    since, until = (
        (now - timedelta(days=DAYS + 1)).date().isoformat(),
        (now + timedelta(days=1)).date().isoformat(),
    )
    sales = (await client.get("/reports/sales", params={"since": since, "until": until})).json()
    sold_days = [period for period in sales if period["units_sold"] > 0]
    assert len(sold_days) == DAYS
    units = await db.fetchval("SELECT -sum(delta) FROM stock_movements WHERE reason = 'sold'")
    assert sum(period["units_sold"] for period in sales) == units
    assert all(float(period["margin"]) > 0 for period in sold_days)
    series = (await client.get("/reports/valuation/series", params={"since": since, "until": until})).json()
    assert series[0]["value"] != series[-1]["value"]
    assert float(series[-1]["value"]) > 0
