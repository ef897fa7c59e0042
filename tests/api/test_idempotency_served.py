"""Idempotency-Key on a real uvicorn process with two workers: one effect per key across
processes, and the purge that runs by itself in every worker's lifespan.
"""

import asyncio
from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from harness.server import Server, serving
from tests.api.test_idempotency import SIMULTANEOUS, key, one_effect
from tests.support.payloads import product_payload

pytestmark = pytest.mark.server

PURGE_SECONDS = 0.3


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[Server]:
    settings = {"IDEMPOTENCY_PURGE_SECONDS": str(PURGE_SECONDS)}
    with serving(database_url, settings, flags=["--workers", "2"]) as running:
        yield running


async def test_simultaneous_writes_with_one_key_take_effect_once_across_workers(
    server: Server, db: asyncpg.Connection
) -> None:
    limits = httpx.Limits(max_connections=SIMULTANEOUS)
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=30) as http:
        body = product_payload()
        creates = await asyncio.gather(
            *(http.post("/products", json=body, headers=key("create")) for _ in range(SIMULTANEOUS))
        )
        one_effect(creates, 201)
        created = next(response for response in creates if response.status_code == 201)
        path = f"/products/{created.json()['id']}/stock"
        sales = await asyncio.gather(
            *(http.post(path, json={"delta": -1}, headers=key("sale")) for _ in range(SIMULTANEOUS))
        )
        one_effect(sales, 200)
    assert await db.fetchval("SELECT count(*) FROM products") == 1
    assert await db.fetchval("SELECT quantity FROM products") == product_payload()["quantity"] - 1
    assert await db.fetchval("SELECT count(*) FROM idempotency_keys") == 2


async def test_expired_keys_are_purged_without_anyone_asking(server: Server, db: asyncpg.Connection) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        for name in ("old", "new"):
            response = await http.post("/products", json=product_payload(name=name), headers=key(name))
            assert response.status_code == 201
    await db.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old'")
    for _ in range(100):
        if await db.fetchval("SELECT count(*) FROM idempotency_keys WHERE key = 'old'") == 0:
            break
        await asyncio.sleep(0.1)
    assert [row["key"] for row in await db.fetch("SELECT key FROM idempotency_keys")] == ["new"]
