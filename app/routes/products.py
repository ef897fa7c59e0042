"""The product routes: validation and status codes here, SQL in app.crud.

Each route borrows one pooled connection for its single statement (two for a list: page and
count) and writes the rows out as JSON once; `response_model` documents that shape in /docs.
"""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from app import crud
from app.database import engine
from app.schemas import ErrorMessage, ProductCreate, ProductQuery, ProductRead, ProductUpdate, StockAdjustment
from app.serialization import JSONBytes, product_json, products_json
from app.validation import BIGINT_MAX

router = APIRouter(prefix="/products", tags=["products"])

ProductId = Annotated[int, Path(ge=1, le=BIGINT_MAX, description="The product's id")]

OpenAPIResponses = dict[int | str, dict[str, Any]]
NOT_FOUND: OpenAPIResponses = {404: {"model": ErrorMessage, "description": "No product has this id"}}
DUPLICATE: OpenAPIResponses = {
    409: {
        "model": ErrorMessage,
        "description": "Another product has this name (case-insensitively)",
        "content": {"application/json": {"example": {"detail": "A product named 'Widget' already exists"}}},
    }
}
STOCK_CONFLICT: OpenAPIResponses = {
    409: {
        "model": ErrorMessage,
        "description": "The quantity would go below zero or beyond 2147483647; nothing changed",
        "content": {
            "application/json": {"example": {"detail": "Not enough stock: 3 on hand, cannot remove 5"}}
        },
    }
}


def found(product: crud.ProductRow | None) -> JSONBytes:
    if product is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Product not found")
    return JSONBytes(product_json(product))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductRead,
    summary="Add a product",
    responses=DUPLICATE,
)
async def create_product(data: ProductCreate) -> JSONBytes:
    async with engine.connect() as db:
        product = await crud.create_product(db, data)
    return JSONBytes(
        product_json(product),
        status_code=status.HTTP_201_CREATED,
        headers={"Location": f"/products/{product.id}"},
    )


@router.get("", response_model=list[ProductRead], summary="List products, ordered by id")
async def list_products(query: Annotated[ProductQuery, Query()]) -> JSONBytes:
    async with engine.connect() as db:
        products, total = await crud.list_products(db, query)
    return JSONBytes(products_json(products), headers={"X-Total-Count": str(total)})


@router.get("/{product_id}", response_model=ProductRead, summary="Read one product", responses=NOT_FOUND)
async def read_product(product_id: ProductId) -> JSONBytes:
    async with engine.connect() as db:
        return found(await crud.get_product(db, product_id))


@router.patch(
    "/{product_id}",
    response_model=ProductRead,
    summary="Change some fields of a product",
    responses={**NOT_FOUND, **DUPLICATE},
)
async def update_product(product_id: ProductId, changes: ProductUpdate) -> JSONBytes:
    async with engine.connect() as db:
        return found(await crud.update_product(db, product_id, changes.model_dump(exclude_unset=True)))


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a product",
    responses=NOT_FOUND,
)
async def delete_product(product_id: ProductId) -> Response:
    async with engine.connect() as db:
        deleted = await crud.delete_product(db, product_id)
    if not deleted:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Product not found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{product_id}/stock",
    response_model=ProductRead,
    summary="Move stock in (positive delta) or out (negative delta), atomically",
    responses={**NOT_FOUND, **STOCK_CONFLICT},
)
async def adjust_stock(product_id: ProductId, move: StockAdjustment) -> JSONBytes:
    async with engine.connect() as db:
        return found(await crud.adjust_stock(db, product_id, move.delta))
