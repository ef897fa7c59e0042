"""Overload: hundreds of clients against a pool of two; a statement_timeout bounds every query.

Requests wait their turn for a pooled connection or get a 503 after DB_POOL_TIMEOUT; nothing
else goes wrong, the pool never grows past its size, and no connection outlives the server.
"""

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from app.core.config import Settings
from app.core.database import (
    BACKGROUND_CONNECTIONS,
    DATABASE_UNAVAILABLE,
    build_engine,
    is_database_unavailable,
)
from harness.server import serving
from tests.support.cluster import row_locked, scratch_database, service_connections, until_service_connections
from tests.support.database import connect

pytestmark = [pytest.mark.slow, pytest.mark.server]

CLIENTS = 300
SMALL_POOL = {"DB_POOL_SIZE": "2", "DB_MAX_OVERFLOW": "0", "DB_POOL_TIMEOUT": "1"}


@pytest.fixture(scope="module")
async def database(database_url: str) -> AsyncIterator[tuple[str, asyncpg.Connection, int]]:
    url = await scratch_database(database_url, "overload")
    connection = await connect(url)
    product_id = await connection.fetchval(
        "INSERT INTO products (name, description, price, quantity) VALUES ('Hot', '', 1, 0) RETURNING id"
    )
    yield url, connection, product_id
    await connection.close()


async def status_of(port: int, method: str, path: str, body: bytes = b"") -> int:
    """One request on a connection of its own (a bare client: httpx itself is slow with hundreds)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"{method} {path} HTTP/1.1\r\nHost: inventory\r\nContent-Type: application/json\r\n"
    writer.write(f"{head}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


async def crowd(port: int, product_id: int, answers: list[tuple[str, int]]) -> None:
    """CLIENTS requests at once, reads and stock moves; each (method, status) goes to `answers`."""

    async def one(number: int) -> None:
        if number % 2:
            status = await status_of(port, "POST", f"/products/{product_id}/stock", b'{"delta": 1}')
            answers.append(("POST", status))
        else:
            answers.append(("GET", await status_of(port, "GET", f"/products/{product_id}")))

    await asyncio.gather(*(one(number) for number in range(CLIENTS)))


async def peak(url: str, done: asyncio.Event) -> int:
    """The most connections the service had at once until `done` (watched on a connection of its own)."""
    db = await connect(url)
    most = 0
    while not done.is_set():
        most = max(most, await service_connections(db))
        await asyncio.sleep(0.02)
    await db.close()
    return most


async def test_hundreds_of_clients_against_a_pool_of_two(
    database: tuple[str, asyncpg.Connection, int],
) -> None:
    url, db, product_id = database
    baseline = await service_connections(db)
    flowing: list[tuple[str, int]] = []
    jammed: list[tuple[str, int]] = []
    with serving(url, {**SMALL_POOL, "DB_STATEMENT_TIMEOUT_MS": "60000"}) as server:
        done = asyncio.Event()
        watcher = asyncio.create_task(peak(url, done))
        started = time.monotonic()
        await crowd(server.port, product_id, flowing)
        flowing_seconds = time.monotonic() - started
        # Now the two pooled connections get stuck behind a row lock: everyone else must get
        # a 503 after the pool timeout instead of waiting for ever.
        async with row_locked(url, product_id):
            started = time.monotonic()
            stuck = asyncio.create_task(crowd(server.port, product_id, jammed))
            while len(jammed) < CLIENTS - 2:
                assert time.monotonic() - started < 60, Counter(jammed)
                await asyncio.sleep(0.05)
            jammed_seconds = time.monotonic() - started
        await stuck
        done.set()
        most = await watcher
    assert {status for _, status in flowing + jammed} <= {200, 503}
    # The two stock moves that held the pool went through once the lock went, and the other
    # moves got 503 (reads that came before the pool jammed may have been served).
    assert jammed.count(("POST", 200)) == 2
    assert jammed.count(("POST", 503)) == CLIENTS // 2 - 2
    assert most <= 2 + BACKGROUND_CONNECTIONS  # the pool of two, and the background jobs' own
    moved = await db.fetchval("SELECT quantity FROM products WHERE id = $1", product_id)
    assert moved == flowing.count(("POST", 200)) + 2  # no 503 moved any stock
    await until_service_connections(db, baseline)
    print(
        f"\noverload: {CLIENTS} clients, pool 2: {dict(Counter(flowing))} in {flowing_seconds:.2f} s; "
        f"jammed: {dict(Counter(jammed))}, all but 2 answered in {jammed_seconds:.2f} s; "
        f"peak {most} connections; "
        f"after stop {await service_connections(db)} (baseline {baseline})"
    )


async def test_statement_timeout_cancels_a_query_and_that_is_a_503(
    database: tuple[str, asyncpg.Connection, int],
) -> None:
    url, db, product_id = database
    engine = build_engine(Settings(database_url=url, db_statement_timeout_ms=200))
    started = time.monotonic()
    with pytest.raises(sa_exc.DBAPIError) as cancelled:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT pg_sleep(10)"))
    await engine.dispose()
    assert time.monotonic() - started < 3
    assert getattr(cancelled.value.orig, "sqlstate", None) == "57014"  # query_canceled
    assert is_database_unavailable(cancelled.value)

    # Through HTTP: a stock move stuck behind a row lock is cancelled and answered 503, changing nothing.
    quantity = await db.fetchval("SELECT quantity FROM products WHERE id = $1", product_id)
    with serving(url, {"DB_STATEMENT_TIMEOUT_MS": "300"}) as server:
        async with (
            httpx.AsyncClient(base_url=server.base_url, timeout=30) as http,
            row_locked(url, product_id),
        ):
            started = time.monotonic()
            response = await http.post(f"/products/{product_id}/stock", json={"delta": 1})
            waited = time.monotonic() - started
    assert (response.status_code, response.json()) == (503, {"detail": DATABASE_UNAVAILABLE})
    assert waited < 3
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product_id) == quantity
