"""POST /products/{id}/stock and /count: one atomic statement that moves the stock and records
the movement, proven with really overlapping requests and checked against the ledger by SQL."""

import asyncio
import random
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from app.core.validation import INT4_MAX
from tests.support.payloads import create_product
from tests.support.sql import assert_ledger_holds, movements, one_row


async def move(client: AsyncClient, product_id: int, delta: Any, **fields: Any) -> Any:
    return await client.post(f"/products/{product_id}/stock", json={"delta": delta, **fields})


async def count(client: AsyncClient, product_id: int, counted: Any, **fields: Any) -> Any:
    return await client.post(f"/products/{product_id}/count", json={"counted": counted, **fields})


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


# --- the ledger: every move records one movement, in the same statement ----------------------


@pytest.mark.parametrize(
    ("delta", "reason"),
    [(4, "received"), (2, "returned"), (-1, "sold"), (-3, "damaged"), (-2, "adjustment"), (6, "adjustment")],
)
async def test_a_move_records_its_reason_and_note(
    client: AsyncClient, db: asyncpg.Connection, delta: int, reason: str
) -> None:
    product = await create_product(client, quantity=5)
    response = await move(client, product["id"], delta, reason=reason, note="Till 2, receipt 77")
    assert response.status_code == 200
    assert response.json()["quantity"] == 5 + delta
    assert (await movements(db, product["id"]))[-1] == {
        "delta": delta,
        "quantity_after": 5 + delta,
        "reason": reason,
        "note": "Till 2, receipt 77",
    }
    await assert_ledger_holds(db)


async def test_the_default_reason_is_adjustment_with_an_empty_note(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, quantity=5)
    await move(client, product["id"], -2)
    assert (await movements(db, product["id"]))[-1] == {
        "delta": -2,
        "quantity_after": 3,
        "reason": "adjustment",
        "note": "",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"delta": 0},
        {"delta": 0, "reason": "adjustment"},
        {"delta": -1, "reason": "received"},
        {"delta": -1, "reason": "returned"},
        {"delta": 1, "reason": "sold"},
        {"delta": 1, "reason": "damaged"},
        {"delta": 1, "reason": "initial"},
        {"delta": 1, "reason": "count"},
        {"delta": 1, "reason": "correction"},
        {"delta": 1, "reason": "stolen"},
        {"delta": 1, "reason": None},
        {"delta": -1, "reasn": "sold"},
        {"delta": 1, "note": "n" * 501},
        {"delta": 1, "note": "nul\x00"},
        {"delta": 1, "note": None},
        {"delta": 1, "note": 5},
    ],
)
async def test_a_move_that_contradicts_the_ledger_rules_is_422_and_records_nothing(
    client: AsyncClient, db: asyncpg.Connection, body: dict[str, Any]
) -> None:
    product = await create_product(client, quantity=3)
    response = await client.post(f"/products/{product['id']}/stock", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"]) == 3
    assert len(await movements(db, product["id"])) == 1


async def test_a_note_of_500_characters_is_kept(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=3)
    assert (await move(client, product["id"], 1, reason="received", note="é" * 500)).status_code == 200
    assert (await movements(db, product["id"]))[-1]["note"] == "é" * 500


async def test_a_refused_move_records_nothing(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=3)
    refused = await move(client, product["id"], -5, reason="sold")
    assert refused.json() == {"detail": "Not enough stock: 3 on hand, cannot remove 5"}
    assert (await move(client, 10**6, 1, reason="received")).status_code == 404
    assert await movements(db, product["id"]) == [
        {"delta": 3, "quantity_after": 3, "reason": "initial", "note": ""}
    ]
    assert await db.fetchval("SELECT count(*) FROM stock_movements") == 1


async def test_a_count_sets_the_quantity_and_records_the_difference(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, quantity=10)
    lower = await count(client, product["id"], 7, note="Monday")
    assert lower.status_code == 200
    assert lower.json()["quantity"] == 7
    assert (await count(client, product["id"], 7)).json()["quantity"] == 7
    assert (await count(client, product["id"], 12)).json()["quantity"] == 12
    assert (await count(client, product["id"], 0)).json()["quantity"] == 0
    assert await movements(db, product["id"]) == [
        {"delta": 10, "quantity_after": 10, "reason": "initial", "note": ""},
        {"delta": -3, "quantity_after": 7, "reason": "count", "note": "Monday"},
        {"delta": 0, "quantity_after": 7, "reason": "count", "note": ""},
        {"delta": 5, "quantity_after": 12, "reason": "count", "note": ""},
        {"delta": -12, "quantity_after": 0, "reason": "count", "note": ""},
    ]
    await assert_ledger_holds(db)


@pytest.mark.parametrize(
    "body",
    [{}, {"counted": -1}, {"counted": 2**31}, {"counted": "3"}, {"counted": True}, {"counted": 1, "x": 1}],
)
async def test_invalid_count_is_422(
    client: AsyncClient, db: asyncpg.Connection, body: dict[str, Any]
) -> None:
    product = await create_product(client, quantity=3)
    response = await client.post(f"/products/{product['id']}/count", json=body)
    assert response.status_code == 422
    assert len(await movements(db, product["id"])) == 1


async def test_counting_a_missing_product_is_404(client: AsyncClient, db: asyncpg.Connection) -> None:
    response = await count(client, 999, 3)
    assert response.status_code == 404
    assert response.json() == {"detail": "Product not found"}
    assert await db.fetchval("SELECT count(*) FROM stock_movements") == 0


async def test_create_patch_and_delete_keep_the_ledger(client: AsyncClient, db: asyncpg.Connection) -> None:
    stocked = await create_product(client, name="Stocked", quantity=4)
    empty = await create_product(client, name="Empty", quantity=0)
    assert (await client.patch(f"/products/{stocked['id']}", json={"quantity": 9})).status_code == 200
    assert (await client.patch(f"/products/{stocked['id']}", json={"quantity": 9, "price": "2"})).is_success
    assert (await client.patch(f"/products/{empty['id']}", json={"description": "still none"})).is_success
    assert await movements(db, stocked["id"]) == [
        {"delta": 4, "quantity_after": 4, "reason": "initial", "note": ""},
        {"delta": 5, "quantity_after": 9, "reason": "correction", "note": ""},
    ]
    assert await movements(db, empty["id"]) == []
    await assert_ledger_holds(db)
    assert (await client.delete(f"/products/{stocked['id']}")).status_code == 204
    assert len(await movements(db, stocked["id"])) == 2  # the history stays with the archived product
    listed = await client.get(f"/movements?product_id={stocked['id']}")
    assert [movement["delta"] for movement in listed.json()] == [5, 4]
    assert (await client.get(f"/products/{stocked['id']}/movements")).status_code == 404
    await assert_ledger_holds(db)


async def test_hundreds_of_concurrent_mixed_writes_keep_the_ledger(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, quantity=50)
    path = f"/products/{product['id']}"
    randomness = random.Random(7)
    requests = []
    for _ in range(400):
        kind = randomness.choices(["move", "count", "patch"], weights=[16, 2, 1])[0]
        if kind == "move":
            reason, delta = randomness.choice(
                [("received", 3), ("returned", 1), ("sold", -1), ("damaged", -2), ("adjustment", -4)]
            )
            requests.append(client.post(f"{path}/stock", json={"delta": delta, "reason": reason}))
        elif kind == "count":
            requests.append(client.post(f"{path}/count", json={"counted": randomness.randint(0, 60)}))
        else:
            requests.append(client.patch(path, json={"quantity": randomness.randint(0, 60)}))
    responses = await asyncio.gather(*requests)
    statuses = {response.status_code for response in responses}
    assert statuses <= {200, 409}
    successes = sum(response.status_code == 200 for response in responses)
    quantity = await db.fetchval("SELECT quantity FROM products WHERE id = $1", product["id"])
    ledger = await movements(db, product["id"])
    assert sum(movement["delta"] for movement in ledger) == quantity
    assert ledger[-1]["quantity_after"] == quantity
    # every 200 is one movement, except a PATCH or count that left the quantity as it was
    unchanged_patches = successes + 1 - len(ledger)
    assert unchanged_patches >= 0
    assert unchanged_patches <= sum(1 for r in responses if r.request.method == "PATCH")
    await assert_ledger_holds(db)
