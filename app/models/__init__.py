"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`."""

from app.models.api_key import API_KEYS, ApiKey
from app.models.idempotency_key import IDEMPOTENCY_KEYS, IdempotencyKey
from app.models.product import (
    BARCODE_UNIQUE_INDEX,
    NAME_UNIQUE_INDEX,
    PRODUCTS,
    READ_COLUMNS,
    SKU_UNIQUE_INDEX,
    Product,
    ProductBase,
)
from app.models.product_count import NAME_TRIGRAM_INDEX, PRODUCT_COUNT_SHARDS, ProductCountShard
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
    "API_KEYS",
    "BARCODE_UNIQUE_INDEX",
    "DECREASES",
    "IDEMPOTENCY_KEYS",
    "INCREASES",
    "MOVEMENT_COLUMNS",
    "NAME_TRIGRAM_INDEX",
    "NAME_UNIQUE_INDEX",
    "NOTE_SETTING",
    "PRODUCTS",
    "PRODUCT_COUNT_SHARDS",
    "READ_COLUMNS",
    "REASON_SETTING",
    "SKU_UNIQUE_INDEX",
    "STOCK_MOVEMENTS",
    "ApiKey",
    "IdempotencyKey",
    "MovementReason",
    "Product",
    "ProductBase",
    "ProductCountShard",
    "StockMovement",
]
