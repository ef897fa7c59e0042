"""Process death under load: SIGKILL loses nothing acknowledged; SIGTERM finishes what is in flight.

The service runs as a real uvicorn process against a scratch database of its own, so
`pg_stat_activity` filtered by that database shows only this server's connections.
"""

import asyncio
import random
import signal
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import asyncpg
import httpx
import pytest

from harness.server import serving
from tests.support.cluster import row_locked, scratch, until_service_connections
from tests.support.crash import writes_through_kills
from tests.support.payloads import product_payload
from tests.support.sql import assert_ledger_holds, stocked_products

pytestmark = [pytest.mark.slow, pytest.mark.server]

KILLS = 3
WORKERS = 12
LOAD_SECONDS = 1.0
START_QUANTITY = 100_000
STOCKED = 4  # products that take the stock moves


@dataclass(frozen=True)
class Write:
    """One request of the load and what came back; status None: no answer (the server died)."""

    path: str
    body: dict[str, Any]
    status: int | None
    answer: Any


@pytest.fixture(scope="module")
async def database(database_url: str) -> AsyncIterator[tuple[str, asyncpg.Connection]]:
    async with scratch(database_url, "crash") as database:
        yield database


def load(base_url: str, stop: threading.Event, *, stocked: list[int], worker: int) -> list[Write]:
    """Creates (some duplicates) and stock moves until `stop`, or until the server stops answering."""
    randomness = random.Random(worker)
    writes: list[Write] = []
    with httpx.Client(base_url=base_url, timeout=10) as http:
        while not stop.is_set():
            roll = randomness.random()
            if roll < 0.4:
                path, body = "/products", product_payload(name=f"{base_url[-5:]}-{worker}-{len(writes)}")
            elif roll < 0.5:
                path, body = "/products", product_payload(name="STOCKED 0")  # a duplicate: 409
            else:
                path, body = (
                    f"/products/{randomness.choice(stocked)}/stock",
                    {"delta": randomness.choice([*range(-9, 0), *range(1, 10)])},
                )
            try:
                response = http.post(path, json=body)
            except httpx.TransportError:
                writes.append(Write(path, body, None, None))
                break
            writes.append(Write(path, body, response.status_code, response.json()))
    return writes


def subset_sums(values: list[int]) -> set[int]:
    sums = {0}
    for value in values:
        sums |= {total + value for total in sums}
    return sums


async def test_sigkill_under_load_loses_no_acknowledged_write(
    database: tuple[str, asyncpg.Connection],
) -> None:
    url, db = database
    stocked = await stocked_products(db, STOCKED, START_QUANTITY)
    loads = [partial(load, stocked=stocked, worker=worker) for worker in range(WORKERS)]
    writes = await writes_through_kills(url, KILLS, lambda _: loads, LOAD_SECONDS)

    assert {write.status for write in writes} <= {200, 201, 409, None}
    creates = [write for write in writes if write.path == "/products"]
    acknowledged = {write.answer["id"]: write.answer for write in creates if write.status == 201}
    unknown = {write.body["name"]: write.body for write in creates if write.status is None}
    with serving(url) as server:
        http = httpx.AsyncClient(base_url=server.base_url)
        for product_id, product in acknowledged.items():
            assert (await http.get(f"/products/{product_id}")).json() == product
        rows = await db.fetch("SELECT id, name, description, price::text, quantity FROM products")
        for row in rows:
            if row["id"] in stocked or row["id"] in acknowledged:
                continue
            # Only a create whose answer was lost may have committed, and then exactly as sent.
            sent = unknown[row["name"]]
            assert {**dict(row), "price": row["price"]} == {"id": row["id"], **sent}
        assert await db.fetchval("SELECT count(*) FROM products WHERE lower(name) = 'stocked 0'") == 1

        for product_id in stocked:
            moves = [write for write in writes if write.path == f"/products/{product_id}/stock"]
            acked = sum(write.body["delta"] for write in moves if write.status == 200)
            in_doubt = [write.body["delta"] for write in moves if write.status is None]
            quantity = (await http.get(f"/products/{product_id}")).json()["quantity"]
            assert quantity - START_QUANTITY - acked in subset_sums(in_doubt), (quantity, acked, in_doubt)
        await http.aclose()
    await assert_ledger_holds(db)  # every committed move left its movement, and only those

    answered = sum(write.status is not None for write in writes)
    in_flight = len(writes) - answered
    print(
        f"\nSIGKILL x{KILLS}: {answered} writes answered ({len(acknowledged)} creates acknowledged), "
        f"{in_flight} in flight at the kills"
    )


IN_FLIGHT = 3


async def test_sigterm_finishes_in_flight_requests_then_closes_the_pool(
    database: tuple[str, asyncpg.Connection],
) -> None:
    url, db = database
    product_id = await db.fetchval(
        "INSERT INTO products (name, description, price, quantity) VALUES ('Held', '', 1, 10) RETURNING id"
    )
    with serving(url) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            async with row_locked(url, product_id):
                moves = [
                    asyncio.create_task(http.post(f"/products/{product_id}/stock", json={"delta": 1}))
                    for _ in range(IN_FLIGHT)
                ]
                await until_service_connections(db, IN_FLIGHT, waiting_for_lock=True)
                server.process.send_signal(signal.SIGTERM)
                await asyncio.sleep(1)
                assert server.process.poll() is None, "exited with requests in flight"
            responses = await asyncio.gather(*moves)
        # uvicorn re-raises the signal once it has shut down, so its exit status says SIGTERM
        assert await asyncio.to_thread(server.process.wait, 15) in {0, -signal.SIGTERM}
        assert "Application shutdown complete" in server.logs()  # the lifespan disposed of the pool
    assert [response.status_code for response in responses] == [200] * IN_FLIGHT
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product_id) == 10 + IN_FLIGHT
    await until_service_connections(db, 0)
