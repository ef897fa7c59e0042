"""The tables, one module each; importing this package registers them all on `SQLModel.metadata`.

`TRIGGERS` names every trigger, by (table, name), with its function, as the migrations (their one
home) create them; `SERVING_PRIVILEGES` says, table by table, what the role the service serves
with may do, and `SERVING_FUNCTIONS` which functions it may run (alembic/env.py grants exactly that
after every upgrade).
"""

from app.models import (
    api_key,
    idempotency_key,
    location,
    product,
    product_count,
    stock_level,
    stock_movement,
    stock_value,
)
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
from app.models.stock_value import (
    FOLD,
    HELPER_FUNCTIONS,
    SERVING_FUNCTIONS,
    STOCK_VALUE_BUCKETS,
    STOCK_VALUE_CHANGES,
    UNIT_COST_SETTING,
    UNIT_PRICE_SETTING,
    VALUE_FITS,
    VALUE_SETTING,
    StockValueBucket,
    StockValueChange,
)

TRIGGERS = (
    product.TRIGGERS
    | stock_movement.TRIGGERS
    | product_count.TRIGGERS
    | location.TRIGGERS
    | stock_level.TRIGGERS
    | stock_value.TRIGGERS
)
SERVING_PRIVILEGES = (
    product.SERVING_PRIVILEGES
    | location.SERVING_PRIVILEGES
    | stock_level.SERVING_PRIVILEGES
    | stock_movement.SERVING_PRIVILEGES
    | product_count.SERVING_PRIVILEGES
    | api_key.SERVING_PRIVILEGES
    | idempotency_key.SERVING_PRIVILEGES
    | stock_value.SERVING_PRIVILEGES
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
    "FOLD",
    "HELPER_FUNCTIONS",
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
    "SERVING_FUNCTIONS",
    "SERVING_PRIVILEGES",
    "SKU_UNIQUE_INDEX",
    "STOCK_LEVELS",
    "STOCK_MOVEMENTS",
    "STOCK_VALUE_BUCKETS",
    "STOCK_VALUE_CHANGES",
    "TRANSFER_SETTING",
    "TRIGGERS",
    "UNIT_COST_SETTING",
    "UNIT_PRICE_SETTING",
    "VALUE_FITS",
    "VALUE_SETTING",
    "ApiKey",
    "IdempotencyKey",
    "Location",
    "LocationBase",
    "Product",
    "ProductBase",
    "ProductCountShard",
    "StockLevel",
    "StockMovement",
    "StockValueBucket",
    "StockValueChange",
]
