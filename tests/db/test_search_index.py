"""The q search through the trigram index finds exactly what the literal substring scan finds."""

from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from app.core.filters import ProductFilter
from app.crud.product import list_products
from app.models import NAME_TRIGRAM_INDEX

NAMES = [
    "Red mug",
    "Blue MUG",
    "mugshot",
    "100% cotton towel",
    "50%off",
    "Tea_pot",
    "Teapot lid",
    "back\\slash",
    "a\\%b",
    "Éclair",
    "éCLAIR au café",
    "Straße",
    "Ωmega",
    "日本茶セット",
    "x",
    "xy",
]
SEARCHES = [
    "mug",
    "MUG",
    "ug",
    "m",
    "%",
    "0%",
    "% c",
    "_",
    "a_p",
    "tea_",
    "\\",
    "k\\s",
    "\\%",
    "ÉCLAIR",
    "clair",
    "straße",
    "STRASSE",
    "ωMEGA",
    "本茶",
    "x",
    "xyz",
    "towel",
    " ",
    "lid",
]


@pytest.fixture
async def index_only(database_url: str) -> AsyncIterator[AsyncConnection]:
    """A connection whose planner may not scan the table, so that q must go through the index."""
    engine = create_async_engine(
        database_url,
        isolation_level="AUTOCOMMIT",
        connect_args={"server_settings": {"enable_seqscan": "off", "enable_indexscan": "off"}},
    )
    async with engine.connect() as connection:
        yield connection
    await engine.dispose()


async def test_index_and_scan_agree(db: asyncpg.Connection, index_only: AsyncConnection) -> None:
    if not await db.fetchval(
        "SELECT EXISTS (SELECT FROM pg_indexes WHERE indexname = $1)", NAME_TRIGRAM_INDEX
    ):
        pytest.skip("this PostgreSQL has no pg_trgm: q scans the table (nothing to compare)")
    await db.executemany(
        "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, 1)",
        [(n,) for n in NAMES],
    )
    plan = await index_only.exec_driver_sql(
        "EXPLAIN SELECT id FROM products WHERE name ILIKE '%mug%' ORDER BY id"
    )
    assert NAME_TRIGRAM_INDEX in "\n".join(row[0] for row in plan)
    for search in SEARCHES:
        page = await list_products(db=index_only, filters=ProductFilter(q=search), limit=1000)
        expected = await db.fetch(
            "SELECT id FROM products WHERE strpos(lower(name), lower($1)) > 0 ORDER BY id", search
        )
        assert [row.id for row in page.rows] == [row["id"] for row in expected], search
        assert page.total == len(expected)
