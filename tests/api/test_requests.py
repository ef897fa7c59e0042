"""Requests that say what they mean (contract 3.6): exact JSON numbers, unknown query parameters
refused on every route, HEAD for every GET, ALLOWED_HOSTS, and no URL built from the Host header."""

import asyncpg
import pytest
from httpx import AsyncClient

from tests.support.app import AppFactory, asgi_client
from tests.support.payloads import create_product, product_payload


@pytest.mark.parametrize(
    "price",
    ["19.999", "19.999999999999999999", "1e-400", "0.001", "1.5e1000"],
)
async def test_a_number_with_more_decimals_than_allowed_is_refused(
    client: AsyncClient, db: asyncpg.Connection, price: str
) -> None:
    raw = f'{{"name": "Cup", "description": "", "price": {price}, "quantity": 1}}'  # the digits as sent
    response = await client.post("/products", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "price"]]
    assert await db.fetchval("SELECT count(*) FROM products") == 0


async def test_exact_numbers_are_stored_exactly(client: AsyncClient, db: asyncpg.Connection) -> None:
    raw = '{"name": "Cup", "description": "", "price": 19.90, "quantity": 2}'
    response = await client.post("/products", content=raw, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["price"]) == (201, "19.90")
    assert await db.fetchval("SELECT price::text FROM products") == "19.90"
    refused = await client.post(
        f"/products/{response.json()['id']}/stock",
        content='{"delta": 5.0}',
        headers={"content-type": "application/json"},
    )
    assert refused.status_code == 422  # a quantity is a whole number: 5.0 is not 5
    assert await db.fetchval("SELECT quantity FROM products") == 2


@pytest.mark.parametrize(
    "path",
    [
        "/products?low_stok=true",
        "/products/1?x=1",
        "/products/1/movements?befor_id=3",
        "/movements?reasons=sold",
        "/products.csv?q=cup&lowstock=1",
        "/health?verbose=1",
        "/health/ready?x=",
    ],
)
async def test_an_unknown_query_parameter_is_422_naming_it(client: AsyncClient, path: str) -> None:
    await create_product(client, quantity=3, reorder_level=5)
    response = await client.get(path)
    assert response.status_code == 422, response.text
    unknown = path.rsplit("&", 1)[-1].split("?")[-1].split("=")[0]
    assert [error["loc"] for error in response.json()["detail"]] == [["query", unknown]]


async def test_a_write_with_an_unknown_query_parameter_changes_nothing(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, quantity=3)
    response = await client.post(f"/products/{product['id']}/stock?dryrun=1", json={"delta": -1})
    assert response.status_code == 422
    imported = await client.post(
        "/products/import?dryrun=true", content=b"name,price\nMug,1\n", headers={"content-type": "text/csv"}
    )
    assert imported.status_code == 422
    assert await db.fetchval("SELECT count(*) FROM products") == 1
    assert await db.fetchval("SELECT quantity FROM products") == 3


@pytest.mark.parametrize("path", ["/products", "/products/1", "/movements", "/products.csv", "/health", "/"])
async def test_every_get_answers_head(client: AsyncClient, path: str) -> None:
    await create_product(client)
    get, head = await client.get(path), await client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    for name in ("x-total-count", "etag"):
        assert head.headers.get(name) == get.headers.get(name)


async def test_the_schema_has_no_head_operations(client: AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert all("head" not in operations for operations in paths.values())


async def test_no_answer_carries_the_requests_host(client: AsyncClient) -> None:
    for n in range(3):
        await create_product(client, name=f"Item {n}")
    forged = {"host": "evil.example"}
    listed = await client.get("/products?limit=1", headers=forged)
    assert listed.headers["link"] == '</products?limit=1&after_id=1>; rel="next"'
    slash = await client.get("/products/", headers=forged)
    assert slash.status_code == 404
    assert "location" not in slash.headers
    created = await client.post("/products", json=product_payload(name="New"), headers=forged)
    assert created.headers["location"] == f"/products/{created.json()['id']}"


async def test_a_host_outside_allowed_hosts_is_400(app_factory: AppFactory, db: asyncpg.Connection) -> None:
    restricted = app_factory(allowed_hosts="shop.example, inventory.local")
    async with restricted as application, asgi_client(application) as client:
        refused = await client.post("/products", json=product_payload(), headers={"host": "evil.example"})
        assert refused.status_code == 400
        assert "ALLOWED_HOSTS" in refused.json()["detail"]
        for host in ("shop.example", "SHOP.example:8000", "inventory.local"):
            assert (await client.get("/health", headers={"host": host})).status_code == 200
    assert await db.fetchval("SELECT count(*) FROM products") == 0
