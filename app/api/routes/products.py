"""The product routes (`/products`, `/products/{id}`): validation and status codes here, SQL in
app.crud.product.

Each route borrows one pooled connection (app.api.deps) for its single statement, hands the data
layer plain values (the body's fields, the list's `ProductFilters` and page) and writes the rows
out as JSON once (app.api.rendering); `response_model` documents that shape in /docs. A missing product is
the data layer's `ProductNotFoundError`, which app.api.errors answers with 404. A quantity given
to POST or PATCH is recorded in the stock ledger by the database (`initial`, `correction`);
stock moves, counts and movements are app.api.routes.stock. The write routes honour
Idempotency-Key (`IdempotentRoute`).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status

from app.api.deps import Connection
from app.api.idempotency import IdempotentRoute
from app.api.paging import next_link, preferences
from app.api.query import openapi_parameters, query_model
from app.api.rendering import JSONBytes, product_json, products_json
from app.api.responses import NOT_FOUND, OpenAPIResponses, ProductId
from app.crud import product as crud
from app.schemas import ErrorMessage, ProductCreate, ProductQuery, ProductRead, ProductUpdate

router = APIRouter(prefix="/products", tags=["products"], route_class=IdempotentRoute)

DUPLICATE: OpenAPIResponses = {
    409: {
        "model": ErrorMessage,
        "description": "Another product has this name (case-insensitively)",
        "content": {"application/json": {"example": {"detail": "A product named 'Widget' already exists"}}},
    }
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductRead,
    summary="Add a product",
    responses=DUPLICATE,
)
async def create_product(db: Connection, data: ProductCreate) -> JSONBytes:
    product = await crud.create_product(db=db, values=data.columns())
    return JSONBytes(
        product_json(product),
        status_code=status.HTTP_201_CREATED,
        headers={"Location": f"/products/{product.id}"},
    )


PreferHeader = Annotated[
    list[str] | None,
    Header(
        description="`count=none` leaves out X-Total-Count and what it costs"
        " (answered with `Preference-Applied: count=none`)",
    ),
]
LIST_HEADERS: OpenAPIResponses = {
    200: {
        "headers": {
            "X-Total-Count": {
                "description": "How many products match the filters",
                "schema": {"type": "integer"},
            },
            "Link": {
                "description": '`<...>; rel="next"`: the next page, while more remain',
                "schema": {"type": "string"},
            },
        }
    }
}


@router.get(
    "",
    response_model=list[ProductRead],
    summary="List products, ordered by id",
    responses=LIST_HEADERS,
    openapi_extra=openapi_parameters(ProductQuery),
)
async def list_products(
    request: Request,
    db: Connection,
    query: Annotated[ProductQuery, Depends(query_model(ProductQuery))],
    prefer: PreferHeader = None,
) -> JSONBytes:
    count = preferences(prefer).get("count") != "none"
    page = await crud.list_products(
        db=db,
        filters=query,
        limit=query.limit,
        offset=query.offset,
        after_id=query.after_id,
        count=count,
    )
    headers = (
        {"X-Total-Count": str(page.total)} if page.total is not None else {"Preference-Applied": "count=none"}
    )
    if page.more:
        headers["Link"] = next_link(request.url.remove_query_params("offset"), after_id=page.rows[-1].id)
    return JSONBytes(products_json(page.rows), headers=headers)


@router.get("/{product_id}", response_model=ProductRead, summary="Read one product", responses=NOT_FOUND)
async def read_product(db: Connection, product_id: ProductId) -> JSONBytes:
    return JSONBytes(product_json(await crud.get_product(db=db, product_id=product_id)))


@router.patch(
    "/{product_id}",
    response_model=ProductRead,
    summary="Change some fields of a product",
    responses={**NOT_FOUND, **DUPLICATE},
)
async def update_product(db: Connection, product_id: ProductId, changes: ProductUpdate) -> JSONBytes:
    product = await crud.update_product(
        db=db, product_id=product_id, changes=changes.model_dump(exclude_unset=True)
    )
    return JSONBytes(product_json(product))


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a product: it is archived (its history stays in /movements)",
    responses=NOT_FOUND,
)
async def delete_product(db: Connection, product_id: ProductId) -> Response:
    await crud.delete_product(db=db, product_id=product_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
