"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`.

`TRIGGERS` names every trigger, by (table, name), with its function, as the migrations (their one
home) create them; `SERVING_PRIVILEGES` says, table by table, what the role the service serves
with may do (alembic/env.py grants exactly that after every upgrade).
"""

from app.models import api_key, idempotency_key, product, product_count, stock_movement
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
    APPEND_ONLY,
    MOVEMENT_COLUMNS,
    NOTE_SETTING,
    REASON_SETTING,
    RECORD_MOVEMENT,
    STOCK_MOVEMENTS,
    StockMovement,
)

TRIGGERS = product.TRIGGERS | stock_movement.TRIGGERS | product_count.TRIGGERS
SERVING_PRIVILEGES = (
    product.SERVING_PRIVILEGES
    | stock_movement.SERVING_PRIVILEGES
    | product_count.SERVING_PRIVILEGES
    | api_key.SERVING_PRIVILEGES
    | idempotency_key.SERVING_PRIVILEGES
)

__all__ = [
    "API_KEYS",
    "APPEND_ONLY",
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
    "SERVING_PRIVILEGES",
    "SKU_UNIQUE_INDEX",
    "STOCK_MOVEMENTS",
    "TRIGGERS",
    "ApiKey",
    "IdempotencyKey",
    "Product",
    "ProductBase",
    "ProductCountShard",
    "StockMovement",
]
