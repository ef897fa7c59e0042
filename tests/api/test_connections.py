"""Each request borrows at most one pooled connection and has returned it when the answer arrives."""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

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
async def test_the_connection_is_back_in_the_pool_when_the_answer_arrives(
    app: FastAPI, client: AsyncClient, method: str, path: str, body: object, status: int
) -> None:
    product = await create_product(client, name="Widget")
    response = await client.request(method, path.format(id=product["id"]), json=body)
    assert response.status_code == status
    assert checked_out(app) == 0
