"""The unfiltered X-Total-Count comes from the trigger-kept counter: exact under concurrent POSTs, DELETEs."""

import asyncio

import asyncpg
from httpx import AsyncClient

from tests.support.payloads import product_payload


async def total(client: AsyncClient) -> int:
    response = await client.get("/products?limit=1")
    assert response.status_code == 200
    return int(response.headers["x-total-count"])


async def test_exact_under_concurrent_posts_and_deletes(client: AsyncClient, db: asyncpg.Connection) -> None:
    first = [
        (await client.post("/products", json=product_payload(name=f"Old {n}"))).json()["id"]
        for n in range(30)
    ]
    posts = [client.post("/products", json=product_payload(name=f"New {n}")) for n in range(60)]
    deletes = [client.delete(f"/products/{product_id}") for product_id in first]
    duplicates = [client.post("/products", json=product_payload(name="New 1")) for _ in range(10)]
    reads = [total(client) for _ in range(20)]
    writes = asyncio.gather(*posts, *deletes, *duplicates)
    answers, seen = await asyncio.gather(writes, asyncio.gather(*reads))
    statuses = [answer.status_code for answer in answers]
    assert (statuses.count(201), statuses.count(204), statuses.count(409)) == (60, 30, 10)
    assert all(0 <= count <= 90 for count in seen)
    live = "SELECT count(*) FROM products WHERE archived_at IS NULL"
    assert await total(client) == await db.fetchval(live) == 60


async def test_empty_page_past_the_end_still_counts(client: AsyncClient) -> None:
    for n in range(3):
        await client.post("/products", json=product_payload(name=f"P {n}"))
    response = await client.get("/products?offset=10")
    assert response.json() == []
    assert response.headers["x-total-count"] == "3"
