"""The stock ledger's routes: moves, counts, a product's levels, transfers, baskets and the
movement lists; SQL in app.crud.stock.

A move or a count is one statement that changes a level (the default location's unless the body
names one) and records its movement; a transfer and a basket are one transaction each; the
lists are newest first, paged with the `before_id` cursor and a `Link: rel="next"` header.
"""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from app.api.deps import Connection
from app.api.idempotency import IdempotentRoute
from app.api.paging import next_link
from app.api.query import openapi_parameters, query_model
from app.api.rendering import LEVEL_FIELDS, JSONBytes, basket_json, movements_json, product_json, rows_json
from app.api.responses import NOT_FOUND, PRODUCT_OR_LOCATION_NOT_FOUND, OpenAPIResponses, ProductId
from app.core.filters import MovementFilter
from app.core.ledger import MovementReason
from app.crud import stock as crud
from app.schemas import (
    Basket,
    BasketRead,
    ErrorMessage,
    MovementQuery,
    MovementRead,
    ProductMovementQuery,
    ProductRead,
    StockAdjustment,
    StockCount,
    StockLevelRead,
    StockTransfer,
)

router = APIRouter(tags=["stock"], route_class=IdempotentRoute)


class QuantityMismatch(ErrorMessage):
    """The 409 of compare-and-set: what the client expected at the location, and what is there."""

    product_id: int
    location_id: int
    expected_quantity: int
    actual_quantity: int


STOCK_CONFLICT: OpenAPIResponses = {
    409: {
        "model": ErrorMessage | QuantityMismatch,
        "description": "The quantity at the location would go below zero (or the total beyond 2147483647),"
        " or it is not the `expected_quantity` (the body then says what it is); nothing changed or recorded",
        "content": {
            "application/json": {
                "examples": {
                    "short": {"value": {"detail": "Not enough stock: 3 on hand, cannot remove 5"}},
                    "stale": {
                        "value": {
                            "detail": "Location 1 holds 4 of product 7, not the expected 5; nothing changed",
                            "product_id": 7,
                            "location_id": 1,
                            "expected_quantity": 5,
                            "actual_quantity": 4,
                        }
                    },
                }
            }
        },
    }
}
PAGED = 'Newest first (by id). While more remain, a `Link: <...>; rel="next"` header gives the next page.'


def _page(request: Request, rows: Sequence[Any], more: bool) -> JSONBytes:
    headers = {"Link": next_link(request.url, before_id=rows[-1].id)} if more else None
    return JSONBytes(movements_json(rows), headers=headers)


@router.post(
    "/products/{product_id}/stock",
    response_model=ProductRead,
    summary="Move stock in (positive delta) or out (negative delta), atomically, and record why",
    responses={**PRODUCT_OR_LOCATION_NOT_FOUND, **STOCK_CONFLICT},
)
async def move_stock(db: Connection, product_id: ProductId, move: StockAdjustment) -> JSONBytes:
    product = await crud.move_stock(
        db=db,
        product_id=product_id,
        delta=move.delta,
        reason=MovementReason(move.reason),
        note=move.note,
        location_id=move.location_id,
        expected=move.expected_quantity,
        unit_cost=move.unit_cost,
        unit_price=move.unit_price,
    )
    return JSONBytes(product_json(product))


@router.post(
    "/products/{product_id}/count",
    response_model=ProductRead,
    summary="Record a physical count: the quantity at the location becomes what was counted",
    responses={**PRODUCT_OR_LOCATION_NOT_FOUND, **STOCK_CONFLICT},
)
async def count_stock(db: Connection, product_id: ProductId, count: StockCount) -> JSONBytes:
    product = await crud.count_stock(
        db=db,
        product_id=product_id,
        counted=count.counted,
        note=count.note,
        location_id=count.location_id,
        expected=count.expected_quantity,
    )
    return JSONBytes(product_json(product))


@router.get(
    "/products/{product_id}/stock",
    response_model=list[StockLevelRead],
    summary="Where a product's stock is: one entry per location holding some, by location id",
    responses=NOT_FOUND,
)
async def product_levels(db: Connection, product_id: ProductId) -> JSONBytes:
    return JSONBytes(rows_json(await crud.product_levels(db=db, product_id=product_id), LEVEL_FIELDS))


@router.post(
    "/products/{product_id}/transfers",
    response_model=list[StockLevelRead],
    summary="Move stock from one location to another (two movements, one transfer_id); the levels after",
    responses={**PRODUCT_OR_LOCATION_NOT_FOUND, **STOCK_CONFLICT},
)
async def transfer_stock(db: Connection, product_id: ProductId, transfer: StockTransfer) -> JSONBytes:
    levels = await crud.transfer_stock(
        db=db,
        product_id=product_id,
        source=transfer.from_location_id,
        destination=transfer.to_location_id,
        quantity=transfer.quantity,
        note=transfer.note,
    )
    return JSONBytes(rows_json(levels, LEVEL_FIELDS))


@router.post(
    "/stock/batch",
    response_model=BasketRead,
    summary="Apply a basket: up to 100 stock moves, all or none, in one transaction",
    description="A refused line refuses the basket with the status it would have alone; its `detail`"
    " names the line (from 0) and the product, and `line` gives its index.",
    responses={**PRODUCT_OR_LOCATION_NOT_FOUND, **STOCK_CONFLICT},
)
async def apply_basket(db: Connection, basket: Basket) -> JSONBytes:
    lines = [
        crud.BasketLine(
            product_id=line.product_id,
            delta=line.delta,
            reason=MovementReason(line.reason),
            note=line.note if "note" in line.model_fields_set else basket.note,
            location_id=line.location_id,
            expected=line.expected_quantity,
            unit_cost=line.unit_cost,
            unit_price=line.unit_price,
        )
        for line in basket.lines
    ]
    batch_id, movements = await crud.apply_basket(db=db, lines=lines)
    return JSONBytes(basket_json(batch_id, movements))


@router.get(
    "/products/{product_id}/movements",
    response_model=list[MovementRead],
    summary="A product's stock movements",
    description=PAGED,
    responses=NOT_FOUND,
    openapi_extra=openapi_parameters(ProductMovementQuery),
)
async def product_movements(
    request: Request,
    db: Connection,
    product_id: ProductId,
    query: Annotated[ProductMovementQuery, Depends(query_model(ProductMovementQuery))],
) -> JSONBytes:
    rows, more = await crud.list_movements(
        db=db,
        filters=MovementFilter(location_id=query.location_id),
        limit=query.limit,
        before_id=query.before_id,
        product_id=product_id,
    )
    return _page(request, rows, more)


@router.get(
    "/movements",
    response_model=list[MovementRead],
    summary="All stock movements, filtered by product, location, reason and time",
    description=f"{PAGED} `since` is inclusive, `until` exclusive: ISO 8601 instants with an offset.",
    openapi_extra=openapi_parameters(MovementQuery),
)
async def movements(
    request: Request, db: Connection, query: Annotated[MovementQuery, Depends(query_model(MovementQuery))]
) -> JSONBytes:
    rows, more = await crud.list_movements(
        db=db,
        filters=query,
        limit=query.limit,
        before_id=query.before_id,
    )
    return _page(request, rows, more)
