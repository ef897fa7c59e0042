"""Async data access for products: create, read, list, update, delete, the samples and the export's
batches; one function per operation, keyword-only, no HTTP and no API schema in here.

Functions take plain values (a mapping of columns, a `ProductFilter` of app.core.filters, page
bounds) and each runs one SQLAlchemy Core statement on the connection it is given (autocommit,
see app.core.database): a write is committed when the function returns, so a constraint
violation surfaces here, as a domain error (app.core.exceptions), before any response goes out.
Rows come back as they are, in `READ_COLUMNS` order (app.api.rendering writes them out once); a
list page as `ProductPage`. The export borrows a connection of its own per batch
(`products_in_batches`). A quantity set here is recorded in the stock ledger by the database's
triggers (`initial` on create, `correction` on update, both at the default location, which
refuses to go below 0: DefaultLocationShortError); stock moves and counts are in
app.crud.stock, the CSV import's SQL in app.crud.product_import.
"""

from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Executable,
    Row,
    Select,
    bindparam,
    cast,
    func,
    insert,
    not_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.exceptions import (
    ConflictError,
    DefaultLocationShortError,
    DuplicateBarcodeError,
    DuplicateNameError,
    DuplicateSkuError,
    ProductNotFoundError,
    StockValueTooLargeError,
)
from app.core.filters import ProductFilter
from app.crud.batches import in_batches
from app.models import (
    BARCODE_UNIQUE_INDEX,
    LEVEL_NONNEGATIVE,
    NAME_UNIQUE_INDEX,
    PRODUCT_COUNT_SHARDS,
    PRODUCTS,
    READ_COLUMNS,
    SKU_UNIQUE_INDEX,
    VALUE_FITS,
)

UNIQUE_VIOLATION = "23505"
CHECK_VIOLATION = "23514"
COLUMNS = PRODUCTS.c
ProductRow = Row[*tuple[Any, ...]]
UNIQUE_FIELDS: dict[str, tuple[str, Callable[[str], ConflictError]]] = {
    NAME_UNIQUE_INDEX: ("name", DuplicateNameError),
    SKU_UNIQUE_INDEX: ("sku", DuplicateSkuError),
    BARCODE_UNIQUE_INDEX: ("barcode", DuplicateBarcodeError),
}
"""Each unique index, the field it keeps unique, and the error that names the clashing value."""
IS_LIVE = COLUMNS.archived_at.is_(None)
"""Not deleted: a deleted product is archived, and gone from every read and write of the API."""
IS_LOW_ON_STOCK = COLUMNS.quantity <= COLUMNS.reorder_level
"""The predicate of the partial index ix_products_low_stock, so that the planner uses that index."""


def _literal_pattern(text: str) -> str:
    """`text` as a LIKE pattern that matches it as a plain substring: \\, % and _ escaped."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filter_conditions(filters: ProductFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.q:
        # ILIKE, not strpos(lower(...)): a trigram index (pg_trgm) serves it. PostgreSQL runs ILIKE
        # on UTF-8 text as lower(name) LIKE lower(pattern), so the matches are the same as before.
        conditions.append(COLUMNS.name.ilike(_literal_pattern(filters.q), escape="\\"))
    if filters.min_price is not None:
        conditions.append(COLUMNS.price >= filters.min_price)
    if filters.max_price is not None:
        conditions.append(COLUMNS.price <= filters.max_price)
    if filters.max_quantity is not None:
        conditions.append(COLUMNS.quantity <= filters.max_quantity)
    if filters.sku is not None:
        conditions.append(func.lower(COLUMNS.sku) == func.lower(filters.sku))
    if filters.barcode is not None:
        conditions.append(COLUMNS.barcode == filters.barcode)
    if filters.low_stock is not None:
        conditions.append(IS_LOW_ON_STOCK if filters.low_stock else not_(IS_LOW_ON_STOCK))
    return conditions


def violated_constraint(error: IntegrityError, sqlstate: str) -> str | None:
    """The name of the constraint a statement broke, if that was the error of kind `sqlstate`."""
    if getattr(error.orig, "sqlstate", None) != sqlstate:
        return None
    cause = error.orig.__cause__ if error.orig is not None else None
    return getattr(cause, "constraint_name", None)


def violated_unique_index(error: IntegrityError) -> str | None:
    """The name of the unique index an INSERT/UPDATE clashed with, if that was the error."""
    return violated_constraint(error, UNIQUE_VIOLATION)


def refused_stock_level(error: IntegrityError) -> bool:
    """Whether a total set on a product was refused for its default location's level."""
    return violated_constraint(error, CHECK_VIOLATION) == LEVEL_NONNEGATIVE


@contextmanager
def value_must_fit() -> Iterator[None]:
    """Turn the ledger's refusal of a value beyond NUMERIC(18,4) into StockValueTooLargeError."""
    try:
        yield
    except IntegrityError as error:
        if violated_constraint(error, CHECK_VIOLATION) == VALUE_FITS:
            raise StockValueTooLargeError from error
        raise


async def _write(db: AsyncConnection, statement: Executable, values: Mapping[str, Any]) -> ProductRow | None:
    """Run a pre-built INSERT/UPDATE ... RETURNING with `values` as its parameters; a clash on a
    unique index becomes the ConflictError that names the value (DuplicateNameError, ...)."""
    try:
        with value_must_fit():
            return (await db.execute(statement, dict(values))).one_or_none()
    except IntegrityError as error:
        field, conflict = UNIQUE_FIELDS.get(violated_unique_index(error) or "", ("", None))
        if conflict is not None and values.get(field) is not None:
            raise conflict(values[field]) from error
        if refused_stock_level(error):
            raise DefaultLocationShortError(values.get("quantity")) from error
        raise


INSERT_PRODUCT = insert(PRODUCTS).returning(*READ_COLUMNS)
"""Built once: SQLAlchemy then finds its compiled form by a memoised cache key (no rebuild, no
re-hash, no result-metadata adaptation per request); the values are the execution's parameters."""
PRODUCT_ID: BindParameter[int] = bindparam("product_id", type_=BigInteger)
GET_PRODUCT = select(*READ_COLUMNS).where(COLUMNS.id == PRODUCT_ID, IS_LIVE)
UPDATE_PRODUCT = update(PRODUCTS).where(COLUMNS.id == PRODUCT_ID, IS_LIVE).returning(*READ_COLUMNS)
ARCHIVE_PRODUCT = (
    update(PRODUCTS)
    .where(COLUMNS.id == PRODUCT_ID, IS_LIVE)
    .values(archived_at=func.now())
    .returning(COLUMNS.id)
)
"""What a deletion is: the product leaves the API, its row and its movements stay."""
"""Sets the columns named by its parameters (all but `product_id`)."""


async def create_product(*, db: AsyncConnection, values: Mapping[str, Any]) -> ProductRow:
    """Insert a product with `values` (every writable column by name); its stored row."""
    product = await _write(db, INSERT_PRODUCT, values)
    assert product is not None  # an INSERT ... RETURNING always returns its row
    return product


async def add_missing_products(*, db: AsyncConnection, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert the products whose name, SKU and barcode are all free (the rest are left alone);
    how many were added."""
    statement = pg_insert(PRODUCTS).values(list(rows)).on_conflict_do_nothing().returning(COLUMNS.id)
    return len((await db.execute(statement)).all())


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
    return select(func.count()).select_from(PRODUCTS).where(IS_LIVE, *conditions)


def _page(conditions: tuple[ColumnElement[bool], ...], inline: bool, cursor: bool) -> Select[Any]:
    """A page of the products matching `conditions`, in id order, with the shards' sum as a last
    column `total` when `inline`; its parameters: `page_limit`, `page_offset` and (with `cursor`)
    `after_id`."""
    columns = [*READ_COLUMNS, _total([]).scalar_subquery().label("total")] if inline else READ_COLUMNS
    after = [COLUMNS.id > bindparam("after_id")] if cursor else []
    return (
        select(*columns)
        .where(IS_LIVE, *conditions, *after)
        .order_by(COLUMNS.id)
        .limit(bindparam("page_limit", type_=BigInteger))
        .offset(bindparam("page_offset", type_=BigInteger))
    )


@cache
def _unfiltered_page(inline: bool, cursor: bool) -> Select[Any]:
    """The unfiltered pages' statements, built once each (see INSERT_PRODUCT)."""
    return _page((), inline, cursor)


async def list_products(
    *,
    db: AsyncConnection,
    filters: ProductFilter,
    limit: int,
    offset: int = 0,
    after_id: int | None = None,
    count: bool = True,
) -> ProductPage:
    """One page of products ordered by id (after the cursor `after_id`, then `offset` skipped).

    One row more than the page is read to tell whether more remain. The count (unless `count`
    is False): unfiltered, the shards' sum rides along as a last column of the page (one round
    trip; PostgreSQL runs the uncorrelated subquery once). Filtered, a page that holds the last
    match tells it without counting (offset + rows); only a full page (or an empty one past
    the end, or one after a cursor) needs a count(*) of its own.
    """
    conditions = _filter_conditions(filters)
    inline = count and not conditions
    cursor = after_id is not None
    statement = _page(tuple(conditions), inline, cursor) if conditions else _unfiltered_page(inline, cursor)
    parameters = {"page_limit": limit + 1, "page_offset": offset, "after_id": after_id}
    rows = (await db.execute(statement, parameters)).all()
    page, more = rows[:limit], len(rows) > limit
    if not count:
        return ProductPage(page, None, more)
    if inline and page:
        return ProductPage(page, page[0].total, more)
    if not more and after_id is None and (page or offset == 0):
        return ProductPage(page, offset + len(page), more)
    return ProductPage(page, (await db.scalar(_total(conditions))) or 0, more)


def matching(filters: ProductFilter) -> Select[*tuple[Any, ...]]:
    """The products matching `filters`, unordered: the base of the export's batches."""
    return select(*READ_COLUMNS).where(IS_LIVE, *_filter_conditions(filters))


def products_in_batches(
    *, engine: AsyncEngine, filters: ProductFilter, batch_size: int
) -> AsyncIterator[Sequence[ProductRow]]:
    """Every product matching `filters`, in id order, `batch_size` at a time (the CSV export;
    app.crud.batches)."""
    statement = (
        matching(filters).where(COLUMNS.id > bindparam("after_id")).order_by(COLUMNS.id).limit(batch_size)
    )
    return in_batches(
        engine=engine,
        statement=statement,
        parameters={"after_id": 0},
        batch_size=batch_size,
        after=lambda last: {"after_id": last.id},
    )


async def get_product(*, db: AsyncConnection, product_id: int) -> ProductRow:
    product = (await db.execute(GET_PRODUCT, {"product_id": product_id})).one_or_none()
    if product is None:
        raise ProductNotFoundError(product_id)
    return product


async def update_product(*, db: AsyncConnection, product_id: int, changes: Mapping[str, Any]) -> ProductRow:
    """Change only the columns in `changes`; the database trigger advances `updated_at`."""
    if not changes:
        return await get_product(db=db, product_id=product_id)
    product = await _write(db, UPDATE_PRODUCT, {**changes, "product_id": product_id})
    if product is None:
        raise ProductNotFoundError(product_id)
    return product


async def delete_product(*, db: AsyncConnection, product_id: int) -> None:
    result = await db.execute(ARCHIVE_PRODUCT, {"product_id": product_id})
    if result.scalar_one_or_none() is None:
        raise ProductNotFoundError(product_id)
