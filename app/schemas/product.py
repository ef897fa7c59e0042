"""The product API's request and response bodies, derived from `ProductBase`."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, JsonValue, field_validator
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # the config type SQLModel subclasses must use

from app.core.filters import ProductFilter
from app.core.validation import (
    BIGINT_MAX,
    Barcode,
    Description,
    Price,
    ProductName,
    Quantity,
    ReorderLevel,
    Sku,
    UnitCost,
)
from app.models import ProductBase
from app.schemas.common import refuse_null

EXAMPLE_PRODUCT: dict[str, JsonValue] = {
    "name": "Espresso cup",
    "description": "White porcelain, 90 ml",
    "price": "7.50",
    "quantity": 24,
    "sku": "CUP-ESP-90",
    "barcode": "4006381333931",
    "reorder_level": 6,
}


class ProductCreate(ProductBase):
    """POST body: sku, barcode, reorder_level and unit_cost are optional, the rest required;
    unknown keys (and id, timestamps, average_cost, stock_value) are refused."""

    model_config = SQLModelConfig(
        extra="forbid", json_schema_extra={"examples": [{**EXAMPLE_PRODUCT, "unit_cost": "3.10"}]}
    )

    unit_cost: Annotated[
        UnitCost,
        Field(
            description="What one unit of the initial quantity cost"
            " (with quantity 0: the starting average cost)"
        ),
    ] = Decimal(0)

    def columns(self) -> dict[str, object]:
        """The product's columns: the unit cost is its first `average_cost`."""
        values = self.model_dump(exclude={"unit_cost"})
        return {**values, "average_cost": self.unit_cost}


class ProductRead(ProductBase):
    """A stored product as the API returns it; `price` is an exact decimal string."""

    model_config = SQLModelConfig(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    **EXAMPLE_PRODUCT,
                    "average_cost": "3.1000",
                    "stock_value": "74.4000",
                    "created_at": "2026-11-26T12:00:00.000000+00:00",
                    "updated_at": "2026-11-26T12:00:00.000000+00:00",
                }
            ]
        },
    )

    id: int
    average_cost: Annotated[
        Decimal, Field(description="Read-only: the moving-average cost of one unit (4 decimals)")
    ]
    stock_value: Annotated[Decimal, Field(description="Read-only: what the stock on hand cost (4 decimals)")]
    created_at: datetime
    updated_at: datetime


class ProductUpdate(SQLModel):
    """PATCH body: only the given fields change; `null` clears `sku` or `barcode` and is refused
    for every other field."""

    model_config = SQLModelConfig(
        extra="forbid",
        json_schema_extra={"examples": [{"price": "6.90"}, {"quantity": 30}, {"sku": None}]},
    )

    name: ProductName | None = None
    description: Description | None = None
    price: Price | None = None
    quantity: Quantity | None = None
    sku: Sku | None = None
    barcode: Barcode | None = None
    reorder_level: ReorderLevel | None = None

    not_null = field_validator("name", "description", "price", "quantity", "reorder_level")(refuse_null)


class ProductQuery(ProductFilter):
    """`GET /products` query parameters: the filters and a page (by cursor and/or offset)."""

    limit: Annotated[int, Field(ge=1, le=1000, description="Page size")] = 100
    offset: Annotated[int, Field(ge=0, le=BIGINT_MAX, description="Products to skip")] = 0
    after_id: Annotated[
        int | None,
        Field(ge=0, le=BIGINT_MAX, description="Cursor: only products with a larger id (see Link)"),
    ] = None
