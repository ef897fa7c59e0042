"""Access control in a real uvicorn with two worker processes: revocation reaches every worker
within a second (each trusts a key it checked for at most CACHE_SECONDS), and malformed
Authorization headers sent as raw bytes on the wire are 401, never 5xx.
"""

import asyncio
import socket
from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from app.auth.middleware import CACHE_SECONDS
from harness.server import Server, serving
from tests.support.keys import bearer, make_key, run_keys

pytestmark = pytest.mark.server

ROUNDS = 30
"""Rounds of concurrent requests before giving up on seeing both workers answer."""


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[Server]:
    settings = {"AUTH_MODE": "all", "AUTH_FAILURE_LIMIT": "100000"}  # throttling is tested in-process
    with serving(
        database_url, settings, app="tests.support.worker_app:app", flags=["--workers", "2"]
    ) as served:
        yield served


async def answers_from_both_workers(server: Server, token: str) -> list[httpx.Response]:
    """Concurrent requests, each on a fresh connection, until both workers have answered."""
    answers: list[httpx.Response] = []
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=10) as client:
        for _ in range(ROUNDS):
            batch = [client.get("/products", headers=bearer(token)) for _ in range(8)]
            answers += await asyncio.gather(*batch)
            if len({answer.headers["x-worker-pid"] for answer in answers}) == 2:
                return answers
    pytest.fail("only one worker process answered")


async def test_a_revoked_key_stops_working_in_every_worker_within_a_second(
    server: Server, database_url: str, db: asyncpg.Connection
) -> None:
    token = await make_key(db, "till", "write")
    before = await answers_from_both_workers(server, token)
    assert {answer.status_code for answer in before} == {200}

    revoke = await run_keys("revoke", "till", url=database_url)
    assert revoke.returncode == 0, revoke.stderr
    await asyncio.sleep(CACHE_SECONDS)

    after = await answers_from_both_workers(server, token)
    assert {(answer.status_code, answer.json()["detail"]) for answer in after} == {
        (401, "This API key has been revoked")
    }


def raw_status(server: Server, authorization: bytes) -> tuple[int, bytes]:
    """Send one DELETE with exactly these header bytes; the status code and the whole answer."""
    request = (
        b"DELETE /products/1 HTTP/1.1\r\nHost: inventory\r\nConnection: close\r\n"
        b"Authorization: " + authorization + b"\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


@pytest.mark.parametrize(
    "authorization",
    [
        b"Basic dXNlcjpwYXNz",
        b"",
        b"Bearer",
        b"Bearer ",
        b"Bearer inv_" + b"A" * 9000,
        b"Bearer inv_" + b"A" * 60_000,
        b"Bearer inv_\xff\xfe\x80" + b"A" * 40,
        "Bearer inv_café".encode("latin-1"),
        "Bearer inv_ключ".encode(),
    ],
    ids=["basic", "empty", "bearer-alone", "bearer-space", "9KB", "60KB", "non-ascii", "latin-1", "utf-8"],
)
async def test_malformed_headers_on_the_wire_are_401(
    server: Server, db: asyncpg.Connection, authorization: bytes
) -> None:
    await db.execute("INSERT INTO products (name, description, price, quantity) VALUES ('Kept', '', 1, 1)")
    status, answer = await asyncio.to_thread(raw_status, server, authorization)
    assert status == 401, answer[:300]
    assert b"\r\nwww-authenticate: Bearer" in answer.lower().replace(b"bearer", b"Bearer")
    assert answer.endswith(b"}")
    assert await db.fetchval("SELECT count(*) FROM products") == 1
