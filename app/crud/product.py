"""Async data access for products: one function per operation, keyword-only, no HTTP in here.

Each function runs one SQLAlchemy Core statement on the connection it is given (autocommit, see
app.database): a write is committed when the function returns, so a constraint violation
surfaces here, as a domain error (app.exceptions), before any response goes out. Rows come back
as they are, in `READ_COLUMNS` order; app.serialization writes them out once. A quantity set
here is recorded in the stock ledger by the database's triggers (`initial` on create,
`correction` on update); stock moves and counts are in app.crud.stock.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Executable, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.exceptions import DuplicateNameError, ProductNotFoundError
from app.models import NAME_UNIQUE_INDEX, PRODUCTS, READ_COLUMNS
from app.schemas import ProductCreate, ProductQuery, ProductUpdate

UNIQUE_VIOLATION = "23505"
COLUMNS = PRODUCTS.c
ProductRow = Row[*tuple[Any, ...]]


def _filter_conditions(query: ProductQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.q:
        # strpos matches a literal substring: % and _ are not wildcards.
        conditions.append(func.strpos(func.lower(COLUMNS.name), func.lower(query.q)) > 0)
    if query.min_price is not None:
        conditions.append(COLUMNS.price >= query.min_price)
    if query.max_price is not None:
        conditions.append(COLUMNS.price <= query.max_price)
    if query.max_quantity is not None:
        conditions.append(COLUMNS.quantity <= query.max_quantity)
    return conditions


def _is_duplicate_name(error: IntegrityError) -> bool:
    cause = error.orig.__cause__ if error.orig is not None else None
    return (
        getattr(error.orig, "sqlstate", None) == UNIQUE_VIOLATION
        and getattr(cause, "constraint_name", None) == NAME_UNIQUE_INDEX
    )


async def _write(db: AsyncConnection, statement: Executable, name: str | None) -> ProductRow | None:
    """Run an INSERT/UPDATE ... RETURNING; a clash on the name index becomes DuplicateNameError."""
    try:
        return (await db.execute(statement)).one_or_none()
    except IntegrityError as error:
        if name is not None and _is_duplicate_name(error):
            raise DuplicateNameError(name) from error
        raise


async def create_product(*, db: AsyncConnection, data: ProductCreate) -> ProductRow:
    statement = insert(PRODUCTS).values(**data.model_dump()).returning(*READ_COLUMNS)
    product = await _write(db, statement, data.name)
    assert product is not None  # an INSERT ... RETURNING always returns its row
    return product


async def list_products(*, db: AsyncConnection, query: ProductQuery) -> tuple[Sequence[ProductRow], int]:
    """One page of products ordered by id, and how many match the filters in all.

    The count rides along as a last column of the page (one round trip; PostgreSQL runs the
    uncorrelated subquery once); only a page past the end needs a query of its own for it.
    """
    conditions = _filter_conditions(query)
    total = select(func.count()).select_from(PRODUCTS).where(*conditions)
    page = (
        select(*READ_COLUMNS, total.scalar_subquery().label("total"))
        .where(*conditions)
        .order_by(COLUMNS.id)
        .limit(query.limit)
        .offset(query.offset)
    )
    products = (await db.execute(page)).all()
    if products:
        return products, products[0].total
    return products, 0 if query.offset == 0 else (await db.scalar(total)) or 0


async def get_product(*, db: AsyncConnection, product_id: int) -> ProductRow:
    product = (await db.execute(select(*READ_COLUMNS).where(COLUMNS.id == product_id))).one_or_none()
    if product is None:
        raise ProductNotFoundError(product_id)
    return product


async def update_product(*, db: AsyncConnection, product_id: int, changes: ProductUpdate) -> ProductRow:
    """Change only the fields the client sent; the database trigger advances `updated_at`."""
    values = changes.model_dump(exclude_unset=True)
    if not values:
        return await get_product(db=db, product_id=product_id)
    statement = update(PRODUCTS).where(COLUMNS.id == product_id).values(**values).returning(*READ_COLUMNS)
    product = await _write(db, statement, values.get("name"))
    if product is None:
        raise ProductNotFoundError(product_id)
    return product


async def delete_product(*, db: AsyncConnection, product_id: int) -> None:
    result = await db.execute(delete(PRODUCTS).where(COLUMNS.id == product_id).returning(COLUMNS.id))
    if result.scalar_one_or_none() is None:
        raise ProductNotFoundError(product_id)
