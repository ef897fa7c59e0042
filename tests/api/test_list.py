"""GET /products: ordering, pagination, filters and X-Total-Count, checked against SQL."""

import random
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

NAMES = ["Red mug", "Blue mug", "Green plate", "100% cotton towel", "Tea_pot", "Teapot lid", "mug tree"]


@pytest.fixture
async def catalogue(db: asyncpg.Connection) -> None:
    """60 products with varied names, prices and quantities, inserted by SQL."""
    randomness = random.Random(7)
    rows = [
        (f"{NAMES[i % len(NAMES)]} {i}", "", randomness.randint(0, 5000) / 100, randomness.randint(0, 40))
        for i in range(60)
    ]
    await db.executemany(
        "INSERT INTO products (name, description, price, quantity) VALUES ($1, $2, $3, $4)", rows
    )


async def sql_ids(db: asyncpg.Connection, where: str, *args: Any) -> list[int]:
    rows = await db.fetch(f"SELECT id FROM products WHERE {where} ORDER BY id", *args)  # noqa: S608
    return [row["id"] for row in rows]


async def fetch(client: AsyncClient, query: str) -> tuple[list[int], int]:
    response = await client.get(f"/products?{query}")
    assert response.status_code == 200, response.text
    return [product["id"] for product in response.json()], int(response.headers["x-total-count"])


@pytest.mark.usefixtures("catalogue")
async def test_default_page_is_everything_ordered_by_id(client: AsyncClient, db: asyncpg.Connection) -> None:
    ids, total = await fetch(client, "")
    assert ids == await sql_ids(db, "true")
    assert total == 60


@pytest.mark.usefixtures("catalogue")
async def test_pages_tile_the_whole_table(client: AsyncClient, db: asyncpg.Connection) -> None:
    seen: list[int] = []
    for offset in range(0, 70, 25):
        ids, total = await fetch(client, f"limit=25&offset={offset}")
        assert total == 60
        seen.extend(ids)
    assert seen == await sql_ids(db, "true")


async def test_limit_defaults_to_100(client: AsyncClient, db: asyncpg.Connection) -> None:
    await db.execute(
        "INSERT INTO products (name, description, price, quantity) "
        "SELECT 'Item ' || n, '', 1, 1 FROM generate_series(1, 150) AS n"
    )
    ids, total = await fetch(client, "")
    assert len(ids) == 100
    assert total == 150
    ids, _ = await fetch(client, "limit=1000")
    assert len(ids) == 150


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    ("query", "where", "args"),
    [
        ("q=MUG", "strpos(lower(name), 'mug') > 0", ()),
        ("q=%25", "strpos(name, '%') > 0", ()),
        ("q=_", "strpos(name, '_') > 0", ()),
        ("q=a_p", "strpos(lower(name), 'a_p') > 0", ()),
        ("q=nothing-like-this", "false", ()),
        ("min_price=10", "price >= 10", ()),
        ("max_price=20.5", "price <= 20.5", ()),
        ("min_price=10&max_price=30", "price BETWEEN 10 AND 30", ()),
        ("max_quantity=5", "quantity <= 5", ()),
        (
            "q=mug&max_quantity=20&min_price=5",
            "strpos(lower(name), 'mug') > 0 AND quantity <= 20 AND price >= 5",
            (),
        ),
    ],
)
async def test_filters_match_sql(
    client: AsyncClient, db: asyncpg.Connection, query: str, where: str, args: tuple[Any, ...]
) -> None:
    expected = await sql_ids(db, where, *args)
    ids, total = await fetch(client, f"{query}&limit=1000")
    assert ids == expected
    assert total == len(expected)
    page, page_total = await fetch(client, f"{query}&limit=3&offset=2")
    assert page == expected[2:5]
    assert page_total == len(expected)


async def test_wildcards_are_literal(client: AsyncClient, db: asyncpg.Connection) -> None:
    await db.executemany(
        "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, 1)",
        [("50% off",), ("500 off",), ("a_b",), ("axb",)],
    )
    percent, _ = await fetch(client, "q=0%25")
    underscore, _ = await fetch(client, "q=a_b")
    assert percent == await sql_ids(db, "name = '50% off'")
    assert underscore == await sql_ids(db, "name = 'a_b'")


@pytest.mark.usefixtures("catalogue")
async def test_offset_past_the_end_is_empty_but_counted(client: AsyncClient) -> None:
    ids, total = await fetch(client, "offset=1000")
    assert ids == []
    assert total == 60


async def test_empty_table(client: AsyncClient) -> None:
    assert await fetch(client, "") == ([], 0)
