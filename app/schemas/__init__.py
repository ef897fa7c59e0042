"""The API's request and response bodies, one module per resource (`from app.schemas import ...`)."""

from app.schemas.common import ErrorMessage
from app.schemas.product import ProductCreate, ProductFilter, ProductQuery, ProductRead, ProductUpdate
from app.schemas.stock import (
    MovementQuery,
    MovementRead,
    ProductMovementQuery,
    StockAdjustment,
    StockCount,
)
from app.schemas.transfer import CellError, ImportOptions, ImportRefused, ImportResult

__all__ = [
    "CellError",
    "ErrorMessage",
    "ImportOptions",
    "ImportRefused",
    "ImportResult",
    "MovementQuery",
    "MovementRead",
    "ProductCreate",
    "ProductFilter",
    "ProductMovementQuery",
    "ProductQuery",
    "ProductRead",
    "ProductUpdate",
    "StockAdjustment",
    "StockCount",
]
