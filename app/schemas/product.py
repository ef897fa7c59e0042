"""The product API's request and response bodies, derived from `ProductBase`."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # the config type SQLModel subclasses must use

from app.models import ProductBase
from app.validation import (
    BIGINT_MAX,
    INT4_MAX,
    PRICE_MAX,
    Description,
    Price,
    ProductName,
    Quantity,
    SearchText,
)

EXAMPLE_PRODUCT: dict[str, JsonValue] = {
    "name": "Espresso cup",
    "description": "White porcelain, 90 ml",
    "price": "7.50",
    "quantity": 24,
}


class ProductCreate(ProductBase):
    """POST body: every field is required; unknown keys (and id, timestamps) are refused."""

    model_config = SQLModelConfig(extra="forbid", json_schema_extra={"examples": [EXAMPLE_PRODUCT]})


class ProductRead(ProductBase):
    """A stored product as the API returns it; `price` is an exact decimal string."""

    model_config = SQLModelConfig(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    **EXAMPLE_PRODUCT,
                    "created_at": "2026-11-26T12:00:00.000000+00:00",
                    "updated_at": "2026-11-26T12:00:00.000000+00:00",
                }
            ]
        },
    )

    id: int
    created_at: datetime
    updated_at: datetime


class ProductUpdate(SQLModel):
    """PATCH body: only the given fields change; `null` is refused for every field."""

    model_config = SQLModelConfig(
        extra="forbid", json_schema_extra={"examples": [{"price": "6.90"}, {"quantity": 30}]}
    )

    name: ProductName | None = None
    description: Description | None = None
    price: Price | None = None
    quantity: Quantity | None = None

    @field_validator("name", "description", "price", "quantity")
    @classmethod
    def not_null(cls, value: Any) -> Any:
        """Leaving a field out keeps it; sending `null` is an error (no column is nullable)."""
        if value is None:
            raise ValueError("must not be null (leave the field out to keep its value)")
        return value


QueryPrice = Annotated[Decimal | None, Field(ge=0, le=PRICE_MAX, allow_inf_nan=False)]


class ProductQuery(BaseModel):
    """`GET /products` query parameters: a page, and optional filters (None: no filter).

    Validated as one model (cheaper than six separate parameters); unknown parameters are ignored.
    """

    model_config = ConfigDict(extra="ignore")

    limit: Annotated[int, Field(ge=1, le=1000, description="Page size")] = 100
    offset: Annotated[int, Field(ge=0, le=BIGINT_MAX, description="Products to skip")] = 0
    q: Annotated[SearchText | None, Field(description="Case-insensitive substring of the name")] = None
    min_price: QueryPrice = None
    max_price: QueryPrice = None
    max_quantity: Annotated[
        int | None, Field(ge=0, le=INT4_MAX, description="Low-stock view: quantity at most this")
    ] = None
