"""The stock ledger's routes: moves, counts and the movement lists; SQL in app.crud.stock.

A move or a count is one statement that changes the quantity and records its movement; the
lists are newest first, paged with the `before_id` cursor and a `Link: rel="next"` header.
"""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from app.api.deps import Connection
from app.api.idempotency import IdempotentRoute
from app.api.paging import next_link
from app.api.query import openapi_parameters, query_model
from app.api.rendering import JSONBytes, movements_json, product_json
from app.api.responses import NOT_FOUND, OpenAPIResponses, ProductId
from app.core.filters import MovementFilter
from app.core.ledger import MovementReason
from app.crud import stock as crud
from app.schemas import (
    ErrorMessage,
    MovementQuery,
    MovementRead,
    ProductMovementQuery,
    ProductRead,
    StockAdjustment,
    StockCount,
)

router = APIRouter(tags=["stock"], route_class=IdempotentRoute)

STOCK_CONFLICT: OpenAPIResponses = {
    409: {
        "model": ErrorMessage,
        "description": "The quantity would go below zero or beyond 2147483647; nothing changed or recorded",
        "content": {
            "application/json": {"example": {"detail": "Not enough stock: 3 on hand, cannot remove 5"}}
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
    responses={**NOT_FOUND, **STOCK_CONFLICT},
)
async def move_stock(db: Connection, product_id: ProductId, move: StockAdjustment) -> JSONBytes:
    product = await crud.move_stock(
        db=db, product_id=product_id, delta=move.delta, reason=MovementReason(move.reason), note=move.note
    )
    return JSONBytes(product_json(product))


@router.post(
    "/products/{product_id}/count",
    response_model=ProductRead,
    summary="Record a physical count: the quantity becomes what was counted",
    responses=NOT_FOUND,
)
async def count_stock(db: Connection, product_id: ProductId, count: StockCount) -> JSONBytes:
    product = await crud.count_stock(db=db, product_id=product_id, counted=count.counted, note=count.note)
    return JSONBytes(product_json(product))


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
        filters=MovementFilter(),
        limit=query.limit,
        before_id=query.before_id,
        product_id=product_id,
    )
    return _page(request, rows, more)


@router.get(
    "/movements",
    response_model=list[MovementRead],
    summary="All stock movements, filtered by product, reason and time",
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
