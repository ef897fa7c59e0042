"""The product routes: validation and status codes here, SQL in app.crud."""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from app import crud
from app.database import get_session
from app.models import Product
from app.schemas import ErrorMessage, ProductCreate, ProductRead, ProductUpdate, StockAdjustment
from app.validation import BIGINT_MAX, INT4_MAX, PRICE_MAX, SearchText

router = APIRouter(prefix="/products", tags=["products"])

Session = Annotated[AsyncSession, Depends(get_session)]
ProductId = Annotated[int, Path(ge=1, le=BIGINT_MAX, description="The product's id")]
QueryPrice = Annotated[Decimal | None, Query(ge=0, le=PRICE_MAX, allow_inf_nan=False)]

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


def found(product: Product | None) -> Product:
    if product is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Product not found")
    return product


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductRead,
    summary="Add a product",
    responses=DUPLICATE,
)
async def create_product(data: ProductCreate, session: Session, response: Response) -> Product:
    product = await crud.create_product(session, data)
    response.headers["Location"] = f"/products/{product.id}"
    return product


@router.get("", response_model=list[ProductRead], summary="List products, ordered by id")
async def list_products(
    session: Session,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=BIGINT_MAX)] = 0,
    q: Annotated[SearchText | None, Query(description="Case-insensitive substring of the name")] = None,
    min_price: QueryPrice = None,
    max_price: QueryPrice = None,
    max_quantity: Annotated[
        int | None, Query(ge=0, le=INT4_MAX, description="Low-stock view: quantity at most this")
    ] = None,
) -> list[Product]:
    filters = crud.ProductFilters(q=q, min_price=min_price, max_price=max_price, max_quantity=max_quantity)
    products, total = await crud.list_products(session, filters, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(total)
    return list(products)


@router.get("/{product_id}", response_model=ProductRead, summary="Read one product", responses=NOT_FOUND)
async def read_product(product_id: ProductId, session: Session) -> Product:
    return found(await crud.get_product(session, product_id))


@router.patch(
    "/{product_id}",
    response_model=ProductRead,
    summary="Change some fields of a product",
    responses={**NOT_FOUND, **DUPLICATE},
)
async def update_product(product_id: ProductId, changes: ProductUpdate, session: Session) -> Product:
    return found(await crud.update_product(session, product_id, changes.model_dump(exclude_unset=True)))


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a product",
    responses=NOT_FOUND,
)
async def delete_product(product_id: ProductId, session: Session) -> Response:
    if not await crud.delete_product(session, product_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Product not found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{product_id}/stock",
    response_model=ProductRead,
    summary="Move stock in (positive delta) or out (negative delta), atomically",
    responses={**NOT_FOUND, **STOCK_CONFLICT},
)
async def adjust_stock(product_id: ProductId, move: StockAdjustment, session: Session) -> Product:
    return found(await crud.adjust_stock(session, product_id, move.delta))
