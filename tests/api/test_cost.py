"""Cost and value through the API (contract 3.3): unit_cost on creation and receipts, unit_price
on sales and returns (and basket lines), the read-only product figures, and their refusals."""

from decimal import Decimal

import asyncpg
import pytest
from httpx import AsyncClient

from tests.support.payloads import create_product
from tests.support.sql import assert_ledger_holds, one_row


async def test_the_worked_example_through_the_api(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=10, unit_cost="2.00", price="4.00")
    assert (product["average_cost"], product["stock_value"]) == ("2.0000", "20.0000")
    path = f"/products/{product['id']}/stock"
    received = await client.post(path, json={"delta": 5, "reason": "received", "unit_cost": "3.50"})
    assert (received.json()["average_cost"], received.json()["stock_value"]) == ("2.5000", "37.5000")
    sold = await client.post(path, json={"delta": -3, "reason": "sold"})
    assert (sold.json()["quantity"], sold.json()["average_cost"], sold.json()["stock_value"]) == (
        12,
        "2.5000",
        "30.0000",
    )
    history = (await client.get(f"/products/{product['id']}/movements")).json()
    assert [(m["reason"], m["unit_cost"], m["value_delta"], m["unit_price"]) for m in history] == [
        ("sold", "2.5000", "-7.5000", "4.00"),
        ("received", "3.5000", "17.5000", None),
        ("initial", "2.0000", "20.0000", None),
    ]
    stored = await one_row(db, "SELECT average_cost, stock_value FROM products WHERE id = $1", product["id"])
    assert stored == {"average_cost": Decimal("2.5"), "stock_value": Decimal("30")}
    await assert_ledger_holds(db)


async def test_a_product_created_empty_starts_at_its_unit_cost(client: AsyncClient) -> None:
    product = await create_product(client, quantity=0, unit_cost="1.2345")
    assert (product["average_cost"], product["stock_value"]) == ("1.2345", "0.0000")
    moved = await client.post(f"/products/{product['id']}/stock", json={"delta": 2, "reason": "received"})
    assert (moved.json()["average_cost"], moved.json()["stock_value"]) == ("1.2345", "2.4690")


async def test_a_sale_at_its_own_price_and_a_basket_with_terms(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    cup = await create_product(client, name="Cup", quantity=4, unit_cost="1", price="3.00")
    jug = await create_product(client, name="Jug", quantity=0, unit_cost="2", price="9.00")
    basket = await client.post(
        "/stock/batch",
        json={
            "lines": [
                {"product_id": jug["id"], "delta": 3, "reason": "received", "unit_cost": "2.20"},
                {"product_id": cup["id"], "delta": -2, "reason": "sold", "unit_price": "2.50"},
                {"product_id": jug["id"], "delta": -1, "reason": "sold"},
            ]
        },
    )
    assert basket.status_code == 200, basket.text
    lines = basket.json()["movements"]
    assert [(m["unit_cost"], m["value_delta"], m["unit_price"]) for m in lines] == [
        ("2.2000", "6.6000", None),
        ("1.0000", "-2.0000", "2.50"),
        ("2.2000", "-2.2000", "9.00"),
    ]
    await assert_ledger_holds(db)


@pytest.mark.parametrize(
    "body",
    [
        {"delta": -1, "reason": "sold", "unit_cost": "1.00"},
        {"delta": 1, "reason": "adjustment", "unit_cost": "1.00"},
        {"delta": 1, "reason": "received", "unit_price": "1.00"},
        {"delta": -1, "reason": "damaged", "unit_price": "1.00"},
        {"delta": 1, "reason": "received", "unit_cost": "0.00001"},
        {"delta": 1, "reason": "received", "unit_cost": "-1"},
        {"delta": 1, "reason": "received", "unit_cost": "10000000000"},
        {"delta": -1, "reason": "sold", "unit_price": "1.001"},
    ],
)
async def test_terms_that_do_not_fit_the_reason_are_422(
    client: AsyncClient, db: asyncpg.Connection, body: dict[str, object]
) -> None:
    product = await create_product(client, quantity=5)
    response = await client.post(f"/products/{product['id']}/stock", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    assert await db.fetchval("SELECT count(*) FROM stock_movements WHERE product_id = $1", product["id"]) == 1


@pytest.mark.parametrize("field", ["average_cost", "stock_value"])
async def test_the_figures_are_read_only(client: AsyncClient, field: str) -> None:
    product = await create_product(client, quantity=1, unit_cost="1")
    created = await client.post(
        "/products", json={"name": "Other", "description": "", "price": "1", "quantity": 1, field: "5"}
    )
    patched = await client.patch(f"/products/{product['id']}", json={field: "5"})
    assert (created.status_code, patched.status_code) == (422, 422)
    assert (await client.get(f"/products/{product['id']}")).json()[field] == "1.0000"


async def test_a_value_beyond_numeric_18_4_is_409_and_changes_nothing(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    created = await client.post(
        "/products",
        json={
            "name": "Gold",
            "description": "",
            "price": "1",
            "quantity": 2_000_000_000,
            "unit_cost": "9999999999",
        },
    )
    assert created.status_code == 409, created.text
    assert "value" in created.json()["detail"]
    product = await create_product(client, quantity=1, unit_cost="1")
    moved = await client.post(
        f"/products/{product['id']}/stock",
        json={"delta": 2_000_000_000, "reason": "received", "unit_cost": "9999999999.9999"},
    )
    assert moved.status_code == 409, moved.text
    again = await client.post(f"/products/{product['id']}/stock", json={"delta": 1, "reason": "received"})
    assert again.json()["stock_value"] == "2.0000"  # the refused move left no setting behind
    assert await db.fetchval("SELECT count(*) FROM products WHERE name = 'Gold'") == 0
    await assert_ledger_holds(db)
