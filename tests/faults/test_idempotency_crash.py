"""SIGKILL under keyed writes, then retries with the same keys: every request applied exactly once.

Threads send creates and stock moves, each with a key of its own, to a real uvicorn process;
the process is killed mid-load (several times), restarted on the same database, and every
request that got no answer is sent again with its key until it gets one. Afterwards PostgreSQL
must hold exactly what applying each request once gives: the products, the quantities, one
stored key per request, and one movement per move (plus each product's `initial` one).
"""

import asyncio
import random
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import asyncpg
import httpx
import pytest

from harness.server import serving
from tests.support.cluster import scratch
from tests.support.crash import Load, writes_through_kills
from tests.support.payloads import product_payload
from tests.support.sql import assert_ledger_holds, stocked_products

pytestmark = [pytest.mark.slow, pytest.mark.server]

KILLS = 3
WORKERS = 12
LOAD_SECONDS = 1.0
START_QUANTITY = 100_000
STOCKED = 4
RETRY_SECONDS = 30.0


@dataclass
class Write:
    """One keyed request and its answer; status None: no answer (the server died)."""

    key: str
    path: str
    body: dict[str, Any]
    status: int | None = None
    answer: bytes = b""


@pytest.fixture(scope="module")
async def database(database_url: str) -> AsyncIterator[tuple[str, asyncpg.Connection]]:
    async with scratch(database_url, "idempotency_crash") as database:
        yield database


def next_write(randomness: random.Random, stocked: list[int], key: str) -> Write:
    if randomness.random() < 0.4:
        return Write(key, "/products", product_payload(name=f"Created {key}"))
    delta = randomness.choice([*range(-9, 0), *range(1, 10)])
    return Write(key, f"/products/{randomness.choice(stocked)}/stock", {"delta": delta})


def send(http: httpx.Client, write: Write) -> None:
    response = http.post(write.path, json=write.body, headers={"Idempotency-Key": write.key})
    write.status, write.answer = response.status_code, response.content


def load(base_url: str, stop: threading.Event, *, stocked: list[int], name: str) -> list[Write]:
    """Keyed writes until `stop` or until the server stops answering."""
    randomness = random.Random(name)
    writes: list[Write] = []
    with httpx.Client(base_url=base_url, timeout=10) as http:
        while not stop.is_set():
            write = next_write(randomness, stocked, f"{name}-{len(writes)}")
            writes.append(write)
            try:
                send(http, write)
            except httpx.TransportError:
                break
    return writes


def retry_until_answered(base_url: str, writes: list[Write]) -> int:
    """Send each unanswered write again with its key (a 409 "in progress" is retried); replays."""
    replays = 0
    deadline = time.monotonic() + RETRY_SECONDS
    with httpx.Client(base_url=base_url, timeout=10) as http:
        for write in writes:
            while True:
                response = http.post(write.path, json=write.body, headers={"Idempotency-Key": write.key})
                if response.status_code != 409:
                    break
                assert "in progress" in response.json()["detail"], response.text
                assert time.monotonic() < deadline, "a key stayed in progress after the restart"
                time.sleep(0.1)
            write.status, write.answer = response.status_code, response.content
            replays += response.headers.get("Idempotent-Replayed") == "true"
    return replays


def replays_identically(base_url: str, writes: list[Write]) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        for write in writes:
            response = http.post(write.path, json=write.body, headers={"Idempotency-Key": write.key})
            assert (response.status_code, response.content) == (write.status, write.answer)
            assert response.headers["Idempotent-Replayed"] == "true"


async def test_sigkill_then_retries_with_keys_apply_every_request_exactly_once(
    database: tuple[str, asyncpg.Connection],
) -> None:
    url, db = database
    stocked = await stocked_products(db, STOCKED, START_QUANTITY)

    def keyed_loads(round_: int) -> list[Load[Write]]:
        return [partial(load, stocked=stocked, name=f"r{round_}w{worker}") for worker in range(WORKERS)]

    writes = await writes_through_kills(url, KILLS, keyed_loads, LOAD_SECONDS)
    unanswered = [write for write in writes if write.status is None]
    with serving(url) as server:
        replays = await asyncio.to_thread(retry_until_answered, server.base_url, unanswered)
        sample = random.Random(0).sample(writes, min(50, len(writes)))
        await asyncio.to_thread(replays_identically, server.base_url, sample)

    assert {write.status for write in writes} <= {200, 201}
    creates = [write for write in writes if write.path == "/products"]
    moves = [write for write in writes if write.path != "/products"]
    names = await db.fetch("SELECT name FROM products WHERE NOT (id = ANY($1::bigint[]))", stocked)
    assert sorted(row["name"] for row in names) == sorted(write.body["name"] for write in creates)
    for product_id in stocked:
        deltas = [write.body["delta"] for write in moves if write.path == f"/products/{product_id}/stock"]
        quantity = await db.fetchval("SELECT quantity FROM products WHERE id = $1", product_id)
        assert quantity == START_QUANTITY + sum(deltas)
        query = "SELECT count(*) FROM stock_movements WHERE product_id = $1"
        count = await db.fetchval(query, product_id)
        assert count == 1 + len(deltas)  # its `initial` movement, then one per move
    assert await db.fetchval("SELECT count(*) FROM idempotency_keys") == len(writes)
    assert await db.fetchval("SELECT count(*) FROM stock_movements") == STOCKED + len(creates) + len(moves)
    await assert_ledger_holds(db)
    print(
        f"\nSIGKILL x{KILLS}: {len(writes)} keyed writes, {len(unanswered)} unanswered at the kills;"
        f" retried: {replays} had committed (replayed), {len(unanswered) - replays} ran after the restart"
    )
