"""A real database outage under the running service: stop its PostgreSQL, then start it again.

While the database is down every route that needs it answers 503 with a JSON `detail` within a
few seconds (never a 500, never a hang), `/health` stays 200 and `/health/ready` is 503; when the
database is back the same process serves again, and what it acknowledged before is still there.
A keyed write refused with 503 stored nothing: its retry afterwards runs.
"""

import time
from typing import Any

import httpx
import pytest

from harness.server import Server, serving
from tests.support.cluster import ThrowawayCluster, throwaway_cluster
from tests.support.payloads import product_payload

pytestmark = [pytest.mark.slow, pytest.mark.server]

PASSWORD = "outage-Pa55-w0rd"
QUICK = 5.0  # seconds: the contract's "within a few seconds"


def database_routes(product_id: int) -> list[tuple[str, str, Any]]:
    return [
        ("GET", "/products", None),
        ("GET", f"/products/{product_id}", None),
        ("POST", "/products", product_payload(name="During the outage")),
        ("PATCH", f"/products/{product_id}", {"price": "2.00"}),
        ("POST", f"/products/{product_id}/stock", {"delta": 1}),
        ("DELETE", f"/products/{product_id}", None),
        ("GET", "/health/ready", None),
    ]


def wait_for(http: httpx.Client, path: str, status: int, timeout: float = 30.0) -> float:
    """Poll `path` until it answers `status`; the seconds that took."""
    started = time.monotonic()
    while http.get(path).status_code != status:
        assert time.monotonic() - started < timeout, f"{path} never answered {status}"
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture(scope="module")
def database() -> Any:
    with throwaway_cluster(PASSWORD) as cluster:
        yield cluster


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_outage_gives_quick_503s_and_the_service_heals(database: ThrowawayCluster, mode: str) -> None:
    with serving(database.url) as server, httpx.Client(base_url=server.base_url, timeout=30) as http:
        acknowledged = http.post("/products", json=product_payload(name=f"Before {mode}")).json()
        assert http.get("/health/ready").status_code == 200

        database.stop(mode)
        detection = wait_for(http, "/health/ready", 503)
        slowest = 0.0
        for method, path, body in database_routes(acknowledged["id"]):
            started = time.monotonic()
            response = http.request(method, path, json=body)
            slowest = max(slowest, time.monotonic() - started)
            assert response.status_code == 503, (method, path, response.text)
            assert response.json() == {"detail": "The database is unavailable; please retry shortly"}
        assert slowest < QUICK
        assert http.get("/health").json() == {"status": "ok"}
        keyed = {"Idempotency-Key": f"outage-{mode}"}
        refused = http.post("/products", json=product_payload(name=f"Keyed {mode}"), headers=keyed)
        assert refused.status_code == 503

        database.start()
        recovery = wait_for(http, "/health/ready", 200)
        assert http.get(f"/products/{acknowledged['id']}").json() == acknowledged
        assert http.post("/products", json=product_payload(name=f"After {mode}")).status_code == 201
        retried = http.post("/products", json=product_payload(name=f"Keyed {mode}"), headers=keyed)
        assert (retried.status_code, "Idempotent-Replayed" in retried.headers) == (201, False)  # unstored
        assert_no_secret(server)
    print(
        f"\noutage ({mode}): detected in {detection:.3f} s, slowest 503 {slowest:.3f} s, "
        f"ready {recovery:.3f} s after PostgreSQL was back"
    )


def assert_no_secret(server: Server) -> None:
    logs = server.logs()
    assert "database unavailable" in logs  # the outage was logged ...
    assert PASSWORD not in logs  # ... without the credentials


def test_frozen_database_gives_503_not_a_hang(database: ThrowawayCluster) -> None:
    settings = {"DB_STATEMENT_TIMEOUT_MS": "2000"}
    with (
        serving(database.url, settings) as server,
        httpx.Client(base_url=server.base_url, timeout=12) as http,
    ):
        assert http.get("/products").status_code == 200  # a pooled connection, soon to a frozen server
        with database.frozen():
            started = time.monotonic()
            response = http.get("/products")
            answered = time.monotonic() - started
            assert response.status_code == 503
            assert answered < 10
        recovery = wait_for(http, "/health/ready", 200)
    print(f"\nfrozen database: 503 after {answered:.3f} s, ready {recovery:.3f} s after it resumed")
