"""The reports: `GET /reports/valuation`, what the stock was worth at an instant (now by default)."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends

from app.api.deps import Connection, ConnectionRoute
from app.api.query import openapi_parameters, query_model
from app.crud import reports as crud
from app.schemas.reports import ValuationQuery, ValuationRead, money

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
