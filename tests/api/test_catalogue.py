"""SKU, barcode and reorder level: stored as sent, unique where the contract says, and filterable."""

from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from app.core.validation import gtin_check_digit
from tests.support.payloads import create_product, product_payload
from tests.support.sql import one_row

GTIN = "4006381333931"
OTHER_GTIN = "9780201379624"


async def test_part_one_clients_get_the_defaults(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client)
    assert (product["sku"], product["barcode"], product["reorder_level"]) == (None, None, 0)
    row = await one_row(db, "SELECT sku, barcode, reorder_level FROM products WHERE id = $1", product["id"])
    assert row == {"sku": None, "barcode": None, "reorder_level": 0}


async def test_codes_are_stored_trimmed(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, sku=" CUP-1/a.b_c ", barcode=f" {GTIN}", reorder_level=7)
    assert list(product)[:4] == ["id", "name", "sku", "barcode"]
    assert (product["sku"], product["barcode"], product["reorder_level"]) == ("CUP-1/a.b_c", GTIN, 7)
    row = await one_row(db, "SELECT sku, barcode, reorder_level FROM products")
    assert row == {"sku": "CUP-1/a.b_c", "barcode": GTIN, "reorder_level": 7}


@pytest.mark.parametrize(
    ("first", "second", "detail"),
    [
        ({"sku": "CUP-1"}, {"sku": "cup-1"}, "A product with SKU 'cup-1' already exists"),
        ({"barcode": GTIN}, {"barcode": GTIN}, f"A product with barcode '{GTIN}' already exists"),
    ],
)
async def test_a_taken_code_is_409_naming_it(
    client: AsyncClient, db: asyncpg.Connection, first: dict[str, Any], second: dict[str, Any], detail: str
) -> None:
    await create_product(client, name="First", **first)
    response = await client.post("/products", json=product_payload(name="Second", **second))
    assert (response.status_code, response.json()) == (409, {"detail": detail})
    other = await client.post("/products", json=product_payload(name="Third"))
    patch = await client.patch(f"/products/{other.json()['id']}", json=second)
    assert (patch.status_code, patch.json()) == (409, {"detail": detail})
    assert (
        await db.fetchval("SELECT count(*) FROM products WHERE sku IS NOT NULL OR barcode IS NOT NULL") == 1
    )


async def test_many_products_may_have_no_code(client: AsyncClient, db: asyncpg.Connection) -> None:
    await create_product(client, name="A")
    await create_product(client, name="B", sku=None, barcode=None)
    assert await db.fetchval("SELECT count(*) FROM products WHERE sku IS NULL AND barcode IS NULL") == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sku", ""),
        ("sku", "two words"),
        ("sku", "x" * 65),
        ("barcode", "4006381333932"),
        ("barcode", "1234567"),
        ("barcode", 4006381333931),
        ("reorder_level", -1),
        ("reorder_level", "3"),
        ("reorder_level", 2_147_483_648),
    ],
)
async def test_invalid_codes_are_422_and_change_nothing(
    client: AsyncClient, db: asyncpg.Connection, field: str, value: Any
) -> None:
    response = await client.post("/products", json=product_payload(**{field: value}))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert await db.fetchval("SELECT count(*) FROM products") == 0


async def test_patch_null_clears_the_codes_but_is_refused_for_the_rest(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, sku="CUP-1", barcode=GTIN, reorder_level=3)
    cleared = await client.patch(f"/products/{product['id']}", json={"sku": None, "barcode": None})
    assert cleared.status_code == 200
    assert (cleared.json()["sku"], cleared.json()["barcode"]) == (None, None)
    refused = await client.patch(f"/products/{product['id']}", json={"reorder_level": None})
    assert refused.status_code == 422
    row = await one_row(db, "SELECT sku, barcode, reorder_level FROM products")
    assert row == {"sku": None, "barcode": None, "reorder_level": 3}
    changed = await client.patch(
        f"/products/{product['id']}", json={"barcode": OTHER_GTIN, "reorder_level": 0}
    )
    assert (changed.json()["barcode"], changed.json()["reorder_level"]) == (OTHER_GTIN, 0)


@pytest.fixture
async def coded(db: asyncpg.Connection) -> None:
    """30 products: every third has a SKU, every fifth a barcode; quantities and levels vary."""
    rows = [
        (
            f"Item {i}",
            f"SKU-{i}" if i % 3 == 0 else None,
            f"{i:07d}{gtin_check_digit(f'{i:07d}')}" if i % 5 == 0 else None,
            i % 7,
            i % 4,
        )
        for i in range(30)
    ]
    await db.executemany(
        "INSERT INTO products (name, description, price, sku, barcode, quantity, reorder_level)"
        " VALUES ($1, '', 1, $2, $3, $4, $5)",
        rows,
    )


@pytest.mark.usefixtures("coded")
@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("sku=sku-9", "lower(sku) = 'sku-9'"),
        ("sku=SKU-3&low_stock=true", "lower(sku) = 'sku-3' AND quantity <= reorder_level"),
        ("sku=SKU-10", "false"),
        ("sku=%20SKU-9%20", "sku = 'SKU-9'"),
        ("barcode=00000109", "barcode = '00000109'"),
        ("barcode=0000010", "false"),
        ("low_stock=true", "quantity <= reorder_level"),
        ("low_stock=false", "quantity > reorder_level"),
        ("low_stock=true&max_quantity=1", "quantity <= reorder_level AND quantity <= 1"),
    ],
)
async def test_code_and_low_stock_filters_match_sql(
    client: AsyncClient, db: asyncpg.Connection, query: str, where: str
) -> None:
    expected = [row["id"] for row in await db.fetch(f"SELECT id FROM products WHERE {where} ORDER BY id")]  # noqa: S608
    response = await client.get(f"/products?{query}&limit=1000")
    assert response.status_code == 200
    assert [product["id"] for product in response.json()] == expected
    assert int(response.headers["x-total-count"]) == len(expected)
    assert "false" in where or expected


@pytest.mark.parametrize("query", ["low_stock=maybe", "sku=" + "x" * 65, "barcode=" + "1" * 15])
async def test_invalid_code_filters_are_422(client: AsyncClient, query: str) -> None:
    assert (await client.get(f"/products?{query}")).status_code == 422
