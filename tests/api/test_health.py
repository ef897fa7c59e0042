"""Health probes, with the database up and with it unreachable."""

import time

import httpx
import pytest
from httpx import AsyncClient

from harness.server import free_port, serving
from tests.support.payloads import product_payload


async def test_health_and_ready_with_database_up(client: AsyncClient) -> None:
    health = await client.get("/health")
    ready = await client.get("/health/ready")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"


@pytest.mark.server
def test_unreachable_database_gives_503_not_500() -> None:
    nobody_listens = f"postgresql+asyncpg://inventory_user:secret-pass@127.0.0.1:{free_port()}/inventory_db"
    with serving(nobody_listens) as server, httpx.Client(base_url=server.base_url, timeout=10) as http:
        assert http.get("/health").status_code == 200
        for method, path, body in [
            ("GET", "/health/ready", None),
            ("GET", "/products", None),
            ("POST", "/products", product_payload()),
        ]:
            started = time.monotonic()
            response = http.request(method, path, json=body)
            assert response.status_code == 503, (path, response.text)
            assert "database is unavailable" in response.json()["detail"]
            assert "secret-pass" not in response.text
            assert time.monotonic() - started < 5
