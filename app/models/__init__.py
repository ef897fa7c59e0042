"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`.

`TRIGGERS_ON_PRODUCTS` names every trigger on `products` and its function, as the migrations
(their one home) create them.
"""

from app.models import product, product_count, stock_movement
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
    MOVEMENT_COLUMNS,
    NOTE_SETTING,
    REASON_SETTING,
    RECORD_MOVEMENT,
    STOCK_MOVEMENTS,
    StockMovement,
)

TRIGGERS_ON_PRODUCTS = product.TRIGGERS | stock_movement.TRIGGERS | product_count.TRIGGERS

__all__ = [
    "API_KEYS",
    "BARCODE_UNIQUE_INDEX",
    "IDEMPOTENCY_KEYS",
    "MOVEMENT_COLUMNS",
    "NAME_TRIGRAM_INDEX",
    "NAME_UNIQUE_INDEX",
    "NOTE_SETTING",
    "PRODUCTS",
    "PRODUCT_COUNT_SHARDS",
    "READ_COLUMNS",
    "REASON_SETTING",
    "RECORD_MOVEMENT",
    "SKU_UNIQUE_INDEX",
    "STOCK_MOVEMENTS",
    "TRIGGERS_ON_PRODUCTS",
    "ApiKey",
    "IdempotencyKey",
    "Product",
    "ProductBase",
    "ProductCountShard",
    "StockMovement",
]
