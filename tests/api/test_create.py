"""POST /products: the stored product comes back, lands in PostgreSQL, and names stay unique."""

import asyncio
from datetime import datetime
from decimal import Decimal

import asyncpg
import pytest
from httpx import AsyncClient

from app.core.validation import INT4_MAX
from tests.support.payloads import product_payload


async def test_created_product_is_listed_stored_and_unique(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    created = await client.post("/products", json=product_payload())
    assert created.status_code == 201
    product = created.json()
    assert created.headers["location"] == f"/products/{product['id']}"
    assert product["name"] == "Widget"
    assert product["price"] == "19.99"
    assert product["quantity"] == 5
    assert datetime.fromisoformat(product["created_at"]).tzinfo is not None
    assert product["created_at"] == product["updated_at"]

    listed = await client.get("/products")
    assert listed.status_code == 200
    assert listed.json() == [product]

    row = await db.fetchrow("SELECT * FROM products WHERE id = $1", product["id"])
    assert row is not None
    assert (row["name"], row["description"], row["price"], row["quantity"]) == (
        "Widget",
        "A small widget",
        Decimal("19.99"),
        5,
    )
    assert row["created_at"] == datetime.fromisoformat(product["created_at"])

    duplicate = await client.post("/products", json=product_payload(name="  wIDGET "))
    assert duplicate.status_code == 409
    assert duplicate.json() == {"detail": "A product named 'wIDGET' already exists"}
    assert await db.fetchval("SELECT count(*) FROM products") == 1


@pytest.mark.parametrize(
    ("field", "sent", "stored"),
    [
        ("name", "  Padded name\t", "Padded name"),
        ("name", " " + "n" * 200 + " ", "n" * 200),
        ("name", "Ünïcödé ☕ 茶", "Ünïcödé ☕ 茶"),
        ("description", "", ""),
        ("description", "d" * 2000, "d" * 2000),
        ("price", 19.99, "19.99"),
        ("price", "0", "0.00"),
        ("price", 0, "0.00"),
        ("price", "9999999999.99", "9999999999.99"),
        ("price", "5.1", "5.10"),
        ("price", "1.50", "1.50"),
        ("quantity", 0, 0),
        ("quantity", INT4_MAX, INT4_MAX),
    ],
)
async def test_accepted_values_are_stored_normalised(
    client: AsyncClient, field: str, sent: object, stored: object
) -> None:
    response = await client.post("/products", json=product_payload(**{field: sent}))
    assert response.status_code == 201, response.text
    assert response.json()[field] == stored


async def test_price_is_exact_not_float(client: AsyncClient, db: asyncpg.Connection) -> None:
    response = await client.post("/products", json=product_payload(price="0.10"))
    second = await client.post("/products", json=product_payload(name="Other", price="0.20"))
    assert (response.status_code, second.status_code) == (201, 201)
    assert await db.fetchval("SELECT sum(price) FROM products") == Decimal("0.30")


async def test_simultaneous_posts_of_one_name_create_exactly_one(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    spellings = ["Gadget", "gadget", "GADGET", " Gadget ", "gAdGeT"]
    requests = [client.post("/products", json=product_payload(name=spellings[i % 5])) for i in range(40)]
    statuses = sorted(response.status_code for response in await asyncio.gather(*requests))
    assert statuses.count(201) == 1
    assert statuses.count(409) == 39
    assert await db.fetchval("SELECT count(*) FROM products WHERE lower(name) = 'gadget'") == 1


async def test_client_cannot_choose_id_or_timestamps(client: AsyncClient, db: asyncpg.Connection) -> None:
    for key, value in [
        ("id", 42),
        ("created_at", "2020-01-01T00:00:00Z"),
        ("updated_at", "2020-01-01T00:00:00Z"),
    ]:
        response = await client.post("/products", json=product_payload(**{key: value}))
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", key]
    assert await db.fetchval("SELECT count(*) FROM products") == 0
