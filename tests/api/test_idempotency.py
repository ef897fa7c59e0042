"""Idempotency-Key on every write route: replays, mismatches, bad keys, races, expiry, purge.

Each test checks what PostgreSQL holds afterwards: one effect per key, one stored outcome,
nothing stored for requests refused before the database decided.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from fastapi import APIRouter, FastAPI
from httpx import AsyncClient, Response

from app.api.idempotency import require_idempotent_writes
from app.core.access import AuthMode
from app.tasks.purge import purge_expired_keys
from tests.api.test_connections import checked_out
from tests.support.app import AppFactory, asgi_client
from tests.support.cluster import until_service_connections
from tests.support.keys import bearer, make_key
from tests.support.payloads import create_product, product_payload
from tests.support.sql import movements as product_movements

REPLAYED = "Idempotent-Replayed"


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def answer(response: Response) -> tuple[int, bytes, str | None, str | None]:
    """Everything a replay must repeat: status, body bytes, content type, Location."""
    headers = response.headers
    return response.status_code, response.content, headers.get("content-type"), headers.get("location")


async def sent_twice(
    client: AsyncClient, method: str, path: str, **request: Any
) -> tuple[Response, Response]:
    first = await client.request(method, path, headers=key("twice-1"), **request)
    second = await client.request(method, path, headers=key("twice-1"), **request)
    assert REPLAYED not in first.headers
    assert second.headers[REPLAYED] == "true"
    assert answer(second) == answer(first)
    return first, second


async def stored_keys(db: asyncpg.Connection) -> list[dict[str, Any]]:
    rows = await db.fetch("SELECT key, method, path, status, location FROM idempotency_keys ORDER BY key")
    return [dict(row) for row in rows]


async def movements(db: asyncpg.Connection, product_id: int) -> int:
    return len(await product_movements(db, product_id))


@asynccontextmanager
async def waiting_on_a_row_lock(
    client: AsyncClient, db: asyncpg.Connection, product_id: int, value: str
) -> AsyncIterator[asyncio.Task[Response]]:
    """A keyed +1 stock move started while `db` holds the product's row lock: it has claimed
    its key and waits inside its transaction until the block ends."""
    async with db.transaction():
        await db.execute("SELECT 1 FROM products WHERE id = $1 FOR UPDATE", product_id)
        path = f"/products/{product_id}/stock"
        move = asyncio.create_task(client.post(path, json={"delta": 1}, headers=key(value)))
        await until_service_connections(db, 1, waiting_for_lock=True)
        yield move


# --- replays -----------------------------------------------------------------------------------


async def test_a_repeated_create_replays_201_and_location_and_creates_once(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    first, _ = await sent_twice(client, "POST", "/products", json=product_payload())
    assert first.status_code == 201
    assert first.headers["location"] == f"/products/{first.json()['id']}"
    assert await db.fetchval("SELECT count(*) FROM products") == 1
    assert await stored_keys(db) == [
        {"key": "twice-1", "method": "POST", "path": "/products", "status": 201, "location": "/products/1"}
    ]


async def test_a_repeated_patch_replays_its_answer(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client)
    first, _ = await sent_twice(client, "PATCH", f"/products/{product['id']}", json={"price": "2.50"})
    assert first.json()["price"] == "2.50"
    await client.patch(f"/products/{product['id']}", json={"price": "3.00"})
    replay = await client.patch(f"/products/{product['id']}", json={"price": "2.50"}, headers=key("twice-1"))
    assert replay.json()["price"] == "2.50"  # the stored answer, not a new update
    assert await db.fetchval("SELECT price::text FROM products") == "3.00"


async def test_a_repeated_delete_replays_204_not_404(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client)
    first, second = await sent_twice(client, "DELETE", f"/products/{product['id']}")
    assert (first.status_code, second.content) == (204, b"")
    assert await db.fetchval("SELECT count(*) FROM products WHERE archived_at IS NULL") == 0


async def test_a_retried_sale_counts_once(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=10)
    before = await movements(db, product["id"])
    first, _ = await sent_twice(client, "POST", f"/products/{product['id']}/stock", json={"delta": -1})
    assert first.json()["quantity"] == 9
    assert await db.fetchval("SELECT quantity FROM products") == 9
    assert await movements(db, product["id"]) == before + 1


async def test_a_retried_count_counts_once(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=10)
    path = f"/products/{product['id']}/count"
    first, _ = await sent_twice(client, "POST", path, json={"counted": 7, "note": "Monday"})
    assert first.json()["quantity"] == 7
    await client.post(f"/products/{product['id']}/stock", json={"delta": 5, "reason": "received"})
    replay = await client.post(path, json={"counted": 7, "note": "Monday"}, headers=key("twice-1"))
    assert replay.json()["quantity"] == 7  # the stored answer: the count is not applied again
    assert await db.fetchval("SELECT quantity FROM products") == 12
    reasons = await db.fetch("SELECT reason FROM stock_movements ORDER BY id")
    assert [row["reason"] for row in reasons] == ["initial", "count", "received"]


async def test_a_404_is_remembered(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client)
    await client.delete(f"/products/{product['id']}")
    first, _ = await sent_twice(client, "PATCH", f"/products/{product['id']}", json={"price": "1.00"})
    assert first.status_code == 404
    assert [row["status"] for row in await stored_keys(db)] == [404]


async def test_a_409_is_remembered_and_changed_nothing(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=1)
    path = f"/products/{product['id']}/stock"
    first, _ = await sent_twice(client, "POST", path, json={"delta": -5})
    assert first.json() == {"detail": "Not enough stock: 1 on hand, cannot remove 5"}
    await client.post(path, json={"delta": 10})
    replay = await client.post(path, json={"delta": -5}, headers=key("twice-1"))
    assert replay.status_code == 409  # the remembered refusal: not sold now that there is stock
    assert await db.fetchval("SELECT quantity FROM products") == 11


async def test_a_duplicate_name_is_remembered_and_the_effect_is_rolled_back(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    original = await create_product(client, name="Widget")
    first, _ = await sent_twice(client, "POST", "/products", json=product_payload(name="WIDGET"))
    assert first.json() == {"detail": "A product named 'WIDGET' already exists"}
    await client.delete(f"/products/{original['id']}")
    replay = await client.post("/products", json=product_payload(name="WIDGET"), headers=key("twice-1"))
    assert replay.status_code == 409
    assert await db.fetchval("SELECT count(*) FROM products WHERE archived_at IS NULL") == 0


# --- mismatches, bad keys, refusals that are not remembered ---------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/products", b'{"name": "Widget", "description": "", "price": "1.00", "quantity": 0}'),
        ("POST", "/products/1/count", b'{"name":"Widget","description":"","price":"1.00","quantity":0}'),
        ("PATCH", "/products/1", b'{"name":"Widget","description":"","price":"1.00","quantity":0}'),
    ],
    ids=["other body bytes", "other path", "other method"],
)
async def test_a_key_reused_for_another_request_is_422_naming_it(
    client: AsyncClient, db: asyncpg.Connection, method: str, path: str, body: bytes
) -> None:
    sent = b'{"name":"Widget","description":"","price":"1.00","quantity":0}'
    headers = {**key("used-once"), "content-type": "application/json"}
    assert (await client.post("/products", content=sent, headers=headers)).status_code == 201
    reused = await client.request(method, path, content=body, headers=headers)
    assert reused.status_code == 422
    assert isinstance(reused.json()["detail"], str)
    assert "'used-once'" in reused.json()["detail"]
    assert await db.fetchval("SELECT count(*) FROM products") == 1


@pytest.mark.parametrize(
    "value",
    [b"", b"k" * 256, b"two words", b"caf\xc3\xa9", b"tab\there", b"bell\x07", b"del\x7f"],
    ids=["empty", "256 characters", "space", "non-ASCII", "tab", "control", "DEL"],
)
async def test_a_bad_key_is_400_and_changes_nothing(
    client: AsyncClient, db: asyncpg.Connection, value: bytes
) -> None:
    response = await client.post("/products", json=product_payload(), headers=[(b"idempotency-key", value)])
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert await db.fetchval("SELECT count(*) FROM products") == 0
    assert await stored_keys(db) == []


async def test_two_key_headers_are_400(client: AsyncClient, db: asyncpg.Connection) -> None:
    headers = [(b"idempotency-key", b"a"), (b"idempotency-key", b"b")]
    response = await client.post("/products", json=product_payload(), headers=headers)
    assert response.status_code == 400
    assert await db.fetchval("SELECT count(*) FROM products") == 0


@pytest.mark.parametrize("value", ["!", "~" * 255, "aZ09-_.:/+=@#$%^&*(){}[]|\\\"';<>?,`"])
async def test_every_visible_ascii_key_up_to_255_is_accepted(client: AsyncClient, value: str) -> None:
    assert (await client.post("/products", json=product_payload(), headers=key(value))).status_code == 201


async def test_a_validation_error_is_not_remembered(client: AsyncClient, db: asyncpg.Connection) -> None:
    refused = await client.post("/products", json=product_payload(price="-1"), headers=key("k"))
    assert refused.status_code == 422
    assert await stored_keys(db) == []
    created = await client.post("/products", json=product_payload(), headers=key("k"))
    assert created.status_code == 201
    assert REPLAYED not in created.headers


async def test_too_large_a_body_is_not_remembered(client: AsyncClient, db: asyncpg.Connection) -> None:
    big = product_payload(description="x" * 70_000)
    assert (await client.post("/products", json=big, headers=key("k"))).status_code == 413
    assert await stored_keys(db) == []


async def test_without_a_key_nothing_is_stored(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=3)
    await client.patch(f"/products/{product['id']}", json={"price": "1.00"})
    await client.post(f"/products/{product['id']}/stock", json={"delta": 1})
    await client.delete(f"/products/{product['id']}")
    await client.post("/products", json=product_payload(name="Again"))
    assert await stored_keys(db) == []


async def test_reads_ignore_the_header(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client)
    assert (await client.get(f"/products/{product['id']}", headers=key("read"))).status_code == 200
    assert (await client.get("/products", headers=key("bad key"))).status_code == 200
    assert await stored_keys(db) == []


def test_an_app_with_an_unprotected_write_route_does_not_start() -> None:
    router = APIRouter()

    @router.post("/plain")
    async def plain() -> None:
        """A write route of a router built without IdempotentRoute."""

    application = FastAPI()
    application.include_router(router)
    with pytest.raises(TypeError, match="/plain"):
        require_idempotent_writes(application.routes)


# --- many at once ------------------------------------------------------------------------------

SIMULTANEOUS = 20


def one_effect(responses: list[Response], success: int) -> None:
    """Exactly one request ran; the others replayed its answer or were told it is in progress."""
    assert {response.status_code for response in responses} <= {success, 409}
    ran = [
        response
        for response in responses
        if response.status_code == success and REPLAYED not in response.headers
    ]
    assert len(ran) == 1
    for response in responses:
        if response.status_code == success:
            assert answer(response) == answer(ran[0])
        else:
            assert "in progress" in response.json()["detail"]


async def test_simultaneous_creates_with_one_key_create_once(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    body = product_payload()
    responses = await asyncio.gather(
        *(client.post("/products", json=body, headers=key("same")) for _ in range(SIMULTANEOUS))
    )
    one_effect(responses, 201)
    assert await db.fetchval("SELECT count(*) FROM products") == 1


async def test_simultaneous_sales_with_one_key_sell_once(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=100)
    before = await movements(db, product["id"])
    path = f"/products/{product['id']}/stock"
    responses = await asyncio.gather(
        *(client.post(path, json={"delta": -1}, headers=key("sale")) for _ in range(SIMULTANEOUS))
    )
    one_effect(responses, 200)
    assert await db.fetchval("SELECT quantity FROM products") == 99
    assert await movements(db, product["id"]) == before + 1


async def test_a_key_in_progress_is_409_and_its_outcome_replays_after(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    """The first request waits on a row lock while holding the key; a repeat is told so at once."""
    product = await create_product(client, quantity=5)
    path = f"/products/{product['id']}/stock"
    async with waiting_on_a_row_lock(client, db, product["id"], "slow") as first:
        repeat = await client.post(path, json={"delta": 1}, headers=key("slow"))
        assert repeat.status_code == 409
        assert repeat.json()["detail"] == (
            "A request with Idempotency-Key 'slow' is in progress; retry later to get its answer"
        )
    assert (await first).status_code == 200
    replay = await client.post(path, json={"delta": 1}, headers=key("slow"))
    assert replay.headers[REPLAYED] == "true"
    assert await db.fetchval("SELECT quantity FROM products") == 6


# --- expiry and purge ----------------------------------------------------------------------------


async def age_keys(db: asyncpg.Connection, hours: float) -> None:
    await db.execute(
        "UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $1)", hours * 3600
    )


async def test_an_expired_key_is_new_again(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=10)
    path = f"/products/{product['id']}/stock"
    await client.post(path, json={"delta": -1}, headers=key("old"))
    await age_keys(db, 23.9)
    assert (await client.post(path, json={"delta": -1}, headers=key("old"))).headers.get(REPLAYED) == "true"
    await age_keys(db, 24.1)
    again = await client.post(path, json={"delta": -1}, headers=key("old"))
    assert REPLAYED not in again.headers
    assert again.json()["quantity"] == 8
    fresh = await db.fetchval("SELECT now() - created_at < interval '1 minute' FROM idempotency_keys")
    assert fresh  # the row now holds the new request's outcome


async def test_the_purge_deletes_expired_keys_only(
    client: AsyncClient, db: asyncpg.Connection, app: FastAPI
) -> None:
    for number in range(5):
        await client.post("/products", json=product_payload(name=f"P{number}"), headers=key(f"old-{number}"))
    await age_keys(db, 25)
    await client.post("/products", json=product_payload(name="New"), headers=key("new"))
    assert await purge_expired_keys(app.state.engine, timedelta(hours=24)) == 5
    assert [row["key"] for row in await stored_keys(db)] == ["new"]


# --- scope and a lost connection -------------------------------------------------------------------


async def test_a_connection_lost_mid_write_is_503_and_stores_nothing(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, quantity=5)
    path = f"/products/{product['id']}/stock"
    async with waiting_on_a_row_lock(client, db, product["id"], "lost") as lost:
        await db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'inventory'"
            " AND datname = current_database() AND wait_event_type = 'Lock'"
        )
        assert (await lost).status_code == 503
    assert await stored_keys(db) == []
    retried = await client.post(path, json={"delta": 1}, headers=key("lost"))
    assert (retried.status_code, REPLAYED in retried.headers) == (200, False)
    assert await db.fetchval("SELECT quantity FROM products") == 6


async def test_keys_are_scoped_to_the_api_key_that_sent_them(
    app_factory: AppFactory, db: asyncpg.Connection
) -> None:
    """The same Idempotency-Key from two API keys is two requests; from one, a replay."""
    tills = [bearer(await make_key(db, name, "write")) for name in ("till-1", "till-2")]
    async with app_factory(auth_mode=AuthMode.WRITES) as application, asgi_client(application) as http:
        sent = [
            await http.post("/products", json=product_payload(name=name), headers={**key("k"), **till})
            for name, till in zip(("A", "B"), tills, strict=True)
        ]
        again = await http.post("/products", json=product_payload(name="A"), headers={**key("k"), **tills[0]})
    assert [response.status_code for response in sent] == [201, 201]
    assert again.headers[REPLAYED] == "true"
    ids = await db.fetch("SELECT id::text FROM api_keys ORDER BY id")
    scopes = await db.fetch("SELECT scope FROM idempotency_keys ORDER BY scope")
    assert [row["scope"] for row in scopes] == [row["id"] for row in ids]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/products/{id}/stock", {"delta": 1}, 200),  # replayed: first sent just before
        ("POST", "/products/{id}/stock", {"delta": 2}, 422),  # the key was first sent with delta 1
        ("POST", "/products/{id}/stock", {"delta": -1000}, 409),
        ("PATCH", "/products/999999", {"price": "1.00"}, 404),
        ("POST", "/products", {"name": ""}, 422),
    ],
)
async def test_a_keyed_request_has_returned_its_connection_when_the_answer_arrives(
    app: FastAPI, client: AsyncClient, method: str, path: str, body: object, status: int
) -> None:
    product = await create_product(client)
    if body in ({"delta": 1}, {"delta": 2}):
        await client.post(path.format(id=product["id"]), json={"delta": 1}, headers=key("k"))
    response = await client.request(method, path.format(id=product["id"]), json=body, headers=key("k"))
    assert response.status_code == status
    assert checked_out(app) == 0
