"""Async data access for products: one function per operation, keyword-only, no HTTP in here.

Each function runs one SQLAlchemy Core statement on the connection it is given (autocommit, see
app.database): a write is committed when the function returns, so a constraint violation
surfaces here, as a domain error (app.exceptions), before any response goes out. Rows come back
as they are, in `READ_COLUMNS` order; app.serialization writes them out once. A quantity set
here is recorded in the stock ledger by the database's triggers (`initial` on create,
`correction` on update); stock moves and counts are in app.crud.stock.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Executable,
    Row,
    Select,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.exceptions import DuplicateNameError, ProductNotFoundError
from app.models import NAME_UNIQUE_INDEX, PRODUCT_COUNT_SHARDS, PRODUCTS, READ_COLUMNS
from app.schemas import ProductCreate, ProductQuery, ProductUpdate

UNIQUE_VIOLATION = "23505"
COLUMNS = PRODUCTS.c
ProductRow = Row[*tuple[Any, ...]]


def _literal_pattern(text: str) -> str:
    """`text` as a LIKE pattern that matches it as a plain substring: \\, % and _ escaped."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filter_conditions(query: ProductQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.q:
        # ILIKE, not strpos(lower(...)): a trigram index (pg_trgm) serves it. PostgreSQL runs ILIKE
        # on UTF-8 text as lower(name) LIKE lower(pattern), so the matches are the same as before.
        conditions.append(COLUMNS.name.ilike(_literal_pattern(query.q), escape="\\"))
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


@dataclass(frozen=True, slots=True)
class ProductPage:
    """A page of products, how many match the filters (None: not counted), whether more follow."""

    rows: Sequence[ProductRow]
    total: int | None
    more: bool


def _total(conditions: list[ColumnElement[bool]]) -> Select[int]:
    """The number of products matching `conditions`: exact either way.

    Unfiltered it is the sum of the trigger-kept shards (16 rows, no scan); filtered, a count(*).
    """
    if not conditions:
        return select(cast(func.coalesce(func.sum(PRODUCT_COUNT_SHARDS.c.row_count), 0), BigInteger))
    return select(func.count()).select_from(PRODUCTS).where(*conditions)


async def list_products(*, db: AsyncConnection, query: ProductQuery, count: bool = True) -> ProductPage:
    """One page of products ordered by id (after the cursor `after_id`, then `offset` skipped).

    One row more than the page is read to tell whether more remain. The count (unless `count`
    is False): unfiltered, the shards' sum rides along as a last column of the page (one round
    trip; PostgreSQL runs the uncorrelated subquery once). Filtered, a page that holds the last
    match tells it without counting (offset + rows); only a full page (or an empty one past
    the end, or one after a cursor) needs a count(*) of its own.
    """
    conditions = _filter_conditions(query)
    inline = count and not conditions
    columns = [*READ_COLUMNS, _total(conditions).scalar_subquery().label("total")] if inline else READ_COLUMNS
    cursor = [] if query.after_id is None else [COLUMNS.id > query.after_id]
    statement = (
        select(*columns)
        .where(*conditions, *cursor)
        .order_by(COLUMNS.id)
        .limit(query.limit + 1)
        .offset(query.offset)
    )
    rows = (await db.execute(statement)).all()
    page, more = rows[: query.limit], len(rows) > query.limit
    if not count:
        return ProductPage(page, None, more)
    if inline and page:
        return ProductPage(page, page[0].total, more)
    if not more and query.after_id is None and (page or query.offset == 0):
        return ProductPage(page, query.offset + len(page), more)
    return ProductPage(page, (await db.scalar(_total(conditions))) or 0, more)


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
