"""Load a dozen realistic sample products; safe to run again (existing names are left alone).

python -m app.seed
"""

import asyncio
from decimal import Decimal

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from app.config import get_settings
from app.database import build_engine
from app.models import Product
from app.schemas import ProductCreate

SAMPLE_PRODUCTS = [
    ProductCreate(name=name, description=description, price=Decimal(price), quantity=quantity)
    for name, description, price, quantity in [
        ("Espresso cup", "White porcelain, 90 ml", "7.50", 24),
        ("Cappuccino mug", "Stoneware, 300 ml, speckled glaze", "12.90", 18),
        ("French press", "Borosilicate glass and steel, 1 litre", "34.00", 6),
        ("Pour-over dripper", "Ceramic cone, size 02", "22.50", 9),
        ("Paper filters", "Size 02, pack of 100", "5.95", 60),
        ("Coffee beans, house blend", "Medium roast, 250 g", "9.80", 40),
        ("Coffee beans, Ethiopia Yirgacheffe", "Light roast, 250 g", "13.40", 15),
        ("Loose-leaf green tea", "Sencha, 100 g tin", "11.20", 12),
        ("Hand grinder", "Conical ceramic burrs, adjustable", "45.00", 4),
        ("Milk jug", "Stainless steel, 600 ml", "16.75", 10),
        ("Tea infuser", "Fine mesh, stainless steel", "4.50", 35),
        ("Gift card", "Redeemable in store", "25.00", 100),
    ]
]


async def seed() -> int:
    """Insert the samples whose names are not taken yet; returns how many were added."""
    rows = [product.model_dump() for product in SAMPLE_PRODUCTS]
    statement = insert(Product).values(rows).on_conflict_do_nothing().returning(col(Product.id))
    engine = build_engine(get_settings())
    try:
        async with engine.connect() as connection:
            added = len((await connection.execute(statement)).all())
    finally:
        await engine.dispose()
    return added


if __name__ == "__main__":
    added = asyncio.run(seed())
    print(f"Sample data: added {added} of {len(SAMPLE_PRODUCTS)} products (the rest were already there).")
