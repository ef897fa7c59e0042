"""The benchmark's floor (bench/reference.py) answers the benchmarked requests byte for byte as
the service does: the same fields, count and Link, so that its ratio compares the same work."""

from collections.abc import AsyncIterator

import asyncpg
import pytest
from httpx import AsyncClient

import bench.reference as reference
from harness.database import asyncpg_dsn
from tests.support.app import asgi_client
from tests.support.payloads import create_product


@pytest.fixture
async def floor(database_url: str) -> AsyncIterator[AsyncClient]:
    """The reference app on its own asyncpg pool (its lifespan is bare ASGI: set it up here)."""
    reference.pool = await asyncpg.create_pool(asyncpg_dsn(database_url), min_size=1, max_size=2)
    try:
        async with asgi_client(reference.app) as http:
            yield http
    finally:
        await reference.pool.close()
        reference.pool = None


@pytest.mark.parametrize("path", ["/products?limit=2", "/products?limit=2&offset=2", "/products/{id}"])
async def test_the_floor_reads_what_the_service_reads(
    client: AsyncClient, floor: AsyncClient, path: str
) -> None:
    products = [await create_product(client, name=f"Cup {n}", sku=f"CUP-{n}") for n in range(3)]
    path = path.format(id=products[1]["id"])
    service, bare = await client.get(path), await floor.get(path)
    assert (bare.status_code, bare.content) == (service.status_code, service.content)
    for header in ("x-total-count", "link"):
        assert bare.headers.get(header) == service.headers.get(header)


async def test_the_floor_creates_what_the_service_creates(client: AsyncClient, floor: AsyncClient) -> None:
    body = {"description": "Blue", "price": "4.50", "quantity": 3}
    service = (await client.post("/products", json={**body, "name": "Mug"})).json()
    bare = (await floor.post("/products", json={**body, "name": "Bowl"})).json()
    assert list(bare) == list(service)
    own = {"id", "name", "created_at", "updated_at"}
    shared = [{k: v for k, v in product.items() if k not in own} for product in (bare, service)]
    assert shared[0] == shared[1]
