"""GET /products: ordering, offset and cursor pages, Link, filters, X-Total-Count and Prefer, against SQL."""

import random
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

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
        [("50% off",), ("500 off",), ("a_b",), ("axb",), ("back\\slash",), ("backslash",), ("x\\%y",)],
    )
    percent, _ = await fetch(client, "q=0%25")
    underscore, _ = await fetch(client, "q=a_b")
    backslash, _ = await fetch(client, "q=k%5Cs")
    escaped, _ = await fetch(client, "q=%5C%25")
    assert percent == await sql_ids(db, "name = '50% off'")
    assert underscore == await sql_ids(db, "name = 'a_b'")
    assert backslash == await sql_ids(db, "name = 'back\\slash'")
    assert escaped == await sql_ids(db, "name = 'x\\%y'")


UNICODE_NAMES = [
    "Éclair",
    "éclair au café",
    "Straße",
    "STRASSE",
    "Ǆemal",
    "ǆ",
    "Ωmega fish",
    "ωmega oil",
    "日本茶",
    "İstanbul",
]


@pytest.mark.parametrize("q", ["ÉCLAIR", "café", "straße", "STRASSE", "ß", "ǅ", "ΩMEGA", "本", "i̇", "İ"])
async def test_search_folds_case_as_lower_does(client: AsyncClient, db: asyncpg.Connection, q: str) -> None:
    """q matches what `strpos(lower(name), lower(q))` matches (the semantics before ILIKE), whatever
    the server's lower() does with non-ASCII letters (ß is not SS; title-case ǅ finds ǆ and Ǆ)."""
    await db.executemany(
        "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, 1)",
        [(name,) for name in UNICODE_NAMES],
    )
    ids, total = await fetch(client, f"q={quote(q)}")
    assert ids == await sql_ids(db, "strpos(lower(name), lower($1)) > 0", q)
    assert total == len(ids)


@pytest.mark.usefixtures("catalogue")
async def test_offset_past_the_end_is_empty_but_counted(client: AsyncClient) -> None:
    ids, total = await fetch(client, "offset=1000")
    assert ids == []
    assert total == 60


async def test_empty_table(client: AsyncClient) -> None:
    assert await fetch(client, "") == ([], 0)


def next_query(link: str | None) -> dict[str, list[str]] | None:
    """The query of a `Link: <...>; rel="next"` header (None without one), which leads to /products."""
    if link is None:
        return None
    target, relation = link.split(";", 1)
    assert relation.strip() == 'rel="next"'
    url = urlsplit(target.strip().removeprefix("<").removesuffix(">"))
    assert url.path == "/products"
    return parse_qs(url.query)


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("filters", ["", "q=mug", "min_price=10&max_quantity=30"])
async def test_following_next_links_tiles_the_matches(
    client: AsyncClient, db: asyncpg.Connection, filters: str
) -> None:
    expected = await fetch(client, f"{filters}&limit=1000")
    url: str | None = f"/products?{filters}&limit=7"
    seen: list[int] = []
    while url is not None:
        response = await client.get(url)
        assert response.status_code == 200
        assert int(response.headers["x-total-count"]) == expected[1]
        seen.extend(product["id"] for product in response.json())
        link = response.headers.get("link")
        url = link and link.split(">", 1)[0].removeprefix("<")
        if url is not None:
            assert next_query(link) is not None
    assert seen == expected[0]
    assert len(seen) > 7


@pytest.mark.usefixtures("catalogue")
async def test_next_link_keeps_the_filters_and_replaces_offset_by_the_cursor(client: AsyncClient) -> None:
    response = await client.get("/products?q=mug&limit=5&offset=3&after_id=2&low_stock=false")
    ids = [product["id"] for product in response.json()]
    assert response.headers["link"].startswith("</products?")  # relative: no host from the request
    assert next_query(response.headers["link"]) == {
        "q": ["mug"],
        "limit": ["5"],
        "low_stock": ["false"],
        "after_id": [str(ids[-1])],
    }


@pytest.mark.usefixtures("catalogue")
async def test_after_id_gives_the_products_with_larger_ids(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    all_ids = await sql_ids(db, "true")
    cursor = all_ids[20]
    ids, total = await fetch(client, f"after_id={cursor}&limit=10")
    assert ids == all_ids[21:31]
    assert total == 60  # the count is of all matches, not of those after the cursor
    ids, _ = await fetch(client, f"after_id={cursor}&offset=5&limit=10")
    assert ids == all_ids[26:36]
    assert await fetch(client, f"after_id={all_ids[-1]}") == ([], 60)
    assert await fetch(client, "after_id=0&limit=2") == (all_ids[:2], 60)


@pytest.mark.usefixtures("catalogue")
async def test_no_link_on_the_last_page(client: AsyncClient) -> None:
    assert "link" in (await client.get("/products?limit=59")).headers
    assert "link" not in (await client.get("/products?limit=60")).headers
    assert "link" not in (await client.get("/products?offset=55&limit=5")).headers
    assert "link" not in (await client.get("/products?q=nothing-like-this")).headers


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("prefer", ["count=none", "return=minimal, COUNT=none", 'count="none";x=1'])
async def test_prefer_count_none_leaves_the_count_out(client: AsyncClient, prefer: str) -> None:
    counted = await client.get("/products?limit=10&q=mug")
    response = await client.get("/products?limit=10&q=mug", headers={"Prefer": prefer})
    assert response.status_code == 200
    assert "x-total-count" not in response.headers
    assert response.headers["preference-applied"] == "count=none"
    assert response.json() == counted.json()
    assert response.headers["link"] == counted.headers["link"]


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("prefer", ["count=exact", "return=minimal", "", ";;,=,count"])
async def test_other_preferences_keep_the_count(client: AsyncClient, prefer: str) -> None:
    response = await client.get("/products", headers={"Prefer": prefer})
    assert response.headers["x-total-count"] == "60"
    assert "preference-applied" not in response.headers


@pytest.mark.parametrize("query", ["after_id=-1", "after_id=abc", "after_id=9223372036854775808"])
async def test_bad_cursor_is_422(client: AsyncClient, query: str) -> None:
    assert (await client.get(f"/products?{query}")).status_code == 422
