"""Baskets and compare-and-set (contract 3.2): POST /stock/batch applies every line or none, a
refused line answers as it would alone and is named, `expected_quantity` guards the stock and
count routes and batch lines, and Idempotency-Key covers a basket; checked in PostgreSQL."""

import asyncio
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from app.schemas import BASKET_MAX_LINES
from tests.support.payloads import add_location, create_product
from tests.support.sql import assert_ledger_holds


async def basket(client: AsyncClient, *lines: dict[str, Any], **fields: Any) -> Any:
    return await client.post("/stock/batch", json={"lines": list(lines), **fields})


async def movement_count(db: asyncpg.Connection) -> int:
    count: int = await db.fetchval("SELECT count(*) FROM stock_movements")
    return count


async def test_a_basket_records_its_lines_in_order_with_one_batch_id(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    mug = await create_product(client, name="Mug", quantity=10)
    plate = await create_product(client, name="Plate", quantity=4)
    await client.post(f"/products/{plate['id']}/stock", json={"delta": 6, "location_id": room["id"]})
    response = await basket(
        client,
        {"product_id": mug["id"], "delta": -2, "reason": "sold"},
        {
            "product_id": plate["id"],
            "delta": -5,
            "reason": "sold",
            "location_id": room["id"],
            "note": "Shelf",
        },
        {"product_id": mug["id"], "delta": -1, "reason": "sold", "expected_quantity": 8},
        note="Till 1, receipt 0815",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    movements = body["movements"]
    assert [(m["product_id"], m["location_id"], m["delta"], m["quantity_after"]) for m in movements] == [
        (mug["id"], 1, -2, 8),
        (plate["id"], room["id"], -5, 1),
        (mug["id"], 1, -1, 7),
    ]
    assert [m["note"] for m in movements] == ["Till 1, receipt 0815", "Shelf", "Till 1, receipt 0815"]
    assert body["batch_id"] == movements[0]["id"]
    assert {m["batch_id"] for m in movements} == {body["batch_id"]}
    stored = await db.fetch(
        "SELECT id FROM stock_movements WHERE batch_id = $1 ORDER BY id", body["batch_id"]
    )
    assert [row["id"] for row in stored] == [m["id"] for m in movements]
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", mug["id"]) == 7
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", plate["id"]) == 5
    await assert_ledger_holds(db)


@pytest.mark.parametrize(
    ("line", "status", "detail"),
    [
        ({"product_id": 999, "delta": -1}, 404, "Line 1 (product 999): Product not found"),
        ({"delta": -20}, 409, "Line 1 (product {id}): Not enough stock: 7 on hand, cannot remove 20"),
        ({"delta": -1, "location_id": 42}, 404, "Line 1 (product {id}): Location 42 not found"),
    ],
)
async def test_a_refused_line_refuses_the_whole_basket(
    client: AsyncClient, db: asyncpg.Connection, line: dict[str, Any], status: int, detail: str
) -> None:
    product = await create_product(client, quantity=10)
    before = await movement_count(db)
    response = await basket(
        client,
        {"product_id": product["id"], "delta": -3, "reason": "sold"},
        {"product_id": product["id"], **line},
    )
    assert response.status_code == status
    assert (
        response.json()["detail"] == detail.format(id=product["id"]) + "; nothing in the basket was applied"
    )
    assert response.json()["line"] == 1
    assert await movement_count(db) == before
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 10


async def test_a_stale_expected_quantity_is_409_with_what_is_there(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, quantity=10)
    line = {"product_id": product["id"], "delta": -1, "expected_quantity": 9}
    response = await basket(client, {"product_id": product["id"], "delta": -2}, line)
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Line 1 (product {product['id']}): Location 1 holds 8 of product {product['id']}, not the"
        " expected 9; nothing changed; nothing in the basket was applied",
        "line": 1,
        "product_id": product["id"],
        "location_id": 1,
        "expected_quantity": 9,
        "actual_quantity": 8,
    }
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 10


async def test_compare_and_set_on_the_stock_and_count_routes(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, quantity=10)
    path = f"/products/{product['id']}"
    stale = await client.post(f"{path}/stock", json={"delta": -1, "expected_quantity": 11})
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": f"Location 1 holds 10 of product {product['id']}, not the expected 11; nothing changed",
        "product_id": product["id"],
        "location_id": 1,
        "expected_quantity": 11,
        "actual_quantity": 10,
    }
    fresh = await client.post(f"{path}/stock", json={"delta": -1, "expected_quantity": 10})
    assert fresh.json()["quantity"] == 9
    elsewhere = await client.post(
        f"{path}/count", json={"counted": 3, "location_id": room["id"], "expected_quantity": 1}
    )
    assert elsewhere.status_code == 409
    assert elsewhere.json()["actual_quantity"] == 0
    assert elsewhere.json()["location_id"] == room["id"]
    counted = await client.post(
        f"{path}/count", json={"counted": 3, "location_id": room["id"], "expected_quantity": 0}
    )
    assert counted.json()["quantity"] == 12
    assert await db.fetchval("SELECT count(*) FROM stock_movements WHERE product_id = $1", product["id"]) == 3
    await assert_ledger_holds(db)


async def test_concurrent_compare_and_set_lets_exactly_one_win(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, quantity=10)
    answers = await asyncio.gather(
        *(
            client.post(f"/products/{product['id']}/stock", json={"delta": -1, "expected_quantity": 10})
            for _ in range(8)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200] + [409] * 7
    assert {answer.json()["actual_quantity"] for answer in answers if answer.status_code == 409} == {9}
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 9


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": [{"product_id": 1, "delta": -1}] * (BASKET_MAX_LINES + 1)},
        {"lines": [{"product_id": 1, "delta": 0}]},
        {"lines": [{"product_id": 1, "delta": 1, "reason": "sold"}]},
        {"lines": [{"product_id": 1, "delta": -1, "reasn": "sold"}]},
        {"lines": [{"delta": -1}]},
        {"lines": [{"product_id": 1, "delta": -1}], "extra": 1},
        {"lines": [{"product_id": 1, "delta": -1, "expected_quantity": -1}]},
    ],
)
async def test_bad_baskets_are_422(client: AsyncClient, db: asyncpg.Connection, body: dict[str, Any]) -> None:
    await create_product(client, quantity=10)
    before = await movement_count(db)
    response = await client.post("/stock/batch", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)
    assert await movement_count(db) == before


async def test_a_full_basket_of_one_hundred_lines(client: AsyncClient, db: asyncpg.Connection) -> None:
    products = [(await create_product(client, name=f"P{n}", quantity=10))["id"] for n in range(10)]
    lines = [{"product_id": products[n % 10], "delta": -1} for n in range(BASKET_MAX_LINES)]
    response = await basket(client, *lines[:50], *lines[50:])
    assert response.status_code == 200
    assert len(response.json()["movements"]) == BASKET_MAX_LINES
    assert await db.fetchval("SELECT sum(quantity) FROM products") == 0
    await assert_ledger_holds(db)


async def test_idempotency_key_covers_a_basket(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=10)
    body = {"lines": [{"product_id": product["id"], "delta": -4, "reason": "sold"}]}
    headers = {"Idempotency-Key": "basket-1"}
    first = await client.post("/stock/batch", json=body, headers=headers)
    again = await client.post("/stock/batch", json=body, headers=headers)
    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 6
    refused = {
        "lines": [{"product_id": product["id"], "delta": -1}, {"product_id": product["id"], "delta": -99}]
    }
    keyed = {"Idempotency-Key": "basket-2"}
    once = await client.post("/stock/batch", json=refused, headers=keyed)
    twice = await client.post("/stock/batch", json=refused, headers=keyed)
    assert once.status_code == twice.status_code == 409
    assert twice.content == once.content
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 6
    await assert_ledger_holds(db)
