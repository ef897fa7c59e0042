"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`."""

from app.models.product import NAME_UNIQUE_INDEX, PRODUCTS, READ_COLUMNS, Product, ProductBase
from app.models.product_count import NAME_TRIGRAM_INDEX, PRODUCT_COUNT_SHARDS, ProductCountShard

__all__ = [
    "NAME_TRIGRAM_INDEX",
    "NAME_UNIQUE_INDEX",
    "PRODUCTS",
    "PRODUCT_COUNT_SHARDS",
    "READ_COLUMNS",
    "Product",
    "ProductBase",
    "ProductCountShard",
]
