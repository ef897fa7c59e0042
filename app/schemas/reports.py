"""The reports' query parameters and answers: money as strings with 2 decimals."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

CENT = Decimal("0.01")


def money(amount: Decimal) -> str:
    """`amount` rounded to the cent, half away from zero, as a string ("12.35")."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


class ValuationQuery(BaseModel):
    """`GET /reports/valuation` query parameters."""

    model_config = ConfigDict(extra="ignore")  # unknown parameters: app.api.strict_query

    at: Annotated[
        AwareDatetime | None,
        Field(
            description="The instant (ISO 8601 with its offset); absent: now."
            " Movements recorded at or before it count."
        ),
    ] = None


class ValuationRead(BaseModel):
    """The shop's stock at an instant: how many live products held any, how many units, their cost."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "at": "2026-12-07T18:00:00+00:00",
                    "products_in_stock": 12,
                    "quantity": 311,
                    "value": "1234.50",
                }
            ]
        }
    )

    at: datetime
    products_in_stock: int
    quantity: int
    value: Annotated[str, Field(description="Money: 2 decimals, rounded half away from zero")]
