"""The reports' query parameters and answers: money as strings with 2 decimals; periods of a
day, week or month in the time zone a query names."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Self
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from app.core.periods import MAX_PERIODS, Bucket, Periods, period_day, periods_between, zone_names

CENT = Decimal("0.01")
Money = Annotated[str, Field(description="Money: 2 decimals, rounded half away from zero")]


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
    value: Money


PeriodBound = Annotated[
    AwareDatetime | date,
    Field(
        union_mode="left_to_right",
        description="An instant (ISO 8601 with its offset) or a date (its midnight in `tz`),"
        " moved back to the start of its period",
    ),
]


class PeriodQuery(BaseModel):
    """The query of the period reports: `since` up to `until` (exclusive) in `bucket`s of `tz`."""

    model_config = ConfigDict(extra="ignore")  # unknown parameters: app.api.strict_query

    since: PeriodBound
    until: PeriodBound
    bucket: Annotated[Bucket, Field(description="day, week (from Monday) or month")] = Bucket.DAY
    tz: Annotated[
        str,
        Field(
            min_length=1,
            max_length=64,
            description="The IANA time zone whose midnight begins a day (Europe/Amsterdam)",
            examples=["UTC", "Europe/Amsterdam"],
        ),
    ] = "UTC"

    @model_validator(mode="after")
    def within_limits(self) -> Self:
        if self.tz not in zone_names():
            raise ValueError(f"unknown time zone {self.tz!r}: use an IANA name such as Europe/Amsterdam")
        zone = self.zone()
        first, last = period_day(self.since, self.bucket, zone), period_day(self.until, self.bucket, zone)
        count = periods_between(first, last, self.bucket)
        if count < 1:
            raise ValueError(f"until must be in a later {self.bucket} than since (in {self.tz})")
        if count > MAX_PERIODS:
            raise ValueError(f"{count} periods asked; at most {MAX_PERIODS} at a time")
        return self

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def periods(self) -> Periods:
        return Periods.covering(self.since, self.until, self.bucket, self.zone())


class ValuationPoint(BaseModel):
    """The shop's totals as they stood at the end of a period (`at`: the next period's start, or
    now for the current period)."""

    at: datetime
    quantity: int
    value: Money


class SalesPeriod(BaseModel):
    """What was sold in a period: the `sold` movements' units, takings, cost and their difference."""

    period_start: datetime
    units_sold: int
    revenue: Money
    cost_of_goods: Money
    margin: Money
