"""Locations (contract 3.1): list, read, create, rename, make default, delete when unused; a
product's levels and a location's stock, checked against what PostgreSQL holds."""

import asyncio
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from tests.support.payloads import add_location, create_product
from tests.support.sql import assert_ledger_holds, one_row


async def test_the_migration_made_main_the_default(client: AsyncClient, db: asyncpg.Connection) -> None:
    response = await client.get("/locations")
    assert response.status_code == 200
    [main] = response.json()
    assert main["name"] == "Main"
    assert main["default"] is True
    assert set(main) == {"id", "name", "default", "created_at", "updated_at"}
    assert await db.fetchval("SELECT count(*) FROM locations WHERE is_default") == 1


async def test_create_read_rename(client: AsyncClient, db: asyncpg.Connection) -> None:
    response = await client.post("/locations", json={"name": "  Back room "})
    assert response.status_code == 201
    room = response.json()
    assert response.headers["location"] == f"/locations/{room['id']}"
    assert room["name"] == "Back room"
    assert room["default"] is False
    assert (await client.get(f"/locations/{room['id']}")).json() == room
    renamed = await client.patch(f"/locations/{room['id']}", json={"name": "Storeroom"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Storeroom"
    assert renamed.json()["updated_at"] > room["updated_at"]
    assert await db.fetchval("SELECT name FROM locations WHERE id = $1", room["id"]) == "Storeroom"
    assert [location["id"] for location in (await client.get("/locations")).json()] == [1, room["id"]]


async def test_names_are_unique_case_insensitively(client: AsyncClient, db: asyncpg.Connection) -> None:
    room = await add_location(client, "Back room")
    clash = await client.post("/locations", json={"name": "BACK ROOM"})
    assert clash.status_code == 409
    assert clash.json() == {"detail": "A location named 'BACK ROOM' already exists"}
    rename = await client.patch("/locations/1", json={"name": "back room"})
    assert rename.status_code == 409
    assert "back room" in rename.json()["detail"]
    assert await db.fetchval("SELECT name FROM locations WHERE id = 1") == "Main"
    assert (await client.patch(f"/locations/{room['id']}", json={"name": "back ROOM"})).status_code == 200


async def test_making_one_the_default_takes_it_from_the_other(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    response = await client.patch(f"/locations/{room['id']}", json={"default": True})
    assert response.status_code == 200
    assert response.json()["default"] is True
    assert await db.fetchval("SELECT array_agg(id) FROM locations WHERE is_default") == [room["id"]]
    assert (await client.get("/locations/1")).json()["default"] is False
    product = await create_product(client, quantity=4)  # a new product's stock goes to the default
    assert (await client.get(f"/products/{product['id']}/stock")).json() == [
        {"location_id": room["id"], "quantity": 4}
    ]
    again = await client.patch(f"/locations/{room['id']}", json={"default": True})
    assert again.status_code == 200
    assert await db.fetchval("SELECT count(*) FROM locations WHERE is_default") == 1


@pytest.mark.parametrize(
    "body",
    [{"default": False}, {"default": None}, {"name": None}, {"name": ""}, {"name": "x" * 101}, {"nmae": "A"}],
)
async def test_bad_changes_are_422(client: AsyncClient, db: asyncpg.Connection, body: dict[str, Any]) -> None:
    response = await client.patch("/locations/1", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)
    assert await one_row(db, "SELECT name, is_default FROM locations WHERE id = 1") == {
        "name": "Main",
        "is_default": True,
    }


async def test_missing_locations_are_404(client: AsyncClient) -> None:
    for response in (
        await client.get("/locations/99"),
        await client.patch("/locations/99", json={"name": "X"}),
        await client.delete("/locations/99"),
        await client.get("/locations/99/stock"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Location 99 not found"}


async def test_only_an_unused_location_that_is_not_the_default_can_be_deleted(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    unused = await add_location(client, "Market stall")
    assert (await client.delete(f"/locations/{unused['id']}")).status_code == 204
    assert await db.fetchval("SELECT count(*) FROM locations WHERE id = $1", unused["id"]) == 0

    default = await client.delete("/locations/1")
    assert default.status_code == 409
    assert "default" in default.json()["detail"]

    room = await add_location(client, "Back room")
    product = await create_product(client, quantity=5)
    moved = await client.post(
        f"/products/{product['id']}/transfers",
        json={"from_location_id": 1, "to_location_id": room["id"], "quantity": 5},
    )
    assert moved.status_code == 200
    back = await client.post(
        f"/products/{product['id']}/transfers",
        json={"from_location_id": room["id"], "to_location_id": 1, "quantity": 5},
    )
    assert back.status_code == 200
    used = await client.delete(f"/locations/{room['id']}")  # empty now, but movements name it
    assert used.status_code == 409
    assert "movements" in used.json()["detail"]
    assert await db.fetchval("SELECT count(*) FROM locations") == 2


async def test_a_products_levels_are_those_above_zero_by_location(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    stall = await add_location(client, "Market stall")
    product = await create_product(client, quantity=10)
    await client.post(f"/products/{product['id']}/stock", json={"delta": 3, "location_id": stall["id"]})
    await client.post(f"/products/{product['id']}/stock", json={"delta": 2, "location_id": room["id"]})
    await client.post(f"/products/{product['id']}/stock", json={"delta": -2, "location_id": room["id"]})
    response = await client.get(f"/products/{product['id']}/stock")
    assert response.status_code == 200
    assert response.json() == [
        {"location_id": 1, "quantity": 10},
        {"location_id": stall["id"], "quantity": 3},
    ]
    assert (await client.get(f"/products/{product['id']}")).json()["quantity"] == 13
    assert (await client.get("/products/999/stock")).status_code == 404
    await client.delete(f"/products/{product['id']}")
    assert (await client.get(f"/products/{product['id']}/stock")).status_code == 404
    await assert_ledger_holds(db)


async def test_a_locations_stock_pages_by_product_id(client: AsyncClient) -> None:
    room = await add_location(client, "Back room")
    ids = [(await create_product(client, name=f"Product {n}", quantity=0))["id"] for n in range(5)]
    for number, product_id in enumerate(ids):
        if number != 2:  # one product holds nothing there
            await client.post(
                f"/products/{product_id}/stock", json={"delta": number + 1, "location_id": room["id"]}
            )
    await client.delete(f"/products/{ids[4]}")  # an archived product is gone from the lists
    first = await client.get(f"/locations/{room['id']}/stock", params={"limit": 2})
    assert first.status_code == 200
    assert first.json() == [{"product_id": ids[0], "quantity": 1}, {"product_id": ids[1], "quantity": 2}]
    link = first.headers["link"]
    assert link == f'</locations/{room["id"]}/stock?limit=2&after_id={ids[1]}>; rel="next"'
    second = await client.get(link[1 : link.index(">")])
    assert second.json() == [{"product_id": ids[3], "quantity": 4}]
    assert "link" not in second.headers
    assert (await client.get("/locations/1/stock")).json() == []


async def test_simultaneous_changes_of_the_default_take_turns(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    rooms = [await add_location(client, f"Room {n}") for n in range(6)]
    answers = await asyncio.gather(
        *(client.patch(f"/locations/{room['id']}", json={"default": True}) for room in rooms)
    )
    assert [answer.status_code for answer in answers] == [200] * len(rooms)
    defaults = await db.fetch("SELECT id FROM locations WHERE is_default")
    assert len(defaults) == 1
    assert defaults[0]["id"] in {room["id"] for room in rooms}
