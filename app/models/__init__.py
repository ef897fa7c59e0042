"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`."""

from app.models.idempotency_key import IDEMPOTENCY_KEYS, IdempotencyKey
from app.models.product import NAME_UNIQUE_INDEX, PRODUCTS, READ_COLUMNS, Product, ProductBase

__all__ = [
    "IDEMPOTENCY_KEYS",
    "NAME_UNIQUE_INDEX",
    "PRODUCTS",
    "READ_COLUMNS",
    "IdempotencyKey",
    "Product",
    "ProductBase",
]
