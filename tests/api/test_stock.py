"""POST /products/{id}/stock: one atomic UPDATE, proven with really overlapping requests."""

import asyncio
import random
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from app.validation import INT4_MAX
from tests.support.payloads import create_product
from tests.support.sql import one_row


async def move(client: AsyncClient, product_id: int, delta: Any) -> Any:
    return await client.post(f"/products/{product_id}/stock", json={"delta": delta})


async def test_stock_in_and_out(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=5)
    received = await move(client, product["id"], 7)
    assert received.status_code == 200
    assert received.json()["quantity"] == 12
    assert received.json()["updated_at"] > product["updated_at"]
    sold = await move(client, product["id"], -12)
    assert sold.json()["quantity"] == 0
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 0


async def test_going_negative_is_refused_and_says_how_many_are_on_hand(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, quantity=3)
    response = await move(client, product["id"], -5)
    assert response.status_code == 409
    assert response.json() == {"detail": "Not enough stock: 3 on hand, cannot remove 5"}
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 3


async def test_beyond_the_column_range_is_refused(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=INT4_MAX - 1)
    response = await move(client, product["id"], 2)
    assert response.status_code == 409
    assert str(INT4_MAX) in response.json()["detail"]
    assert (await move(client, product["id"], 1)).json()["quantity"] == INT4_MAX
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == INT4_MAX


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"delta": None},
        {"delta": 1.5},
        {"delta": "3"},
        {"delta": True},
        {"delta": 2**31},
        {"delta": -(2**31)},
        {"delta": 10**30},
        {"delta": 1, "reasn": "sold"},
    ],
)
async def test_invalid_stock_body_is_422(
    client: AsyncClient, db: asyncpg.Connection, body: dict[str, Any]
) -> None:
    product = await create_product(client, quantity=3)
    response = await client.post(f"/products/{product['id']}/stock", json=body)
    assert response.status_code == 422
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 3


async def test_forty_simultaneous_sales_of_thirty(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=30)
    responses = await asyncio.gather(*[move(client, product["id"], -1) for _ in range(40)])
    statuses = [response.status_code for response in responses]
    assert statuses.count(200) == 30
    assert statuses.count(409) == 10
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 0
    remaining = sorted(response.json()["quantity"] for response in responses if response.status_code == 200)
    assert remaining == list(range(30)), "each success must see a distinct quantity"


async def test_mixed_simultaneous_moves_lose_no_update(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=1000)
    randomness = random.Random(3)
    deltas = [randomness.choice([-7, -3, -1, 1, 2, 5, 11]) for _ in range(120)]
    responses = await asyncio.gather(*[move(client, product["id"], delta) for delta in deltas])
    assert all(response.status_code == 200 for response in responses)
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 1000 + sum(
        deltas
    )


async def test_every_acknowledged_change_is_what_the_database_holds(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    products = [await create_product(client, quantity=10, name=f"Item {i}") for i in range(5)]
    expected = {product["id"]: product for product in products}
    randomness = random.Random(11)
    for _ in range(60):
        product_id = randomness.choice(list(expected))
        action = randomness.choice(["stock", "price", "rename"])
        if action == "stock":
            response = await move(client, product_id, randomness.choice([-6, -3, -1, 1, 2, 6]))
        elif action == "price":
            response = await client.patch(
                f"/products/{product_id}", json={"price": f"{randomness.randint(0, 999)}.5"}
            )
        else:
            response = await client.patch(
                f"/products/{product_id}", json={"name": f"Item {randomness.randint(0, 9)}"}
            )
        if response.status_code == 200:
            expected[product_id] = response.json()
        else:
            assert response.status_code == 409
    for product_id, product in expected.items():
        row = await one_row(
            db, "SELECT name, price::text AS price, quantity FROM products WHERE id = $1", product_id
        )
        assert row == {key: product[key] for key in ("name", "price", "quantity")}
        assert (await client.get(f"/products/{product_id}")).json() == product
