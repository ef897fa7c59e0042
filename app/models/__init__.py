"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`."""

from app.models.product import (
    BARCODE_UNIQUE_INDEX,
    NAME_UNIQUE_INDEX,
    PRODUCTS,
    READ_COLUMNS,
    SKU_UNIQUE_INDEX,
    Product,
    ProductBase,
)

__all__ = [
    "BARCODE_UNIQUE_INDEX",
    "NAME_UNIQUE_INDEX",
    "PRODUCTS",
    "READ_COLUMNS",
    "SKU_UNIQUE_INDEX",
    "Product",
    "ProductBase",
]
