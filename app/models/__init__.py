"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`.

`TRIGGERS` names every trigger, by (table, name), with its function, as the migrations (their one
home) create them; `SERVING_PRIVILEGES` says, table by table, what the role the service serves
with may do (alembic/env.py grants exactly that after every upgrade).
"""

from app.models import api_key, idempotency_key, location, product, product_count, stock_level, stock_movement
from app.models.api_key import API_KEYS, ApiKey
from app.models.idempotency_key import IDEMPOTENCY_KEYS, IdempotencyKey
from app.models.location import (
    DEFAULT_LOCATION_INDEX,
    FIRST_LOCATION,
    LOCATION_COLUMNS,
    LOCATION_NAME_UNIQUE_INDEX,
    LOCATIONS,
    Location,
    LocationBase,
)
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
from app.models.stock_level import LEVEL_NONNEGATIVE, STOCK_LEVELS, StockLevel
from app.models.stock_movement import (
    APPEND_ONLY,
    BATCH_SETTING,
    COUNTED_SETTING,
    EXPECTED_SETTING,
    LOCATION_SETTING,
    MOVE_STOCK,
    MOVEMENT_COLUMNS,
    NOTE_SETTING,
    REASON_SETTING,
    RECORD_MOVEMENT,
    REFUSED_SETTING,
    STOCK_MOVEMENTS,
    TRANSFER_SETTING,
    StockMovement,
)

TRIGGERS = (
    product.TRIGGERS
    | stock_movement.TRIGGERS
    | product_count.TRIGGERS
    | location.TRIGGERS
    | stock_level.TRIGGERS
)
SERVING_PRIVILEGES = (
    product.SERVING_PRIVILEGES
    | location.SERVING_PRIVILEGES
    | stock_level.SERVING_PRIVILEGES
    | stock_movement.SERVING_PRIVILEGES
    | product_count.SERVING_PRIVILEGES
    | api_key.SERVING_PRIVILEGES
    | idempotency_key.SERVING_PRIVILEGES
)

__all__ = [
    "API_KEYS",
    "APPEND_ONLY",
    "BARCODE_UNIQUE_INDEX",
    "BATCH_SETTING",
    "COUNTED_SETTING",
    "DEFAULT_LOCATION_INDEX",
    "EXPECTED_SETTING",
    "FIRST_LOCATION",
    "IDEMPOTENCY_KEYS",
    "LEVEL_NONNEGATIVE",
    "LOCATIONS",
    "LOCATION_COLUMNS",
    "LOCATION_NAME_UNIQUE_INDEX",
    "LOCATION_SETTING",
    "MOVEMENT_COLUMNS",
    "MOVE_STOCK",
    "NAME_TRIGRAM_INDEX",
    "NAME_UNIQUE_INDEX",
    "NOTE_SETTING",
    "PRODUCTS",
    "PRODUCT_COUNT_SHARDS",
    "READ_COLUMNS",
    "REASON_SETTING",
    "RECORD_MOVEMENT",
    "REFUSED_SETTING",
    "SERVING_PRIVILEGES",
    "SKU_UNIQUE_INDEX",
    "STOCK_LEVELS",
    "STOCK_MOVEMENTS",
    "TRANSFER_SETTING",
    "TRIGGERS",
    "ApiKey",
    "IdempotencyKey",
    "Location",
    "LocationBase",
    "Product",
    "ProductBase",
    "ProductCountShard",
    "StockLevel",
    "StockMovement",
]
