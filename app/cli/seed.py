"""Load a dozen realistic sample products, with SKUs, some barcodes (valid GTINs), reorder
levels (two are low on stock) and unit costs, and a second location, `Back room`, holding part
of three products' stock (moved there by transfers from the default location); on a database
that held nothing else, also four weeks of back-dated sales and deliveries
(app.cli.sample_history), so that the reports have something to show. Safe to run again
(existing names and codes are left alone, and the back room is stocked only when it is new).

python -m app.cli.seed
"""

import asyncio
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


async def seed(engine: AsyncEngine, owner: AsyncEngine | None = None) -> tuple[int, bool, int]:
    """Insert the samples whose names are not taken yet, and the back room; with `owner` (the
    owner's engine), when the catalogue is only the samples just added, their four weeks of
    trade too. How many products were added, whether the back room was, how many back-dated
    movements were written."""
    rows = [product.columns() for product in SAMPLE_PRODUCTS]
    async with engine.connect() as connection:
        added = await add_missing_products(db=connection, rows=rows)
        back_room = await stock_the_back_room(connection)
        products = (await connection.execute(select(PRODUCTS.c.name, PRODUCTS.c.id, PRODUCTS.c.price))).all()
    only_samples = added == len(SAMPLE_PRODUCTS) == len(products) and back_room
    if owner is None or not only_samples:
        return added, back_room, 0
    async with owner.connect() as connection:
        history = await add_sample_history(connection, {name: (id_, price) for name, id_, price in products})
    return added, back_room, history


async def main() -> None:
    settings = get_settings()
    engine = build_engine(settings)
    owner = build_engine(Settings(database_url=settings.migration_url))
    try:
        added, back_room, history = await seed(engine, owner)
    finally:
        await engine.dispose()
        await owner.dispose()
    location = f"; location '{SAMPLE_LOCATION}' added and stocked" if back_room else ""
    trade = f"; {history} movements of back-dated sales and deliveries" if history else ""
    total = len(SAMPLE_PRODUCTS)
    print(f"Sample data: added {added} of {total} products (the rest were already there){location}{trade}.")


if __name__ == "__main__":
    asyncio.run(main())
