"""The API's request and response bodies, one module per resource (`from app.schemas import ...`)."""

from app.schemas.common import ErrorMessage
from app.schemas.product import ProductCreate, ProductQuery, ProductRead, ProductUpdate
from app.schemas.spreadsheets import CellError, ImportOptions, ImportRefused, ImportResult
from app.schemas.stock import (
    MovementQuery,
    MovementRead,
    ProductMovementQuery,
    StockAdjustment,
    StockCount,
)

__all__ = [
    "CellError",
    "ErrorMessage",
    "ImportOptions",
    "ImportRefused",
    "ImportResult",
    "MovementQuery",
    "MovementRead",
    "ProductCreate",
    "ProductMovementQuery",
    "ProductQuery",
    "ProductRead",
    "ProductUpdate",
    "StockAdjustment",
    "StockCount",
]
