"""The ledger's request and response bodies: stock moves, counts, movements and their queries."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import SQLModel
from sqlmodel._compat import SQLModelConfig  # the config type SQLModel subclasses must use

from app.core.filters import MovementFilter
from app.core.ledger import CLIENT_REASONS, DECREASES, INCREASES, MovementReason
from app.core.validation import Note, Quantity, RowId, StockDelta

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
                {"delta": 12, "reason": "received", "note": "Delivery 4711"},
                {"delta": -2},
            ]
        },
    )

    delta: StockDelta
    reason: MoveReason = "adjustment"
    note: Note = ""

    @model_validator(mode="after")
    def delta_fits_reason(self) -> Self:
        """Never 0; positive for received/returned, negative for sold/damaged."""
        reason = MovementReason(self.reason)
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


class MovementRead(SQLModel):
    """One entry of the ledger, as the API returns it."""

    model_config = SQLModelConfig(
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "product_id": 1,
                    "delta": -1,
                    "quantity_after": 23,
                    "reason": "sold",
                    "note": "Till 2",
                    "created_at": "2026-12-03T09:15:00.123456+00:00",
                }
            ]
        }
    )

    id: int
    product_id: int
    delta: int
    quantity_after: int
    reason: MovementReason
    note: str
    created_at: datetime


class ProductMovementQuery(BaseModel):
    """`GET /products/{id}/movements` query parameters: a page, newest first."""

    model_config = ConfigDict(extra="ignore")

    limit: Annotated[int, Field(ge=1, le=1000, description="Page size")] = 100
    before_id: Annotated[RowId | None, Field(description="Only movements with a smaller id")] = None


class MovementQuery(MovementFilter, ProductMovementQuery):
    """`GET /movements` query parameters: a page (first), and the filters of `MovementFilter`."""
