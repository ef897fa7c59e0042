"""The API's request and response bodies, one module per resource (`from app.schemas import ...`)."""

from app.schemas.common import ErrorMessage
from app.schemas.product import (
    ProductCreate,
    ProductQuery,
    ProductRead,
    ProductUpdate,
    StockAdjustment,
)

__all__ = ["ErrorMessage", "ProductCreate", "ProductQuery", "ProductRead", "ProductUpdate", "StockAdjustment"]
