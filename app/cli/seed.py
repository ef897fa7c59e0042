"""Load a dozen realistic sample products, with SKUs, some barcodes (valid GTINs) and reorder
levels (two are low on stock); safe to run again (existing names and codes are left alone).

python -m app.cli.seed
"""

import asyncio
from decimal import Decimal

from app.core.config import get_settings
from app.core.database import build_engine
from app.crud.product import add_missing_products
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


async def seed() -> int:
    """Insert the samples whose names are not taken yet; returns how many were added."""
    rows = [product.model_dump() for product in SAMPLE_PRODUCTS]
    engine = build_engine(get_settings())
    try:
        async with engine.connect() as connection:
            added = await add_missing_products(db=connection, rows=rows)
    finally:
        await engine.dispose()
    return added


if __name__ == "__main__":
    added = asyncio.run(seed())
    print(f"Sample data: added {added} of {len(SAMPLE_PRODUCTS)} products (the rest were already there).")
