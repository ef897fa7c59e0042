"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`."""

from app.models.idempotency_key import IDEMPOTENCY_KEYS, IdempotencyKey
from app.models.product import NAME_UNIQUE_INDEX, PRODUCTS, READ_COLUMNS, Product, ProductBase
from app.models.stock_movement import (
    DECREASES,
    INCREASES,
    MOVEMENT_COLUMNS,
    NOTE_SETTING,
    REASON_SETTING,
    STOCK_MOVEMENTS,
    MovementReason,
    StockMovement,
)

__all__ = [
    "DECREASES",
    "IDEMPOTENCY_KEYS",
    "INCREASES",
    "MOVEMENT_COLUMNS",
    "NAME_UNIQUE_INDEX",
    "NOTE_SETTING",
    "PRODUCTS",
    "READ_COLUMNS",
    "REASON_SETTING",
    "STOCK_MOVEMENTS",
    "IdempotencyKey",
    "MovementReason",
    "Product",
    "ProductBase",
    "StockMovement",
]
