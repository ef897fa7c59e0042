"""At 100,000 products the catalogue's filters are served by their indexes (EXPLAIN says so).

The plans are those of the statements the API runs (compiled from app.crud with the values
inlined), after ANALYZE, so the planner chooses with real statistics.
"""

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Select, func, select
from sqlalchemy.dialects import postgresql

from app.core.filters import ProductFilter
from app.crud import product as crud
from harness.database import truncate_tables

ROWS = 100_000


@pytest.fixture
def empty_tables() -> None:
    """Replaces the emptying before each test: the module's catalogue is loaded once."""


@pytest.fixture(scope="module")
async def big_catalogue(database_url: str, db: asyncpg.Connection) -> AsyncIterator[None]:
    """100,000 products: each has a SKU, every other one a barcode; about 1 in 50 is low on stock."""
    await truncate_tables(db, ("products",))
    await db.execute(
        """
        INSERT INTO products (name, description, price, quantity, reorder_level, sku, barcode)
        SELECT 'Item ' || n, '', n % 1000, 10 + n % 50, CASE WHEN n % 50 = 0 THEN 20 ELSE 0 END,
               'SKU-' || n, CASE WHEN n % 2 = 0 THEN lpad(n::text, 13, '0') END
        FROM generate_series(1, $1) AS n
        """,
        ROWS,
    )
    await db.execute("ANALYZE products")
    yield
    await truncate_tables(db, ("products",))


def sql(statement: Select[Any]) -> str:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def statements(filters: ProductFilter) -> dict[str, Select[Any]]:
    """What the list and the export run for `filters`: a page, a batch after an id, the count."""
    products = crud.matching(filters)
    return {
        "page": products.order_by(crud.COLUMNS.id).limit(100),
        "batch": products.where(crud.COLUMNS.id > 5000).order_by(crud.COLUMNS.id).limit(2000),
        "count": select(func.count()).select_from(products.subquery()),
    }


async def plan(db: asyncpg.Connection, query: str) -> str:
    rows = await db.fetch(f"EXPLAIN {query}")
    return "\n".join(row[0] for row in rows)


@pytest.mark.usefixtures("big_catalogue")
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"sku": "sku-777"}, "uq_products_sku_lower"),
        ({"barcode": "0000000000778"}, "uq_products_barcode"),
        ({"low_stock": True}, "ix_products_low_stock"),
    ],
)
async def test_filters_use_their_index(db: asyncpg.Connection, filters: dict[str, Any], index: str) -> None:
    for statement in statements(ProductFilter(**filters)).values():
        explained = await plan(db, sql(statement))
        assert index in explained, explained
        assert "Seq Scan" not in explained, explained
    count = await db.fetchval(sql(statements(ProductFilter(**filters))["count"]))
    assert count == (ROWS // 50 if "low_stock" in filters else 1)
