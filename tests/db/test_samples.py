"""The sample data (`python -m app.cli.seed`, which ./run.sh runs): a dozen products with their
costs and a back room holding part of three products' stock, moved there by transfers, then four
weeks of back-dated sales and deliveries that the reports show; only into a database that never
held a product, so a second run adds nothing and a deleted sample stays deleted, unless asked
(`--add-missing`, ./run.sh --samples)."""

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
from httpx import AsyncClient

from app.cli.sample_history import DAYS
from app.cli.seed import BACK_ROOM_STOCK, SAMPLE_LOCATION, SAMPLE_PRODUCTS, Seeded, seed
from app.core.config import Settings
from app.core.database import build_engine
from tests.support.database import connect, owner_url, run_module
from tests.support.payloads import create_product
from tests.support.sql import assert_ledger_holds


async def test_the_samples_fill_two_locations_once(settings: Settings, db: asyncpg.Connection) -> None:
    engine = build_engine(settings)
    try:
        # the serving role may not rewrite the ledger's past: the samples come without their history
        assert await seed(engine, engine) == Seeded(len(SAMPLE_PRODUCTS), True, 0)
        assert await seed(engine) == Seeded(0, False, 0, skipped=True)
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
    stop = asyncio.Event()

    async def folding() -> None:  # what every server's fold task does, but all the time
        folder = await connect(settings.database_url)
        while not stop.is_set():
            await folder.fetchval("SELECT stock_value_fold()")
            await asyncio.sleep(0.002)
        await folder.close()

    folds = asyncio.create_task(folding())
    try:
        seeded = await seed(engine, owner)
        assert (seeded.added, seeded.back_room) == (len(SAMPLE_PRODUCTS), True)
        assert seeded.history > 3 * DAYS
        assert await seed(engine, owner, add_missing=True) == Seeded(0, False, 0)  # never twice
    finally:
        stop.set()
        await folds
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


def seed_command(url: str, *args: str) -> str:
    done = run_module("app.cli.seed", *args, url=url)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


async def test_a_deleted_sample_stays_deleted_unless_the_samples_are_asked_for(
    database_url: str, db: asyncpg.Connection, client: AsyncClient
) -> None:
    first = seed_command(database_url)
    assert first.startswith(f"Sample data: added {len(SAMPLE_PRODUCTS)} of {len(SAMPLE_PRODUCTS)} products")
    gift_card = await db.fetchval("SELECT id FROM products WHERE name = 'Gift card'")
    assert (await client.delete(f"/products/{gift_card}")).status_code == 204
    again = seed_command(database_url)  # what every ./run.sh does
    assert again == (
        "Sample data: none added, the database already holds products"
        " (./run.sh --samples adds the samples that are missing)."
    )
    assert (
        await db.fetchval("SELECT count(*) FROM products WHERE archived_at IS NULL")
        == len(SAMPLE_PRODUCTS) - 1
    )
    asked = seed_command(database_url, "--add-missing")  # ./run.sh --samples
    assert asked == f"Sample data: added 1 of {len(SAMPLE_PRODUCTS)} products (the rest were already there)."
    assert await db.fetchval("SELECT count(*) FROM products WHERE name = 'Gift card'") == 2  # a new one
    await assert_ledger_holds(db)


async def test_a_shop_that_has_its_own_products_gets_no_samples(
    database_url: str, db: asyncpg.Connection, client: AsyncClient
) -> None:
    await create_product(client, name="Our own teapot")
    assert seed_command(database_url).startswith("Sample data: none added")
    assert await db.fetchval("SELECT count(*) FROM products") == 1
