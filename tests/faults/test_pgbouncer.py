"""Two app servers behind a real PgBouncer in transaction mode: the database's guarantees hold across both.

PgBouncer (Debian's package; installed by tests.support.pgbouncer when the tests run as root)
sits in front of the test PostgreSQL with a server pool far smaller than the clients, and two
uvicorn processes on different ports reach it with DB_PGBOUNCER=1. Without PgBouncer the test is
skipped with a message, unless REQUIRE_PGBOUNCER=1 (set by .ci/run) makes that a failure.
"""

import asyncio
import os
from collections import Counter
from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from harness.server import Server, serving
from tests.support.payloads import product_payload
from tests.support.pgbouncer import pgbouncer_binary, running_pgbouncer

pytestmark = [pytest.mark.slow, pytest.mark.server]

THROUGH_PGBOUNCER = {"DB_PGBOUNCER": "1", "DB_POOL_SIZE": "8", "DB_MAX_OVERFLOW": "4"}


@pytest.fixture(scope="module")
def servers(database_url: str) -> Iterator[tuple[Server, Server]]:
    binary = pgbouncer_binary()
    if binary is None:
        message = "PgBouncer is not installed (apt-get install pgbouncer; as root the tests install it)"
        if os.environ.get("REQUIRE_PGBOUNCER") == "1":
            pytest.fail(f"{message}, and REQUIRE_PGBOUNCER=1 requires it")
        pytest.skip(message)
    with (
        running_pgbouncer(binary, database_url) as url,
        serving(url, THROUGH_PGBOUNCER, ready_path="/health/ready") as first,
        serving(url, THROUGH_PGBOUNCER, ready_path="/health/ready") as second,
    ):
        yield first, second


async def spread(
    servers: tuple[Server, Server], method: str, path: str, n: int, **kwargs: object
) -> list[httpx.Response]:
    """`n` simultaneous requests, alternately to each server."""
    async with httpx.AsyncClient(timeout=30) as client:
        return await asyncio.gather(
            *(client.request(method, f"{servers[i % 2].base_url}{path}", **kwargs) for i in range(n))  # type: ignore[arg-type]
        )


async def test_one_name_from_50_simultaneous_posts(
    servers: tuple[Server, Server], db: asyncpg.Connection
) -> None:
    answers = await spread(servers, "POST", "/products", 50, json=product_payload(name="Contested"))
    assert Counter(answer.status_code for answer in answers) == {201: 1, 409: 49}
    assert await db.fetchval("SELECT count(*) FROM products WHERE lower(name) = 'contested'") == 1
    assert {answer.json()["detail"] for answer in answers if answer.status_code == 409} == {
        "A product named 'Contested' already exists"
    }


async def test_stock_moves_never_go_negative(servers: tuple[Server, Server], db: asyncpg.Connection) -> None:
    product_id = await db.fetchval(
        "INSERT INTO products (name, description, price, quantity) VALUES ('Scarce', '', 1, 20) RETURNING id"
    )
    answers = await spread(servers, "POST", f"/products/{product_id}/stock", 60, json={"delta": -1})
    assert Counter(answer.status_code for answer in answers) == {200: 20, 409: 40}
    assert sorted(answer.json()["quantity"] for answer in answers if answer.status_code == 200) == list(
        range(20)
    )
    assert await db.fetchval("SELECT quantity FROM products WHERE id = $1", product_id) == 0


async def test_prepared_statements_survive_many_requests(servers: tuple[Server, Server]) -> None:
    """Far more statements than server connections: none may fail with a missing prepared statement."""
    for round_ in range(3):
        missing = await spread(servers, "GET", f"/products/{round_ + 1000}", 40)
        assert {answer.status_code for answer in missing} == {404}
        listed = await spread(servers, "GET", f"/products?limit={round_ + 1}&q=x", 80)
        assert {answer.status_code for answer in listed} == {200}


async def test_idempotency_key_replayed_on_the_other_server(
    servers: tuple[Server, Server], db: asyncpg.Connection
) -> None:
    first, second = servers
    body = product_payload(name="Keyed")
    headers = {"Idempotency-Key": "pgbouncer-replay-1"}
    async with httpx.AsyncClient(timeout=30) as client:
        original = await client.post(f"{first.base_url}/products", json=body, headers=headers)
        replay = await client.post(f"{second.base_url}/products", json=body, headers=headers)
    assert original.status_code == 201, original.text
    assert replay.status_code == 201, replay.text
    assert replay.headers.get("idempotent-replayed") == "true"
    assert replay.content == original.content
    assert await db.fetchval("SELECT count(*) FROM products WHERE name = 'Keyed'") == 1
