"""Each request borrows at most one pooled connection and has returned it before its answer starts.

httpx's ASGI transport returns only once the app has finished, so the pool is read at the
moment the app sends the response's start, through a wrapper around the app's `send`.
"""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message, Receive, Scope, Send

from tests.support.app import asgi_client
from tests.support.payloads import create_product


def checked_out(app: FastAPI) -> int:
    engine: AsyncEngine = app.state.engine
    count: int = engine.sync_engine.pool.checkedout()  # type: ignore[attr-defined]  # QueuePool has it
    return count


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/products", None, 200),
        ("GET", "/products/{id}", None, 200),
        ("GET", "/products/999999", None, 404),
        ("PATCH", "/products/{id}", {"price": "1.00"}, 200),
        ("POST", "/products/{id}/stock", {"delta": -1000}, 409),
        ("POST", "/products/{id}/stock", {"delta": -1, "reason": "sold"}, 200),
        ("POST", "/products/{id}/count", {"counted": 3}, 200),
        ("POST", "/products/999999/count", {"counted": 3}, 404),
        ("GET", "/products/{id}/movements", None, 200),
        ("GET", "/products/999999/movements", None, 404),
        ("GET", "/movements?reason=sold", None, 200),
        ("POST", "/products", {"name": "Widget", "description": "", "price": 1, "quantity": 1}, 409),
        ("GET", "/health/ready", None, 200),
        ("GET", "/health", None, 200),
    ],
)
async def test_the_connection_is_back_in_the_pool_when_the_answer_starts(
    app: FastAPI, client: AsyncClient, method: str, path: str, body: object, status: int
) -> None:
    product = await create_product(client, name="Widget")
    at_start: list[int] = []
    peak = [0]

    async def watched(scope: Scope, receive: Receive, send: Send) -> None:
        async def watching_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                at_start.append(checked_out(app))
            await send(message)

        await app(scope, receive, watching_send)

    def note_checkout(*_: object) -> None:
        peak[0] = max(peak[0], checked_out(app))

    pool = app.state.engine.sync_engine.pool
    event.listen(pool, "checkout", note_checkout)
    try:
        async with asgi_client(watched) as http:
            response = await http.request(method, path.format(id=product["id"]), json=body)
    finally:
        event.remove(pool, "checkout", note_checkout)
    assert response.status_code == status
    assert at_start == [0]
    assert peak[0] <= 1
