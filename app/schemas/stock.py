"""The ledger's request and response bodies: stock moves, counts, movements and their queries."""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # the config type SQLModel subclasses must use

from app.core.filters import MovementFilter
from app.core.ledger import CLIENT_REASONS, DECREASES, INCREASES, PRICED, MovementReason
from app.core.validation import Note, Price, Quantity, RowId, StockDelta, UnitCost

AtLocation = Annotated[RowId | None, Field(description="Where (absent: the default location)")]
ExpectedQuantity = Annotated[
    Quantity | None,
    Field(description="Compare-and-set: the quantity you believe is at the location now; 409 if not"),
]

if TYPE_CHECKING:
    MoveReason = str
else:  # a Literal of CLIENT_REASONS' values, in declaration order, so that /docs lists exactly those
    MoveReason = Literal[tuple(reason.value for reason in MovementReason if reason in CLIENT_REASONS)]
"""The reasons a client may give a stock move (app.models.CLIENT_REASONS)."""


class StockAdjustment(SQLModel):
    """POST /products/{id}/stock body: a signed change, why it happened, and a note."""

    model_config = SQLModelConfig(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"delta": -1, "reason": "sold", "note": "Till 2"},
                {"delta": 12, "reason": "received", "note": "Delivery 4711", "unit_cost": "3.20"},
                {"delta": -1, "reason": "sold", "unit_price": "6.00", "note": "Staff discount"},
                {"delta": -2},
            ]
        },
    )

    delta: StockDelta
    reason: MoveReason = "adjustment"
    note: Note = ""
    location_id: AtLocation = None
    expected_quantity: ExpectedQuantity = None
    unit_cost: Annotated[
        UnitCost | None, Field(description="With `received`: what one unit cost (absent: the average cost)")
    ] = None
    unit_price: Annotated[
        Price | None,
        Field(description="With `sold` or `returned`: the price of one unit (absent: the product's price)"),
    ] = None

    @model_validator(mode="after")
    def delta_fits_reason(self) -> Self:
        """Never 0; positive for received/returned, negative for sold/damaged; a unit cost only
        for a receipt, a unit price only for a sale or a return."""
        reason = MovementReason(self.reason)
        if self.unit_cost is not None and reason != MovementReason.RECEIVED:
            raise ValueError("unit_cost is only for reason 'received'")
        if self.unit_price is not None and reason not in PRICED:
            raise ValueError("unit_price is only for reason 'sold' or 'returned'")
        if self.delta == 0:
            raise ValueError("delta must not be 0 (a count of unchanged stock is POST /products/{id}/count)")
        if reason in INCREASES and self.delta < 0:
            raise ValueError(f"delta must be positive for reason '{reason}'")
        if reason in DECREASES and self.delta > 0:
            raise ValueError(f"delta must be negative for reason '{reason}'")
        return self


class StockCount(SQLModel):
    """POST /products/{id}/count body: how many were counted on the shelf, and a note."""

    model_config = SQLModelConfig(
        extra="forbid", json_schema_extra={"examples": [{"counted": 17, "note": "Monday count"}]}
    )

    counted: Quantity
    note: Note = ""
    location_id: AtLocation = None
    expected_quantity: ExpectedQuantity = None


class MovementRead(SQLModel):
    """One entry of the ledger, as the API returns it."""

    model_config = SQLModelConfig(
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "product_id": 1,
                    "location_id": 1,
                    "delta": -1,
                    "quantity_after": 23,
                    "reason": "sold",
                    "note": "Till 2",
                    "transfer_id": None,
                    "batch_id": None,
                    "unit_cost": "2.5000",
                    "value_delta": "-2.5000",
                    "unit_price": "7.50",
                    "created_at": "2026-12-03T09:15:00.123456+00:00",
                }
            ]
        }
    )

    id: int
    product_id: int
    location_id: int
    delta: int
    quantity_after: Annotated[int, Field(description="The quantity at this location after the movement")]
    reason: MovementReason
    note: str
    transfer_id: Annotated[int | None, Field(description="A transfer's: the id of its `transfer_out`")]
    batch_id: Annotated[int | None, Field(description="A basket's: the id of its first movement")]
    unit_cost: Annotated[Decimal, Field(description="The cost of one unit it moved (4 decimals)")]
    value_delta: Annotated[Decimal, Field(description="What it changed the stock's value by (4 decimals)")]
    unit_price: Annotated[
        Decimal | None, Field(description="A sale's or return's price of one unit; null for other reasons")
    ]
    created_at: datetime


class ProductMovementQuery(BaseModel):
    """`GET /products/{id}/movements` query parameters: a page, newest first."""

    model_config = ConfigDict(extra="ignore")

    limit: Annotated[int, Field(ge=1, le=1000, description="Page size")] = 100
    before_id: Annotated[RowId | None, Field(description="Only movements with a smaller id")] = None
    location_id: Annotated[RowId | None, Field(description="Only the movements at this location")] = None


class MovementQuery(MovementFilter, ProductMovementQuery):
    """`GET /movements` query parameters: a page (first), and the filters of `MovementFilter`."""


class StockLevelRead(SQLModel):
    """How many of a product one location holds (`GET /products/{id}/stock`, a transfer's answer)."""

    model_config = SQLModelConfig(json_schema_extra={"examples": [{"location_id": 1, "quantity": 20}]})

    location_id: int
    quantity: int


class StockTransfer(SQLModel):
    """POST /products/{id}/transfers body: how many move from one location to another."""

    model_config = SQLModelConfig(
        extra="forbid",
        json_schema_extra={
            "examples": [{"from_location_id": 1, "to_location_id": 2, "quantity": 4, "note": "Restock"}]
        },
    )

    from_location_id: RowId
    to_location_id: RowId
    quantity: Annotated[Quantity, Field(gt=0)]
    note: Note = ""

    @model_validator(mode="after")
    def two_places(self) -> Self:
        if self.from_location_id == self.to_location_id:
            raise ValueError("from_location_id and to_location_id must differ")
        return self


BASKET_MAX_LINES = 100


class BasketLine(StockAdjustment):
    """One line of a basket: a stock move of one product (its note defaults to the basket's)."""

    model_config = SQLModelConfig(extra="forbid")

    product_id: RowId


class Basket(SQLModel):
    """POST /stock/batch body: 1 to 100 lines, applied in order, all or none."""

    model_config = SQLModelConfig(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "lines": [
                        {"product_id": 1, "delta": -2, "reason": "sold"},
                        {"product_id": 2, "delta": -1, "reason": "sold", "expected_quantity": 5},
                    ],
                    "note": "Till 1, receipt 0815",
                }
            ]
        },
    )

    lines: Annotated[list[BasketLine], Field(min_length=1, max_length=BASKET_MAX_LINES)]
    note: Note = ""


class BasketRead(SQLModel):
    """A basket applied: its id (its first movement's) and its movements in line order."""

    batch_id: int
    movements: list[MovementRead]
