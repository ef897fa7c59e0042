"""The reports: what the stock was worth at an instant (`GET /reports/valuation`, and product by
product as CSV), at the end of each day, week or month (`/reports/valuation/series`), and what
each period sold (`GET /reports/sales`)."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from app.api.csv_export import CSV_ANSWER, EXPORT_BATCH, csv_download
from app.api.deps import Connection, ConnectionRoute, Engine
from app.api.query import openapi_parameters, query_model
from app.crud import reports as crud
from app.schemas.reports import PeriodQuery, SalesPeriod, ValuationPoint, ValuationQuery, ValuationRead, money

VALUATION_HEADER = ("product_id", "name", "sku", "quantity", "average_cost", "value")

router = APIRouter(prefix="/reports", tags=["reports"], route_class=ConnectionRoute)


@router.get(
    "/valuation",
    response_model=ValuationRead,
    summary="What the stock was worth at an instant",
    description="The live products' totals as the ledger stood at `at` (default now): how many held stock,"
    " how many units, and their value at moving-average cost.",
    openapi_extra=openapi_parameters(ValuationQuery),
)
async def valuation(
    db: Connection, query: Annotated[ValuationQuery, Depends(query_model(ValuationQuery))]
) -> ValuationRead:
    totals = await crud.valuation(db=db, at=query.at or datetime.now(UTC))
    return ValuationRead(
        at=totals.at,
        products_in_stock=totals.products_in_stock,
        quantity=totals.quantity,
        value=money(totals.value),
    )


@router.get(
    "/valuation.csv",
    summary="What each product's stock was worth at an instant, as CSV",
    description="One row per live product that held stock at `at` (default now), by product id:"
    " its quantity, average cost (4 decimals) and value (2 decimals) then.",
    response_class=StreamingResponse,
    responses=CSV_ANSWER,
    openapi_extra=openapi_parameters(ValuationQuery),
)
async def valuation_csv(
    engine: Engine, query: Annotated[ValuationQuery, Depends(query_model(ValuationQuery))]
) -> StreamingResponse:
    at = query.at or datetime.now(UTC)
    batches = crud.valuation_by_product(engine=engine, at=at, batch_size=EXPORT_BATCH)
    return await csv_download(batches, VALUATION_HEADER, "valuation.csv")


@router.get(
    "/valuation/series",
    response_model=list[ValuationPoint],
    summary="What the stock was worth at the end of each day, week or month",
    description="One entry per period from `since`'s up to `until`'s (exclusive), in `tz`, gaps"
    " included: the totals at `at`, the next period's start (movements before it), or now for the"
    " current period.",
    openapi_extra=openapi_parameters(PeriodQuery),
)
async def valuation_series(
    db: Connection, query: Annotated[PeriodQuery, Depends(query_model(PeriodQuery))]
) -> list[ValuationPoint]:
    points = await crud.series(db=db, periods=query.periods(), now=datetime.now(UTC))
    zone = query.zone()
    return [
        ValuationPoint(at=point.at.astimezone(zone), quantity=point.quantity, value=money(point.value))
        for point in points
    ]


@router.get(
    "/sales",
    response_model=list[SalesPeriod],
    summary="What sold in each day, week or month: units, revenue, cost of goods and margin",
    description="One entry per period from `since`'s up to `until`'s (exclusive), in `tz`, zeros"
    " included, from the `sold` movements (returns are not subtracted).",
    openapi_extra=openapi_parameters(PeriodQuery),
)
async def sales(
    db: Connection, query: Annotated[PeriodQuery, Depends(query_model(PeriodQuery))]
) -> list[SalesPeriod]:
    return [
        SalesPeriod(
            period_start=period.period_start,
            units_sold=period.units_sold,
            revenue=money(period.revenue),
            cost_of_goods=money(period.cost_of_goods),
            margin=money(period.revenue - period.cost_of_goods),
        )
        for period in await crud.sales(db=db, periods=query.periods())
    ]
