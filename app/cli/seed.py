"""Load a dozen realistic sample products, with SKUs, some barcodes (valid GTINs), reorder
levels (two are low on stock) and unit costs, and a second location, `Back room`, holding part
of three products' stock (moved there by transfers from the default location), and four weeks
of back-dated sales and deliveries (app.cli.sample_history), so that the reports have something
to show; only into a database that has never held a product, so that a sample the owner deleted
stays deleted. `--add-missing` (`./run.sh --samples`) adds the samples that are missing to any
database (existing names and codes are left alone, the back room is stocked only when it is new,
and the trade is written only into a catalogue of nothing but the samples).

python -m app.cli.seed [--add-missing]
"""

import argparse
import asyncio
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.cli.sample_history import add_sample_history, unit_cost
from app.core.config import Settings, get_settings
from app.core.database import build_engine
from app.crud.product import IS_LIVE, add_missing_products
from app.crud.stock import transfer_stock
from app.models import LOCATIONS, PRODUCTS
from app.schemas import ProductCreate

SAMPLE_PRODUCTS = [
    ProductCreate(
        name=name,
        description=description,
        price=Decimal(price),
        quantity=quantity,
        sku=sku,
        barcode=barcode,
        reorder_level=reorder_level,
        unit_cost=unit_cost(Decimal(price)),
    )
    for name, description, price, quantity, sku, barcode, reorder_level in [
        ("Espresso cup", "White porcelain, 90 ml", "7.50", 24, "CUP-ESP-90", "4006381333931", 6),
        (
            "Cappuccino mug",
            "Stoneware, 300 ml, speckled glaze",
            "12.90",
            18,
            "MUG-CAP-300",
            "5012345678900",
            6,
        ),
        (
            "French press",
            "Borosilicate glass and steel, 1 litre",
            "34.00",
            6,
            "BREW-FP-1L",
            "8712345678906",
            3,
        ),
        ("Pour-over dripper", "Ceramic cone, size 02", "22.50", 9, "BREW-V60-02", None, 4),
        ("Paper filters", "Size 02, pack of 100", "5.95", 60, "FILT-02-100", "7612345678900", 20),
        (
            "Coffee beans, house blend",
            "Medium roast, 250 g",
            "9.80",
            40,
            "BEAN-HOUSE-250",
            "5901234123457",
            15,
        ),
        ("Coffee beans, Ethiopia Yirgacheffe", "Light roast, 250 g", "13.40", 15, "BEAN-ETH-250", None, 10),
        ("Loose-leaf green tea", "Sencha, 100 g tin", "11.20", 12, "TEA-SEN-100", None, 5),
        # low on stock: at or below their reorder level
        ("Hand grinder", "Conical ceramic burrs, adjustable", "45.00", 4, "GRIND-HAND", "4000000000013", 5),
        ("Milk jug", "Stainless steel, 600 ml", "16.75", 3, "JUG-600", None, 4),
        ("Tea infuser", "Fine mesh, stainless steel", "4.50", 35, "TEA-INF", "3023456789012", 10),
        ("Gift card", "Redeemable in store", "25.00", 100, "GIFT-25", None, 0),
    ]
]

SAMPLE_LOCATION = "Back room"
BACK_ROOM_STOCK = {"Paper filters": 40, "Coffee beans, house blend": 25, "Gift card": 60}
"""How many of which samples the back room holds (the rest stays at the default location)."""


async def stock_the_back_room(db: AsyncConnection) -> bool:
    """Create the back room, if there is none yet, and transfer its samples there; whether it was new."""
    created = (
        await db.execute(
            insert(LOCATIONS).values(name=SAMPLE_LOCATION).on_conflict_do_nothing().returning(LOCATIONS.c.id)
        )
    ).scalar_one_or_none()
    if created is None:
        return False
    default = (await db.execute(select(LOCATIONS.c.id).where(LOCATIONS.c.is_default))).scalar_one()
    names = select(PRODUCTS.c.id, PRODUCTS.c.name, PRODUCTS.c.quantity).where(
        func.lower(PRODUCTS.c.name).in_([name.lower() for name in BACK_ROOM_STOCK]), IS_LIVE
    )
    for product_id, name, quantity in (await db.execute(names)).all():
        moved = min(quantity, BACK_ROOM_STOCK.get(name, 0))
        if moved > 0:
            await transfer_stock(
                db=db,
                product_id=product_id,
                source=default,
                destination=created,
                quantity=moved,
                note="Samples",
            )
    return True


@dataclass(frozen=True, slots=True)
class Seeded:
    """What a run of the sample loader did."""

    added: int
    """Sample products inserted."""
    back_room: bool
    """Whether the back room was created (and stocked)."""
    history: int
    """Back-dated movements written (the samples' four weeks of trade)."""
    skipped: bool = False
    """The database held products (archived ones count: a deleted sample stays deleted)."""


async def seed(engine: AsyncEngine, owner: AsyncEngine | None = None, *, add_missing: bool = False) -> Seeded:
    """Into a database that never held a product (or, with `add_missing`, into any), insert the
    samples whose names are not taken yet, and the back room; with `owner` (the owner's engine),
    when the catalogue is only the samples just added, their four weeks of trade too."""
    rows = [product.columns() for product in SAMPLE_PRODUCTS]
    async with engine.connect() as connection:
        held = (await connection.execute(select(func.count()).select_from(PRODUCTS))).scalar_one()
        await connection.rollback()
        if held and not add_missing:
            return Seeded(0, False, 0, skipped=True)
        added = await add_missing_products(db=connection, rows=rows)
        back_room = await stock_the_back_room(connection)
        products = (await connection.execute(select(PRODUCTS.c.name, PRODUCTS.c.id, PRODUCTS.c.price))).all()
    only_samples = added == len(SAMPLE_PRODUCTS) == len(products) and back_room
    if owner is None or not only_samples:
        return Seeded(added, back_room, 0)
    async with owner.connect() as connection:
        history = await add_sample_history(connection, {name: (id_, price) for name, id_, price in products})
    return Seeded(added, back_room, history)


def summary(seeded: Seeded) -> str:
    """The line the command prints."""
    if seeded.skipped:
        return (
            "Sample data: none added, the database already holds products"
            " (./run.sh --samples adds the samples that are missing)."
        )
    location = f"; location '{SAMPLE_LOCATION}' added and stocked" if seeded.back_room else ""
    trade = f"; {seeded.history} movements of back-dated sales and deliveries" if seeded.history else ""
    added = f"added {seeded.added} of {len(SAMPLE_PRODUCTS)} products (the rest were already there)"
    return f"Sample data: {added}{location}{trade}."


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m app.cli.seed",
        description="Load the sample products into a database that has never held a product"
        " (DATABASE_URL; the owner's MIGRATION_DATABASE_URL writes their back-dated trade).",
    )
    parser.add_argument(
        "--add-missing",
        action="store_true",
        help="add the samples that are missing even when the database holds products"
        " (what ./run.sh --samples runs)",
    )
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings = get_settings()
    engine = build_engine(settings)
    owner = build_engine(Settings(database_url=settings.migration_url))
    try:
        seeded = await seed(engine, owner, add_missing=args.add_missing)
    finally:
        await engine.dispose()
        await owner.dispose()
    print(summary(seeded))


if __name__ == "__main__":
    asyncio.run(main())
