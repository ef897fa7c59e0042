"""Stock at several locations (contract 3.1): moves and counts that name a location, transfers,
totals set by PATCH at the default location, the per-location movement filters and GET
/stock.csv, each checked against what PostgreSQL holds."""

import csv
import io
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from tests.support.payloads import add_location, create_product
from tests.support.sql import assert_ledger_holds, level, one_row


async def transfer(client: AsyncClient, product_id: int, source: Any, destination: Any, quantity: Any) -> Any:
    return await client.post(
        f"/products/{product_id}/transfers",
        json={
            "from_location_id": source,
            "to_location_id": destination,
            "quantity": quantity,
            "note": "Restock",
        },
    )


async def test_a_transfer_is_two_movements_with_one_transfer_id(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, quantity=10)
    response = await transfer(client, product["id"], 1, room["id"], 4)
    assert response.status_code == 200
    assert response.json() == [{"location_id": 1, "quantity": 6}, {"location_id": room["id"], "quantity": 4}]
    rows = await db.fetch(
        "SELECT id, location_id, delta, quantity_after, reason, note, transfer_id FROM stock_movements"
        " WHERE product_id = $1 AND reason LIKE 'transfer%' ORDER BY id",
        product["id"],
    )
    out, into = (dict(row) for row in rows)
    assert (out["location_id"], out["delta"], out["quantity_after"], out["reason"]) == (
        1,
        -4,
        6,
        "transfer_out",
    )
    assert (into["location_id"], into["delta"], into["quantity_after"], into["reason"]) == (
        room["id"],
        4,
        4,
        "transfer_in",
    )
    assert out["transfer_id"] == into["transfer_id"] == out["id"]
    assert out["note"] == into["note"] == "Restock"
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 10
    history = (await client.get(f"/products/{product['id']}/movements")).json()
    assert [(m["reason"], m["transfer_id"]) for m in history[:2]] == [
        ("transfer_in", out["id"]),
        ("transfer_out", out["id"]),
    ]
    await assert_ledger_holds(db)


async def test_a_transfer_beyond_the_source_changes_nothing(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, quantity=3)
    response = await transfer(client, product["id"], 1, room["id"], 4)
    assert response.status_code == 409
    assert response.json() == {"detail": "Not enough stock at location 1: 3 on hand, cannot remove 4"}
    empty = await transfer(client, product["id"], room["id"], 1, 1)  # no level there at all
    assert empty.status_code == 409
    assert await db.fetchval("SELECT count(*) FROM stock_movements WHERE product_id = $1", product["id"]) == 1
    assert await level(db, product["id"], room["id"]) is None


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"from_location_id": 1, "to_location_id": 1, "quantity": 1}, "differ"),
        ({"from_location_id": 1, "to_location_id": 2, "quantity": 0}, "quantity"),
        ({"from_location_id": 1, "to_location_id": 2, "quantity": -1}, "quantity"),
        ({"from_location_id": 1, "to_location_id": 2, "quantity": 1, "qty": 1}, "qty"),
        ({"from_location_id": 1, "quantity": 1}, "to_location_id"),
    ],
)
async def test_bad_transfers_are_422(
    client: AsyncClient, db: asyncpg.Connection, body: Any, where: str
) -> None:
    await add_location(client, "Back room")
    product = await create_product(client, quantity=3)
    response = await client.post(f"/products/{product['id']}/transfers", json=body)
    assert response.status_code == 422
    assert where in response.text
    assert await db.fetchval("SELECT count(*) FROM stock_movements WHERE product_id = $1", product["id"]) == 1


async def test_transfers_name_what_is_missing(client: AsyncClient) -> None:
    product = await create_product(client, quantity=3)
    assert (await transfer(client, 999, 1, 2, 1)).json() == {"detail": "Product not found"}
    missing = await transfer(client, product["id"], 1, 77, 1)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Location 77 not found"}


async def test_moves_and_counts_at_a_location(client: AsyncClient, db: asyncpg.Connection) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, quantity=5)
    received = await client.post(
        f"/products/{product['id']}/stock", json={"delta": 8, "reason": "received", "location_id": room["id"]}
    )
    assert received.status_code == 200
    assert received.json()["quantity"] == 13
    short = await client.post(
        f"/products/{product['id']}/stock", json={"delta": -6, "reason": "sold"}
    )  # the default holds 5; the total of 13 does not help
    assert short.status_code == 409
    assert short.json() == {"detail": "Not enough stock: 5 on hand, cannot remove 6"}
    counted = await client.post(
        f"/products/{product['id']}/count", json={"counted": 2, "location_id": room["id"], "note": "Shelf B"}
    )
    assert counted.status_code == 200
    assert counted.json()["quantity"] == 7
    assert await level(db, product["id"], room["id"]) == 2
    assert await level(db, product["id"], 1) == 5
    newest = await one_row(
        db,
        "SELECT location_id, delta, quantity_after, reason, note FROM stock_movements"
        " ORDER BY id DESC LIMIT 1",
    )
    assert newest == {
        "location_id": room["id"],
        "delta": -6,
        "quantity_after": 2,
        "reason": "count",
        "note": "Shelf B",
    }
    for path, body in (("stock", {"delta": 1}), ("count", {"counted": 1})):
        missing = await client.post(f"/products/{product['id']}/{path}", json={**body, "location_id": 55})
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Location 55 not found"}
    await assert_ledger_holds(db)


async def test_a_total_set_by_patch_changes_the_default_location(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, quantity=5)
    await transfer(client, product["id"], 1, room["id"], 3)
    raised = await client.patch(f"/products/{product['id']}", json={"quantity": 10})
    assert raised.status_code == 200
    assert (await level(db, product["id"], 1), await level(db, product["id"], room["id"])) == (7, 3)
    refused = await client.patch(f"/products/{product['id']}", json={"quantity": 2, "name": "Renamed"})
    assert refused.status_code == 409
    assert "default location" in refused.json()["detail"]
    assert await one_row(db, "SELECT name, quantity FROM products WHERE id = $1", product["id"]) == {
        "name": product["name"],
        "quantity": 10,
    }
    lowered = await client.patch(f"/products/{product['id']}", json={"quantity": 3})
    assert lowered.status_code == 200
    assert (await level(db, product["id"], 1), await level(db, product["id"], room["id"])) == (0, 3)
    await assert_ledger_holds(db)


async def test_both_movement_lists_filter_by_location(client: AsyncClient) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, quantity=5)
    await transfer(client, product["id"], 1, room["id"], 2)
    await client.post(f"/products/{product['id']}/stock", json={"delta": -1, "location_id": room["id"]})
    there = (await client.get("/movements", params={"location_id": room["id"]})).json()
    assert [(m["reason"], m["delta"]) for m in there] == [("adjustment", -1), ("transfer_in", 2)]
    own = (await client.get(f"/products/{product['id']}/movements", params={"location_id": 1})).json()
    assert [(m["reason"], m["quantity_after"]) for m in own] == [("transfer_out", 3), ("initial", 5)]


async def test_the_stock_export_has_a_row_per_level_above_zero(client: AsyncClient) -> None:
    room = await add_location(client, "Back room")
    first = await create_product(client, name="=Mug", sku="MUG-1", quantity=5)
    second = await create_product(client, name="Plate", quantity=0)
    gone = await create_product(client, name="Gone", quantity=4)
    await transfer(client, first["id"], 1, room["id"], 2)
    await client.post(f"/products/{second['id']}/stock", json={"delta": 7, "location_id": room["id"]})
    await client.delete(f"/products/{gone['id']}")
    response = await client.get("/stock.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["product_id", "product_name", "sku", "location_id", "location_name", "quantity"],
        [str(first["id"]), "'=Mug", "MUG-1", "1", "Main", "3"],
        [str(first["id"]), "'=Mug", "MUG-1", str(room["id"]), "Back room", "2"],
        [str(second["id"]), "Plate", "", str(room["id"]), "Back room", "7"],
    ]


async def test_an_import_that_empties_the_default_too_far_changes_nothing(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, name="Mug", quantity=5)
    await transfer(client, product["id"], 1, room["id"], 4)
    other = await create_product(client, name="Plate", quantity=1)
    body = "name,price,quantity\nPlate,1.00,9\nMug,1.00,2\n"
    response = await client.post("/products/import", content=body, headers={"content-type": "text/csv"})
    assert response.status_code == 409
    assert "default location" in response.json()["detail"]
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", other["id"]) == 1
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 5
    await assert_ledger_holds(db)
