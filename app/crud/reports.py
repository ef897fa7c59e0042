"""Async data access for the reports: what the shop's stock was worth at an instant, product by
product at an instant (the valuation CSV), at the end of each period, and what each period sold.
No HTTP here.

The shop's totals at an instant T are the summaries (app.models.stock_value) of every quarter-hour
before T's own, plus the movements of T's quarter-hour up to T (a few, read through the index on
`(reason, created_at, id)`); a product's part in the count of products in stock comes from its
quantity then, which is today's less what moved after T. One statement, one snapshot: exact
whether or not the fold has run. Archived products are in no report (the summaries leave them out).

A period report sums the summaries between period bounds (`width_bucket` over the bounds' array
places each quarter-hour in its period; every zone's midnight today falls on a quarter-hour); a
product's figures at an instant are today's less what moved after it.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.ledger import MovementReason
from app.core.periods import Periods
from app.crud.batches import in_batches
from app.models.stock_movement import reasons_sql

VALUATION = text(
    f"""
    WITH earlier AS (
        SELECT coalesce(sum(s.products_in_stock), 0) AS products_in_stock,
               coalesce(sum(s.quantity), 0) AS quantity, coalesce(sum(s.value), 0) AS value
        FROM (SELECT bucket, products_in_stock, quantity, value FROM stock_value_changes
              UNION ALL SELECT bucket, products_in_stock, quantity, value FROM stock_value_buckets) AS s
        WHERE s.bucket < :start
    ),
    recent AS (
        SELECT m.product_id, sum(m.delta) AS delta, sum(m.value_delta) AS value
        FROM stock_movements AS m
        WHERE m.reason IN ({reasons_sql(frozenset(MovementReason))})
          AND m.created_at >= :start AND m.created_at <= :at
        GROUP BY m.product_id
    ),
    stood AS (
        SELECT recent.delta, recent.value,
               p.quantity - coalesce((SELECT sum(later.delta) FROM stock_movements AS later
                                      WHERE later.product_id = recent.product_id
                                        AND later.created_at > :at), 0) AS quantity_then
        FROM recent JOIN products AS p ON p.id = recent.product_id AND p.archived_at IS NULL
    )
    SELECT earlier.products_in_stock
               + coalesce(sum((quantity_then > 0)::integer - (quantity_then - delta > 0)::integer), 0)
               AS products_in_stock,
           earlier.quantity + coalesce(sum(stood.delta), 0) AS quantity,
           earlier.value + coalesce(sum(stood.value), 0) AS value
    FROM earlier LEFT JOIN stood ON true
    GROUP BY earlier.products_in_stock, earlier.quantity, earlier.value
"""  # noqa: S608  # the reasons are the enum's literals, nothing from a request
)
"""The totals at :at, from the summaries before :start (its quarter-hour) and the movements since.
Both bounds are parameters, not computed in the statement, so that the planner sees how few
movements a quarter-hour holds (a guess of thousands would also switch on JIT: 20 ms)."""
QUARTER_HOUR = timedelta(minutes=15)
SUMMARIES_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
"""The summaries' quarter-hours are `date_bin('15 minutes', created_at, this)`."""


def quarter_hour(at: datetime) -> datetime:
    """The start of the summaries' quarter-hour that holds `at`."""
    return at - (at - SUMMARIES_ORIGIN) % QUARTER_HOUR


@dataclass(frozen=True, slots=True)
class Valuation:
    """The shop's live products as the ledger stood at `at` (movements with created_at <= at)."""

    at: datetime
    products_in_stock: int
    quantity: int
    value: Decimal


async def valuation(*, db: AsyncConnection, at: datetime) -> Valuation:
    row = (await db.execute(VALUATION, {"at": at, "start": quarter_hour(at)})).one()
    return Valuation(at, int(row.products_in_stock), int(row.quantity), Decimal(row.value))


def summed_by_period(bounds: str, columns: tuple[str, ...]) -> TextClause:
    """The sums of the summaries' `columns` from :since to :until per period: `period` is where
    `width_bucket` puts a quarter-hour among the instants of the array `:bounds`."""
    listed = ", ".join(columns)
    return text(
        f"""
        SELECT width_bucket(s.bucket, CAST(:{bounds} AS timestamptz[])) AS period,
               {", ".join(f"sum(s.{column}) AS {column}" for column in columns)}
        FROM (SELECT bucket, {listed} FROM stock_value_changes WHERE bucket >= :since AND bucket < :until
              UNION ALL
              SELECT bucket, {listed} FROM stock_value_buckets
              WHERE bucket >= :since AND bucket < :until) AS s
        GROUP BY 1
    """  # noqa: S608  # column names from this module, nothing from a request
    )


SERIES = summed_by_period("ends", ("quantity", "value"))
"""Each period's change of the totals (period i: since the end of period i - 1; 0: before all)."""
SALES = summed_by_period("starts", ("units_sold", "revenue", "cost_of_goods"))
"""Each period's sales (period i: the i-th, counted from 1)."""
VALUATION_BY_PRODUCT = text(
    """
    SELECT p.id AS product_id, p.name, p.sku, p.quantity - later.delta AS quantity,
           round((p.stock_value - later.value) / (p.quantity - later.delta), 4) AS average_cost,
           round(p.stock_value - later.value, 2) AS value
    FROM products AS p
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(m.delta), 0) AS delta, coalesce(sum(m.value_delta), 0) AS value
        FROM stock_movements AS m WHERE m.product_id = p.id AND m.created_at > :at
    ) AS later
    WHERE p.id > :after_id AND p.archived_at IS NULL AND p.quantity - later.delta > 0
    ORDER BY p.id
    LIMIT :batch_size
"""
)
"""A batch of the live products that held stock at `at`, by id, with their figures then."""
BEGINNING = datetime.min.replace(tzinfo=UTC)  # -infinity to PostgreSQL: before every summary


@dataclass(frozen=True, slots=True)
class Point:
    """The totals as they stood at `at`."""

    at: datetime
    quantity: int
    value: Decimal


@dataclass(frozen=True, slots=True)
class Sales:
    period_start: datetime
    units_sold: int
    revenue: Decimal
    cost_of_goods: Decimal


async def series(*, db: AsyncConnection, periods: Periods, now: datetime) -> list[Point]:
    """The totals at each period's end (or at `now`, for a period that has not ended)."""
    changes = await db.execute(
        SERIES, {"ends": list(periods.ends), "since": BEGINNING, "until": periods.bounds[-1]}
    )
    by_period = {row.period: (int(row.quantity), Decimal(row.value)) for row in changes}
    points, quantity, value = [], 0, Decimal(0)
    for index, end in enumerate(periods.ends):
        moved, worth = by_period.get(index, (0, Decimal(0)))  # since the previous end, before this one
        quantity, value = quantity + moved, value + worth
        points.append(Point(min(end, now), quantity, value))
    return points


async def sales(*, db: AsyncConnection, periods: Periods) -> list[Sales]:
    rows = await db.execute(
        SALES, {"starts": list(periods.starts), "since": periods.bounds[0], "until": periods.bounds[-1]}
    )
    by_period = {row.period: row for row in rows}
    nothing = (0, Decimal(0), Decimal(0))
    report = []
    for index, start in enumerate(periods.starts, start=1):
        row = by_period.get(index)
        units, revenue, cost = nothing if row is None else (row.units_sold, row.revenue, row.cost_of_goods)
        report.append(Sales(start, int(units), Decimal(revenue), Decimal(cost)))
    return report


def valuation_by_product(
    *, engine: AsyncEngine, at: datetime, batch_size: int
) -> AsyncIterator[Sequence[Row[Any]]]:
    """Every live product that held stock at `at`, by id, `batch_size` at a time (the export of
    `GET /reports/valuation.csv`; app.crud.batches)."""
    return in_batches(
        engine=engine,
        statement=VALUATION_BY_PRODUCT,
        parameters={"at": at, "after_id": 0, "batch_size": batch_size},
        batch_size=batch_size,
        after=lambda last: {"after_id": last.product_id},
    )
