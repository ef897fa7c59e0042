"""What a refused request gets (401, 403, 429, each JSON with a `detail`), and what a key leaves behind.

Malformed headers of every kind are a 401, never a 5xx; a client that keeps presenting bad
keys is answered 429 for a while, other clients are not; a busy key's last use is recorded
without a write per request.
"""

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
from fastapi import FastAPI
from starlette.types import Message

from app.auth.middleware import CACHE_SECONDS
from app.core.access import AuthMode
from tests.support.app import AppFactory, asgi_client
from tests.support.keys import bearer, make_key

PRODUCT = {"name": "Mug", "description": "", "price": "3.00", "quantity": 1}
ROW_VERSION = "SELECT xmin::text AS version, last_used_at FROM api_keys"
"""xmin is the transaction that last wrote the row: unchanged means not written."""
WELL_FORMED_UNKNOWN = "inv_" + "B" * 43
MALFORMED: dict[str, list[tuple[bytes, bytes]]] = {
    "basic": [(b"authorization", b"Basic dXNlcjpwYXNz")],
    "empty": [(b"authorization", b"")],
    "bearer alone": [(b"authorization", b"Bearer")],
    "bearer and a space": [(b"authorization", b"Bearer ")],
    "huge (9 KB)": [(b"authorization", b"Bearer inv_" + b"A" * 9000)],
    "huge (1 MB)": [(b"authorization", b"Bearer " + b"x" * 1_000_000)],
    "non-ASCII bytes": [(b"authorization", b"Bearer inv_\xff\xfe\x00\x80" + b"A" * 39)],
    "latin-1 text": [(b"authorization", "Bearer inv_café".encode("latin-1"))],
    "utf-8 text": [(b"authorization", "Bearer inv_ключ".encode())],
    "two headers": [(b"authorization", b"Bearer " + WELL_FORMED_UNKNOWN.encode())] * 2,
    "not a key shape": [(b"authorization", b"Bearer abc.def-ghi")],
    "unknown key": [(b"authorization", b"Bearer " + WELL_FORMED_UNKNOWN.encode())],
}


@pytest.fixture(scope="module")
async def strict_app(app_factory: AppFactory) -> AsyncIterator[FastAPI]:
    """AUTH_MODE=all, with a failure limit of 3 per minute for the throttling tests."""
    async with app_factory(auth_mode=AuthMode.ALL, auth_failure_limit=3) as application:
        yield application


async def raw_request(
    application: FastAPI, headers: list[tuple[bytes, bytes]], address: str
) -> tuple[int, dict[str, str], bytes]:
    """Send raw header bytes straight to the ASGI app (no client library cleans them up)."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "DELETE",
        "scheme": "http", "path": "/products/1", "raw_path": b"/products/1", "query_string": b"",
        "root_path": "", "headers": [(b"host", b"inventory.test"), *headers],
        "client": (address, 40000), "server": ("inventory.test", 80),
    }  # fmt: skip
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await application(scope, receive, send)
    start, body = sent
    response_headers = {name.decode(): value.decode() for name, value in start["headers"]}
    return start["status"], response_headers, body["body"]


@pytest.mark.parametrize("case", MALFORMED)
async def test_malformed_or_unknown_credentials_are_401_and_change_nothing(
    strict_app: FastAPI, db: asyncpg.Connection, case: str
) -> None:
    await db.execute("INSERT INTO products (name, description, price, quantity) VALUES ('Kept', '', 1, 1)")
    address = f"198.51.100.{list(MALFORMED).index(case)}"  # each case from its own client
    status, headers, body = await raw_request(strict_app, MALFORMED[case], address)
    assert status == 401, body
    assert headers["www-authenticate"] == 'Bearer realm="inventory", error="invalid_token"'
    assert headers["content-type"] == "application/json"
    assert b'"detail":"' in body
    assert await db.fetchval("SELECT count(*) FROM products") == 1


async def test_refusals_say_why(strict_app: FastAPI, db: asyncpg.Connection) -> None:
    read_key = await make_key(db, "accountant", "read")
    revoked_key = await make_key(db, "old-till", "write", revoked=True)
    async with asgi_client(strict_app, "198.51.100.200") as client:
        missing = await client.get("/products")
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == 'Bearer realm="inventory"'
        assert missing.json() == {
            "detail": "This request needs an API key: send 'Authorization: Bearer <key>'"
        }

        revoked = await client.get("/products", headers=bearer(revoked_key))
        assert revoked.status_code == 401
        assert revoked.json() == {"detail": "This API key has been revoked"}

        assert (await client.get("/products", headers=bearer(read_key))).status_code == 200
        forbidden = await client.post("/products", json=PRODUCT, headers=bearer(read_key))
        assert forbidden.status_code == 403
        assert forbidden.headers["www-authenticate"] == 'Bearer realm="inventory", error="insufficient_scope"'
        assert forbidden.json() == {
            "detail": "This API key may only read; this request needs a key with the write role"
        }
    assert await db.fetchval("SELECT count(*) FROM products") == 0


async def test_repeated_bad_keys_are_throttled_for_that_address_only(
    strict_app: FastAPI, db: asyncpg.Connection
) -> None:
    write_key = await make_key(db, "till", "write")
    guesser, till = asgi_client(strict_app, "203.0.113.7"), asgi_client(strict_app, "203.0.113.8")
    async with guesser, till:
        for _ in range(3):  # the limit of this app
            assert (await guesser.get("/products", headers=bearer(WELL_FORMED_UNKNOWN))).status_code == 401
        throttled = await guesser.get("/products", headers=bearer(WELL_FORMED_UNKNOWN))
        assert throttled.status_code == 429
        assert 1 <= int(throttled.headers["retry-after"]) <= 60
        assert "retry in" in throttled.json()["detail"]
        assert (await guesser.get("/products")).status_code == 429  # no key: refused without a lookup
        # A valid key always passes, even from the throttled address (a shared till's network) ...
        assert (await guesser.post("/products", json=PRODUCT, headers=bearer(write_key))).status_code == 201
        # ... the probes stay open, and another client is not affected at all.
        assert (await guesser.get("/health")).status_code == 200
        assert (await till.get("/products", headers=bearer(WELL_FORMED_UNKNOWN))).status_code == 401
    assert await db.fetchval("SELECT count(*) FROM products") == 1


async def test_concurrent_guesses_get_exactly_the_limit_of_401s(strict_app: FastAPI) -> None:
    """Eight clients of one address at once: the limit (3) is reserved before each lookup."""
    async with asgi_client(strict_app, "203.0.113.9") as guesser:
        answers = await asyncio.gather(
            *(guesser.get("/products", headers=bearer(WELL_FORMED_UNKNOWN)) for _ in range(8))
        )
    assert sorted(answer.status_code for answer in answers) == [401] * 3 + [429] * 5


async def test_last_use_is_recorded_at_most_once_a_minute(
    strict_app: FastAPI, db: asyncpg.Connection
) -> None:
    write_key = await make_key(db, "till", "write")
    async with asgi_client(strict_app, "198.51.100.201") as client:
        assert (await client.get("/products", headers=bearer(write_key))).status_code == 200
        first = await db.fetchrow(ROW_VERSION)
        assert first is not None
        assert first["last_used_at"] is not None
        for _ in range(5):
            assert (await client.get("/products", headers=bearer(write_key))).status_code == 200
        assert await db.fetchrow(ROW_VERSION) == first  # the row was not written again

        await db.execute("UPDATE api_keys SET last_used_at = now() - interval '61 seconds'")
        await asyncio.sleep(CACHE_SECONDS)  # the worker looks the key up again
        assert (await client.get("/products", headers=bearer(write_key))).status_code == 200
        assert await db.fetchval("SELECT now() - last_used_at < interval '5 seconds' FROM api_keys")
