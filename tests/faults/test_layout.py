"""The multi-server layout of compose.yaml, really run on loopback: PgBouncer in transaction
mode, two app replicas started by docker/entrypoint.sh with compose's environment (no
migrations: compose's `migrate` service runs them), and nginx with docker/nginx.conf (only its
addresses changed). Through nginx the API answers as on one server, nginx's own errors are
JSON, and a replica killed under load loses no acknowledged write.

Debian's nginx and PgBouncer are installed when the tests run as root; without them the test
is skipped with the reason, unless REQUIRE_LAYOUT=1 (set by .ci/run) makes that a failure.
"""

import asyncio
import os
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import httpx
import pytest

from tests.support.layout import nginx_binary, replica, running_nginx
from tests.support.payloads import product_payload
from tests.support.pgbouncer import pgbouncer_binary, running_pgbouncer
from tests.support.sql import assert_ledger_holds

pytestmark = [pytest.mark.slow, pytest.mark.server]


@dataclass(frozen=True)
class Layout:
    url: str
    """nginx's base URL: where the clients go."""
    replicas: tuple[subprocess.Popen[bytes], ...]


@pytest.fixture(scope="module")
def layout(database_url: str) -> Iterator[Layout]:
    nginx, pgbouncer = nginx_binary(), pgbouncer_binary()
    if nginx is None or pgbouncer is None:
        message = (
            "nginx and PgBouncer are needed (apt-get install nginx pgbouncer; as root the tests install them)"
        )
        if os.environ.get("REQUIRE_LAYOUT") == "1":
            pytest.fail(f"{message}, and REQUIRE_LAYOUT=1 requires them")
        pytest.skip(message)
    with (
        running_pgbouncer(pgbouncer, database_url) as through_pgbouncer,
        replica(through_pgbouncer) as (first, first_url),
        replica(through_pgbouncer) as (second, second_url),
        running_nginx(nginx, [first_url, second_url]) as url,
    ):
        yield Layout(url, (first, second))


async def test_the_api_answers_through_nginx_as_on_one_server(layout: Layout, db: asyncpg.Connection) -> None:
    async with httpx.AsyncClient(base_url=layout.url, timeout=30) as client:
        created = [await client.post("/products", json=product_payload(name=f"Cup {n}")) for n in range(3)]
        assert [answer.status_code for answer in created] == [201, 201, 201]
        assert created[0].headers["location"] == f"/products/{created[0].json()['id']}"
        page = await client.get("/products", params={"limit": 2})
        assert page.headers["x-total-count"] == "3"
        assert page.headers["link"] == f'</products?limit=2&after_id={created[1].json()["id"]}>; rel="next"'
        following = await client.get(page.headers["link"][1 : page.headers["link"].index(">")])
        assert [product["name"] for product in following.json()] == ["Cup 2"]
        product_id = created[0].json()["id"]
        moved = await client.post(f"/products/{product_id}/stock", json={"delta": -2, "reason": "sold"})
        assert moved.status_code == 200
        short = await client.post(f"/products/{product_id}/stock", json={"delta": -1000})
        assert short.status_code == 409
        assert short.json()["detail"].startswith("Not enough stock")
        missing = await client.get("/products/999999")
        assert (missing.status_code, missing.json()) == (404, {"detail": "Product not found"})
        bad = await client.post("/products", json={"name": ""})
        assert bad.status_code == 422
        assert isinstance(bad.json()["detail"], list)
        assert (await client.get("/health/ready")).status_code == 200
    assert await db.fetchval("SELECT count(*) FROM products") == 3
    await assert_ledger_holds(db)


async def test_an_import_as_large_as_the_app_takes_goes_through(
    layout: Layout, db: asyncpg.Connection
) -> None:
    description = "A long description of the kind a shop pastes from its supplier's catalogue. " * 4
    rows = "".join(f"Imported product {n:06d},1.00,1,{description}\n" for n in range(20_000))
    body = ("name,price,quantity,description\n" + rows).encode()
    # Beyond the 6 MB nginx took before, within IMPORT_MAX_BYTES (10 MiB) and IMPORT_MAX_ROWS (20,000).
    assert 6_500_000 < len(body) < 10 * 1024 * 1024
    async with httpx.AsyncClient(base_url=layout.url, timeout=120) as client:
        answer = await client.post(
            "/products/import", content=body, headers={"content-type": "text/csv"}, params={"dry_run": "true"}
        )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"created": 20_000, "updated": 0, "unchanged": 0, "changes": []}
    assert await db.fetchval("SELECT count(*) FROM products") == 0  # a dry run


@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        ("POST /products/import", 413),  # a body beyond nginx's limit (10 MiB)
        ("GET /products?q=" + "x" * 20_000, 414),  # a request line beyond nginx's buffers
        ("GET /products%00", 400),
    ],
)
async def test_nginx_answers_its_own_errors_in_json(layout: Layout, request_line: str, status: int) -> None:
    method, path = request_line.split(" ", 1)
    async with httpx.AsyncClient(base_url=layout.url, timeout=60) as client:
        body = b"x" * (11 * 1024 * 1024) if method == "POST" else None
        answer = await client.request(method, path, content=body, headers={"content-type": "text/csv"})
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["detail"]


async def test_a_replica_killed_under_load_loses_no_acknowledged_write(
    layout: Layout, db: asyncpg.Connection
) -> None:
    product_id = await db.fetchval(
        "INSERT INTO products (name, description, price, quantity) VALUES ('Load', '', 1, 0) RETURNING id"
    )
    acknowledged: list[str] = []
    refused: Counter[int] = Counter()
    stop = asyncio.Event()

    async def till(number: int, client: httpx.AsyncClient) -> None:
        sale = 0
        while not stop.is_set():
            sale += 1
            key = f"till-{number}-{sale}"
            try:
                answer = await client.post(
                    f"/products/{product_id}/stock", json={"delta": 1}, headers={"Idempotency-Key": key}
                )
            except httpx.TransportError:
                refused[0] += 1
                continue
            if answer.status_code == 200:
                acknowledged.append(key)
            else:
                refused[answer.status_code] += 1
                assert answer.headers["content-type"] == "application/json", answer.text
                assert answer.json()["detail"]

    async with httpx.AsyncClient(base_url=layout.url, timeout=30) as client:
        tills = [asyncio.create_task(till(number, client)) for number in range(16)]
        await asyncio.sleep(1.5)
        before_kill = len(acknowledged)
        os.killpg(layout.replicas[0].pid, signal.SIGKILL)
        await asyncio.sleep(2.5)
        stop.set()
        await asyncio.gather(*tills)
        after = [await client.get("/health/ready") for _ in range(10)]
    assert before_kill > 0
    assert len(acknowledged) > before_kill, "the surviving replica carried on"
    assert [answer.status_code for answer in after] == [200] * 10
    assert set(refused) <= {0, 502}, refused
    stored = await db.fetchval("SELECT quantity FROM products WHERE id = $1", product_id)
    movements = await db.fetchval("SELECT count(*) FROM stock_movements WHERE product_id = $1", product_id)
    # Every acknowledged sale is in the ledger; a request cut off by the kill may have committed
    # without its answer arriving (never more than the requests in flight: 16).
    assert len(acknowledged) <= stored == movements <= len(acknowledged) + 16
    print(f"\nkill under load: {len(acknowledged)} acknowledged, {dict(refused)} refused, {stored} stored")
    await assert_ledger_holds(db)


async def test_bad_keys_are_throttled_for_the_address_nginx_saw(database_url: str) -> None:
    nginx, pgbouncer = nginx_binary(), pgbouncer_binary()
    if nginx is None or pgbouncer is None:
        pytest.skip("nginx and PgBouncer are needed (see the layout fixture)")
    with (
        running_pgbouncer(pgbouncer, database_url) as through_pgbouncer,
        replica(through_pgbouncer, AUTH_MODE="writes", AUTH_FAILURE_LIMIT="5") as (_, replica_url),
        running_nginx(nginx, [replica_url]) as url,
    ):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            answers = [
                await client.post(
                    "/products",
                    json=product_payload(),
                    headers={"Authorization": f"Bearer guess-{n}", "X-Forwarded-For": f"10.0.0.{n}"},
                )
                for n in range(12)
            ]
    # The client's own X-Forwarded-For names no one: nginx replaces it with the address it saw.
    assert [answer.status_code for answer in answers] == [401] * 5 + [429] * 7
