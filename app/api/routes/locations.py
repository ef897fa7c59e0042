"""The location routes (`/locations`, `/locations/{id}`, `/locations/{id}/stock`); SQL in
app.crud.location and app.crud.stock.

A location is a place that holds stock; exactly one is the default, where a stock move that
names no location happens and where a total set on a product puts its difference.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from app.api.deps import Connection
from app.api.idempotency import IdempotentRoute
from app.api.paging import next_link
from app.api.query import openapi_parameters, query_model
from app.api.rendering import HOLDING_FIELDS, LOCATION_FIELDS, JSONBytes, location_json, rows_json
from app.api.responses import LOCATION_NOT_FOUND, LocationId, OpenAPIResponses
from app.crud import location as crud
from app.crud import stock
from app.schemas import (
    ErrorMessage,
    LocationCreate,
    LocationRead,
    LocationStockQuery,
    LocationStockRead,
    LocationUpdate,
)

router = APIRouter(prefix="/locations", tags=["locations"], route_class=IdempotentRoute)

DUPLICATE: OpenAPIResponses = {
    409: {
        "model": ErrorMessage,
        "description": "Another location has this name (case-insensitively)",
        "content": {
            "application/json": {"example": {"detail": "A location named 'Back room' already exists"}}
        },
    }
}
IN_USE: OpenAPIResponses = {
    409: {
        "model": ErrorMessage,
        "description": "The default location, or one that stock movements name: it stays",
    }
}


@router.get("", response_model=list[LocationRead], summary="List the locations, ordered by id")
async def list_locations(db: Connection) -> JSONBytes:
    return JSONBytes(rows_json(await crud.list_locations(db=db), LOCATION_FIELDS))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=LocationRead,
    summary="Add a location",
    responses=DUPLICATE,
)
async def create_location(db: Connection, data: LocationCreate) -> JSONBytes:
    location = await crud.create_location(db=db, name=data.name)
    return JSONBytes(
        location_json(location),
        status_code=status.HTTP_201_CREATED,
        headers={"Location": f"/locations/{location.id}"},
    )


@router.get(
    "/{location_id}", response_model=LocationRead, summary="Read one location", responses=LOCATION_NOT_FOUND
)
async def read_location(db: Connection, location_id: LocationId) -> JSONBytes:
    return JSONBytes(location_json(await crud.get_location(db=db, location_id=location_id)))


@router.patch(
    "/{location_id}",
    response_model=LocationRead,
    summary="Rename a location, or make it the default",
    responses={**LOCATION_NOT_FOUND, **DUPLICATE},
)
async def update_location(db: Connection, location_id: LocationId, changes: LocationUpdate) -> JSONBytes:
    location = await crud.update_location(
        db=db, location_id=location_id, name=changes.name, make_default=changes.default is True
    )
    return JSONBytes(location_json(location))


@router.delete(
    "/{location_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a location that is not the default and that no movement ever named",
    responses={**LOCATION_NOT_FOUND, **IN_USE},
)
async def delete_location(db: Connection, location_id: LocationId) -> Response:
    await crud.delete_location(db=db, location_id=location_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{location_id}/stock",
    response_model=list[LocationStockRead],
    summary="The products this location holds (quantity above 0), by product id",
    description='While more remain, a `Link: <...>; rel="next"` header gives the next page.',
    responses=LOCATION_NOT_FOUND,
    openapi_extra=openapi_parameters(LocationStockQuery),
)
async def location_stock(
    request: Request,
    db: Connection,
    location_id: LocationId,
    query: Annotated[LocationStockQuery, Depends(query_model(LocationStockQuery))],
) -> JSONBytes:
    rows, more = await stock.location_stock(
        db=db, location_id=location_id, limit=query.limit, after_id=query.after_id
    )
    headers = {"Link": next_link(request.url, after_id=rows[-1].product_id)} if more else None
    return JSONBytes(rows_json(rows, HOLDING_FIELDS), headers=headers)
