"""SQL of the CSV import: its staging table, its checks and its merge into `products`.

An import first copies its valid rows into a temporary table (`product_import`, dropped at the
end of the transaction), then asks PostgreSQL what is wrong with them as a whole (names, SKUs
and barcodes repeated in the file or taken by other products), and finally merges them into
`products`, one statement per `MERGE_BATCH` lines (so that none outlasts the statement timeout):
an UPDATE of the products whose name (case-insensitively) is in the file and whose values
differ, and an INSERT of the new names. A product the file leaves as it is gets no write at
all: no `updated_at` bump, no stock movement. Before either, it lists the
SKUs and barcodes the file changes (a dry run shows them, so a lost leading zero is seen).
Every function runs inside the caller's `transaction()`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    func,
    insert,
    literal,
    null,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import CreateTable

from app.core.exceptions import BadCell, DefaultLocationShortError
from app.crud.product import COLUMNS, IS_LIVE, refused_stock_level
from app.models import PRODUCTS

STAGING = Table(
    "product_import",
    MetaData(),  # not the models' metadata: no migration, no create_all
    Column("line", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("sku", String(64)),
    Column("barcode", String(14)),
    Column("description", Text),
    Column("price", Numeric(12, 2)),
    Column("quantity", Integer),
    Column("reorder_level", Integer),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """How many products an import created, changed, and found already as the file says."""

    created: int
    updated: int
    unchanged: int


NEW_PRODUCT_DEFAULTS: dict[str, Any] = {"description": "", "quantity": 0, "reorder_level": 0}
"""What a new product gets for a column the file does not have (sku and barcode: none)."""


async def create_staging(*, db: AsyncConnection) -> None:
    await db.execute(CreateTable(STAGING))


async def stage(*, db: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Copy a batch of rows (dicts of line and column values) into the staging table."""
    if rows:
        await db.execute(
            insert(STAGING), [{column.name: row.get(column.name) for column in STAGING.c} for row in rows]
        )


def _repeats(column: str, label: str) -> Any:
    """Rows whose `column` (case-insensitively) an earlier line of the file already has."""
    value = func.lower(STAGING.c[column])
    first = func.min(STAGING.c.line).over(partition_by=value).label("first")
    ranked = select(STAGING.c.line, first).where(STAGING.c[column].is_not(None)).subquery()
    return select(
        ranked.c.line, literal(column), literal(f"{label} repeats line ").concat(ranked.c.first)
    ).where(ranked.c.line > ranked.c.first)


def _taken(column: str, label: str) -> Any:
    """Rows whose `column` another product (one with another name) has already."""
    same = (
        func.lower(COLUMNS[column]) == func.lower(STAGING.c[column])
        if column == "sku"
        else COLUMNS[column] == STAGING.c[column]
    )
    return select(
        STAGING.c.line,
        literal(column),
        literal(f"{label} belongs to the product named ").concat(func.quote_literal(COLUMNS.name)),
    ).select_from(
        STAGING.join(PRODUCTS, same & IS_LIVE & (func.lower(COLUMNS.name) != func.lower(STAGING.c.name)))
    )


async def staging_problems(*, db: AsyncConnection, columns: Sequence[str]) -> list[BadCell]:
    """What the staged rows get wrong together: repeated names, SKUs, barcodes, or taken codes."""
    checks = [_repeats("name", "this name (in any case)")]
    for column, label in (("sku", "this SKU (in any case)"), ("barcode", "this barcode")):
        if column in columns:
            checks += [_repeats(column, label), _taken(column, label)]
    rows = (await db.execute(union_all(*checks))).all()
    return [BadCell(line=line, column=column, reason=reason) for line, column, reason in rows]


def _matched(lines: range | None = None) -> Any:
    """Each staged row (of `lines`, or all) with the id of the product of the same name (NULL for
    a new name)."""
    rows = select(STAGING, COLUMNS.id.label("product_id")).select_from(
        STAGING.outerjoin(PRODUCTS, IS_LIVE & (func.lower(COLUMNS.name) == func.lower(STAGING.c.name)))
    )
    if lines is not None:
        rows = rows.where(STAGING.c.line >= lines.start, STAGING.c.line < lines.stop)
    return rows.cte("matched")


def _differs(matched: Any, columns: Sequence[str]) -> ColumnElement[bool]:
    return tuple_(*(COLUMNS[name] for name in columns)).is_distinct_from(
        tuple_(*(matched.c[name] for name in columns))
    )


CODES = ("sku", "barcode")


async def code_changes(*, db: AsyncConnection, columns: Sequence[str]) -> Sequence[Any]:
    """Each SKU and barcode the import would change on a product it updates, by line then column
    (`line`, `column`, `before`, `after`): where a spreadsheet dropped a leading zero, it shows."""
    matched = _matched()
    changes = [
        select(
            matched.c.line,
            literal(column).label("column"),
            COLUMNS[column].label("before"),
            matched.c[column].label("after"),
        )
        .select_from(matched.join(PRODUCTS, COLUMNS.id == matched.c.product_id))
        .where(COLUMNS[column].is_distinct_from(matched.c[column]))
        for column in CODES
        if column in columns
    ]
    if not changes:
        return []
    return (await db.execute(union_all(*changes).order_by("line", "column"))).all()


async def preview_import(*, db: AsyncConnection, columns: Sequence[str]) -> ImportCounts:
    """What `merge_import` would do, without writing anything (a dry run)."""
    matched = _matched()
    joined = matched.outerjoin(PRODUCTS, COLUMNS.id == matched.c.product_id)
    existing = matched.c.product_id.is_not(None)
    changed = existing & _differs(matched, columns)
    counts = select(
        func.count().filter(matched.c.product_id.is_(None)),
        func.count().filter(changed),
        func.count().filter(existing & ~changed),
    ).select_from(joined)
    created, updated, unchanged = (await db.execute(counts)).one()
    return ImportCounts(created=created, updated=updated, unchanged=unchanged)


MERGE_BATCH = 2000
"""Staged lines merged per statement: each writes its products' movements through the ledger's
triggers (a fraction of a millisecond each), so a 20,000-row file in one statement could outlast
`DB_STATEMENT_TIMEOUT_MS`; the batches share the import's one transaction."""


async def merge_import(*, db: AsyncConnection, columns: Sequence[str]) -> ImportCounts:
    """Update the products the file changes and create the new ones, `MERGE_BATCH` lines per
    statement, in the file's order.

    The products to update are locked first, in id order, so that two imports never deadlock.
    """
    lock = (
        select(COLUMNS.id)
        .join(STAGING, func.lower(COLUMNS.name) == func.lower(STAGING.c.name))
        .where(IS_LIVE)
        .order_by(COLUMNS.id)
        .with_for_update(of=PRODUCTS)
    )
    await db.execute(lock)
    last_line = int(await db.scalar(select(func.coalesce(func.max(STAGING.c.line), 0))) or 0)
    totals = ImportCounts(created=0, updated=0, unchanged=0)
    for first in range(0, last_line + 1, MERGE_BATCH):
        counts = await _merge_lines(db, columns, range(first, first + MERGE_BATCH))
        totals = ImportCounts(
            created=totals.created + counts.created,
            updated=totals.updated + counts.updated,
            unchanged=totals.unchanged + counts.unchanged,
        )
    return totals


async def _merge_lines(db: AsyncConnection, columns: Sequence[str], lines: range) -> ImportCounts:
    """Merge the staged rows of `lines` in one statement: update the products they change,
    create the new ones (in line order)."""
    matched = _matched(lines)
    updated = (
        update(PRODUCTS)
        .values({name: matched.c[name] for name in columns})
        .where(COLUMNS.id == matched.c.product_id, _differs(matched, columns))
        .returning(COLUMNS.id)
        .cte("updated")
    )
    new_columns = ("name", "sku", "barcode", "description", "price", "quantity", "reorder_level")
    new_values = [
        matched.c[name]
        if name in columns
        else literal(NEW_PRODUCT_DEFAULTS[name])
        if name in NEW_PRODUCT_DEFAULTS
        else null()
        for name in new_columns
    ]
    created = (
        insert(PRODUCTS)
        .from_select(
            new_columns, select(*new_values).where(matched.c.product_id.is_(None)).order_by(matched.c.line)
        )
        .returning(COLUMNS.id)
        .cte("created")
    )
    existing = select(func.count()).where(matched.c.product_id.is_not(None)).scalar_subquery()
    n_updated = select(func.count()).select_from(updated).scalar_subquery()
    counts = select(
        select(func.count()).select_from(created).scalar_subquery(), n_updated, existing - n_updated
    )
    try:
        created_count, updated_count, unchanged = (await db.execute(counts)).one()
    except IntegrityError as error:
        if refused_stock_level(error):  # a quantity the default location cannot give up
            raise DefaultLocationShortError from error
        raise
    return ImportCounts(created=created_count, updated=updated_count, unchanged=unchanged)
