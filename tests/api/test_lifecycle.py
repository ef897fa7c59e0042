"""Read one, change, delete: GET/PATCH/DELETE /products/{id}."""

import asyncio
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from tests.support.payloads import create_product
from tests.support.sql import one_row


async def test_read_one(client: AsyncClient) -> None:
    product = await create_product(client)
    response = await client.get(f"/products/{product['id']}")
    assert response.status_code == 200
    assert response.json() == product


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/products/999", 404),
        ("/products/0", 422),
        ("/products/-1", 422),
        ("/products/9223372036854775807", 404),
        ("/products/9223372036854775808", 422),
        ("/products/99999999999999999999999", 422),
        ("/products/abc", 422),
        ("/products/1.5", 422),
    ],
)
async def test_ids_that_do_not_exist(client: AsyncClient, path: str, status: int) -> None:
    for method, body in [("GET", None), ("PATCH", {"price": "1"}), ("DELETE", None)]:
        response = await client.request(method, path, json=body)
        assert response.status_code == status, (method, response.text)
        assert response.json()["detail"]
    stock = await client.post(f"{path}/stock", json={"delta": 1})
    assert stock.status_code == status


async def test_patch_changes_only_given_fields(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client)
    await asyncio.sleep(0.01)
    response = await client.patch(f"/products/{product['id']}", json={"price": 21.5, "name": " Renamed "})
    assert response.status_code == 200
    updated = response.json()
    assert updated == {
        **product,
        "name": "Renamed",
        "price": "21.50",
        "updated_at": updated["updated_at"],
    }
    assert datetime.fromisoformat(updated["updated_at"]) > datetime.fromisoformat(product["updated_at"])
    row = await one_row(
        db, "SELECT name, price, quantity, description FROM products WHERE id = $1", product["id"]
    )
    assert row == {
        "name": "Renamed",
        "price": Decimal("21.50"),
        "quantity": 5,
        "description": "A small widget",
    }


async def test_empty_patch_changes_nothing(client: AsyncClient) -> None:
    product = await create_product(client)
    response = await client.patch(f"/products/{product['id']}", json={})
    assert response.status_code == 200
    assert response.json() == product


async def test_patch_rename_onto_existing_name_conflicts(client: AsyncClient, db: asyncpg.Connection) -> None:
    await create_product(client, name="Teapot")
    product = await create_product(client, name="Kettle")
    response = await client.patch(f"/products/{product['id']}", json={"name": " TEAPOT "})
    assert response.status_code == 409
    assert response.json() == {"detail": "A product named 'TEAPOT' already exists"}
    assert await db.fetchval("SELECT name FROM products WHERE id = $1", product["id"]) == "Kettle"


async def test_patch_may_change_the_case_of_its_own_name(client: AsyncClient) -> None:
    product = await create_product(client, name="teapot")
    response = await client.patch(f"/products/{product['id']}", json={"name": "Teapot"})
    assert response.status_code == 200
    assert response.json()["name"] == "Teapot"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"description": None}, "description"),
        ({"price": None}, "price"),
        ({"quantity": None}, "quantity"),
        ({"id": 7}, "id"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        ({"updated_at": "2020-01-01T00:00:00Z"}, "updated_at"),
        ({"quantiy": 3}, "quantiy"),
        ({"name": ""}, "name"),
        ({"name": "x\u0000"}, "name"),
        ({"price": "1.001"}, "price"),
        ({"price": "-1"}, "price"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 2_147_483_648}, "quantity"),
        ({"description": "d" * 2001}, "description"),
    ],
)
async def test_invalid_patch_is_refused_and_changes_nothing(
    client: AsyncClient, body: dict[str, Any], field: str
) -> None:
    product = await create_product(client)
    response = await client.patch(f"/products/{product['id']}", json=body)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]
    assert (await client.get(f"/products/{product['id']}")).json() == product


async def test_delete_then_gone(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client)
    deleted = await client.delete(f"/products/{product['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert (await client.get(f"/products/{product['id']}")).status_code == 404
    assert (await client.delete(f"/products/{product['id']}")).status_code == 404
    assert (await client.get("/products")).json() == []
    archived = await one_row(db, "SELECT name, archived_at FROM products WHERE id = $1", product["id"])
    assert archived["name"] == product["name"]  # archived, not erased
    assert archived["archived_at"] is not None


async def test_deleted_name_can_be_reused(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client)
    await client.delete(f"/products/{product['id']}")
    again = await create_product(client)
    assert again["id"] != product["id"]
    assert again["name"] == product["name"]
    live = "SELECT id FROM products WHERE name = $1 AND archived_at IS NULL"
    assert [row["id"] for row in await db.fetch(live, product["name"])] == [again["id"]]


async def test_simultaneous_deletes_give_one_204(client: AsyncClient) -> None:
    product = await create_product(client)
    responses = await asyncio.gather(*[client.delete(f"/products/{product['id']}") for _ in range(10)])
    assert sorted(response.status_code for response in responses) == [204] + [404] * 9


async def test_patch_and_stock_racing_delete_never_resurrect(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    for round_number in range(10):
        product = await create_product(client, name=f"Racer {round_number}")
        path = f"/products/{product['id']}"
        responses = await asyncio.gather(
            client.patch(path, json={"price": "3.00"}),
            client.post(f"{path}/stock", json={"delta": 1}),
            client.delete(path),
            client.patch(path, json={"quantity": 9}),
        )
        statuses = [response.status_code for response in responses]
        assert statuses[2] == 204
        assert all(status in {200, 404} for status in statuses[:2] + statuses[3:]), statuses
    assert await db.fetchval("SELECT count(*) FROM products WHERE archived_at IS NULL") == 0
    assert await db.fetchval("SELECT count(*) FROM products") == 10  # each archived, none resurrected
