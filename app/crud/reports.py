"""Async data access for the reports: what the shop's stock was worth at an instant. No HTTP here.

The shop's totals at an instant T are the summaries (app.models.stock_value) of every quarter-hour
before T's own, plus the movements of T's quarter-hour up to T (a few, read through the index on
`(reason, created_at, id)`); a product's part in the count of products in stock comes from its
quantity then, which is today's less what moved after T. One statement, one snapshot: exact
whether or not the fold has run. Archived products are in no report (the summaries leave them out).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.ledger import MovementReason
from app.models.stock_movement import reasons_sql

VALUATION = text(
    f"""
    WITH bounds AS MATERIALIZED (
        SELECT at, date_bin('15 minutes', at, timestamptz '2000-01-01 00:00+00') AS start
        FROM (SELECT CAST(:at AS timestamptz) AS at) AS given
    ),
    earlier AS (
        SELECT coalesce(sum(s.products_in_stock), 0) AS products_in_stock,
               coalesce(sum(s.quantity), 0) AS quantity, coalesce(sum(s.value), 0) AS value
        FROM (SELECT bucket, products_in_stock, quantity, value FROM stock_value_changes
              UNION ALL SELECT bucket, products_in_stock, quantity, value FROM stock_value_buckets) AS s,
             bounds
        WHERE s.bucket < bounds.start
    ),
    recent AS (
        SELECT m.product_id, sum(m.delta) AS delta, sum(m.value_delta) AS value
        FROM stock_movements AS m, bounds
        WHERE m.reason IN ({reasons_sql(frozenset(MovementReason))})
          AND m.created_at >= bounds.start AND m.created_at <= bounds.at
        GROUP BY m.product_id
    ),
    stood AS (
        SELECT recent.delta, recent.value,
               p.quantity - coalesce((SELECT sum(later.delta) FROM stock_movements AS later, bounds
                                      WHERE later.product_id = recent.product_id
                                        AND later.created_at > bounds.at), 0) AS quantity_then
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


@dataclass(frozen=True, slots=True)
class Valuation:
    """The shop's live products as the ledger stood at `at` (movements with created_at <= at)."""

    at: datetime
    products_in_stock: int
    quantity: int
    value: Decimal


async def valuation(*, db: AsyncConnection, at: datetime) -> Valuation:
    row = (await db.execute(VALUATION, {"at": at})).one()
    return Valuation(at, int(row.products_in_stock), int(row.quantity), Decimal(row.value))
