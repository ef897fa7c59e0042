"""A deleted product is archived: gone from every read of the API (one product, lists, counts,
filters, the CSV export, the import's matching), its name and codes free again, its history
still in `GET /movements?product_id=`."""

import asyncpg
from httpx import AsyncClient

from tests.support.payloads import create_product
from tests.support.sql import assert_ledger_holds, one_row


async def test_an_archived_product_is_gone_from_every_read(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    kept = await create_product(client, name="Kept", quantity=10)
    gone = await create_product(client, name="Gone", quantity=2, sku="GONE-1", reorder_level=5)
    await client.post(f"/products/{gone['id']}/stock", json={"delta": -1, "reason": "sold"})
    assert (await client.delete(f"/products/{gone['id']}")).status_code == 204

    listed = await client.get("/products")
    assert [product["id"] for product in listed.json()] == [kept["id"]]
    assert listed.headers["x-total-count"] == "1"
    for query in ("q=Gone", "sku=GONE-1", "low_stock=true", "max_quantity=5"):
        filtered = await client.get(f"/products?{query}")
        assert (filtered.json(), filtered.headers["x-total-count"]) == ([], "0"), query
    assert (await client.get(f"/products/{gone['id']}")).status_code == 404
    assert "Gone" not in (await client.get("/products.csv")).text
    for write in (
        client.patch(f"/products/{gone['id']}", json={"price": "1"}),
        client.post(f"/products/{gone['id']}/stock", json={"delta": 1}),
        client.post(f"/products/{gone['id']}/count", json={"counted": 0}),
        client.delete(f"/products/{gone['id']}"),
    ):
        assert (await write).status_code == 404

    history = await client.get(f"/movements?product_id={gone['id']}")
    assert [(movement["delta"], movement["reason"]) for movement in history.json()] == [
        (-1, "sold"),
        (2, "initial"),
    ]
    row = await one_row(db, "SELECT quantity, archived_at FROM products WHERE id = $1", gone["id"])
    assert row["quantity"] == 1
    assert row["archived_at"] is not None
    await assert_ledger_holds(db)


async def test_an_archived_products_name_and_codes_are_free(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    gone = await create_product(client, name="Mug", sku="MUG-1", barcode="4006381333931")
    await client.delete(f"/products/{gone['id']}")
    again = await client.post(
        "/products",
        json={
            "name": "MUG",
            "description": "",
            "price": "2",
            "quantity": 0,
            "sku": "mug-1",
            "barcode": "4006381333931",
        },
    )
    assert again.status_code == 201, again.text
    imported = await client.post(
        "/products/import", content=b"name,price,sku\nMug,3.00,MUG-1\n", headers={"content-type": "text/csv"}
    )
    assert imported.json() == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "changes": [{"line": 2, "column": "sku", "before": "mug-1", "after": "MUG-1"}],
    }  # the live Mug, not the archived
    prices = await db.fetch("SELECT id, price::text FROM products ORDER BY id")
    assert [(row["id"], row["price"]) for row in prices] == [
        (gone["id"], "19.99"),
        (again.json()["id"], "3.00"),
    ]
