"""The API's request and response bodies, one module per resource (`from app.schemas import ...`)."""

from app.schemas.common import ErrorMessage
from app.schemas.location import (
    LocationCreate,
    LocationRead,
    LocationStockQuery,
    LocationStockRead,
    LocationUpdate,
)
from app.schemas.product import ProductCreate, ProductQuery, ProductRead, ProductUpdate
from app.schemas.spreadsheets import CellError, CodeChange, ImportOptions, ImportRefused, ImportResult
from app.schemas.stock import (
    BASKET_MAX_LINES,
    Basket,
    BasketLine,
    BasketRead,
    MovementQuery,
    MovementRead,
    ProductMovementQuery,
    StockAdjustment,
    StockCount,
    StockLevelRead,
    StockTransfer,
)

__all__ = [
    "BASKET_MAX_LINES",
    "Basket",
    "BasketLine",
    "BasketRead",
    "CellError",
    "CodeChange",
    "ErrorMessage",
    "ImportOptions",
    "ImportRefused",
    "ImportResult",
    "LocationCreate",
    "LocationRead",
    "LocationStockQuery",
    "LocationStockRead",
    "LocationUpdate",
    "MovementQuery",
    "MovementRead",
    "ProductCreate",
    "ProductMovementQuery",
    "ProductQuery",
    "ProductRead",
    "ProductUpdate",
    "StockAdjustment",
    "StockCount",
    "StockLevelRead",
    "StockTransfer",
]
