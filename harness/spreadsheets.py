"""The CSV routes measured on a real uvicorn process: `measure()`, shared by bench/spreadsheets.py
(which prints the figures) and tests/faults/test_spreadsheet_memory.py (which bounds them).

Export: the time and the server's peak RSS (VmHWM, reset before each step) of `GET
/products.csv` at 10, 10,000 and N products, read as a stream. Import: a file of M new products
(every column), then the same file with every price and quantity changed (M updates, M
correction movements), then once more unchanged: time and peak RSS of each. The database is
emptied first.
"""

import asyncio
import csv
import io
import time
from dataclasses import dataclass

import asyncpg
import httpx

from harness.database import asyncpg_dsn, truncate_tables
from harness.server import Server, serving

LOAD_SQL = """
INSERT INTO products (name, description, price, quantity, reorder_level, sku)
SELECT 'Product ' || g, 'Generated product ' || g || ', ' || md5(g::text), (g % 10000) / 100.0,
       g % 500, g % 20, 'SKU-' || g
FROM generate_series($1::bigint, $2::bigint) AS g
"""


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    peak_rss_mib: float
    answer: str


def import_file(rows: int, price_cents: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "sku", "description", "price", "quantity", "reorder_level"])
    for n in range(rows):
        writer.writerow(
            [
                f"Imported {n}",
                f"IMP-{n}",
                f"Imported product {n}, from a spreadsheet",
                f"{price_cents + n % 100}.50",
                (n + price_cents) % 300,
                5,
            ]
        )
    return buffer.getvalue().encode()


def timed(server: Server, name: str, request: httpx.Request, client: httpx.Client) -> Step:
    """Send `request`, read the answer as a stream; its time and the server's peak RSS."""
    server.reset_peak_memory()
    started = time.monotonic()
    response = client.send(request, stream=True)
    body = b"".join(response.iter_bytes()) if request.method == "POST" else b""
    size = sum(len(chunk) for chunk in response.iter_bytes()) if request.method == "GET" else len(body)
    seconds = time.monotonic() - started
    answer = body.decode() if body else f"{size:,} bytes"
    return Step(name, seconds, server.memory_kib("VmHWM") / 1024, f"{response.status_code}: {answer}")


async def load(owner_url: str, low: int, high: int) -> None:
    """Products low..high; an empty table first when low is 1 (and only that when high is 0)."""
    connection = await asyncpg.connect(asyncpg_dsn(owner_url))
    try:
        if low == 1:
            await truncate_tables(connection, ("products",))
        await connection.execute(LOAD_SQL, low, high, timeout=600)
        await connection.execute("VACUUM (ANALYZE) products")
    finally:
        await connection.close()


def measure(url: str, owner_url: str, export_rows: int, import_rows: int) -> list[Step]:
    """Serve `url` (emptied first, as `owner_url`) with one uvicorn process and run every step."""
    steps: list[Step] = []
    asyncio.run(load(owner_url, 1, 10))
    with serving(url) as server, httpx.Client(base_url=server.base_url, timeout=600) as client:
        export = client.build_request("GET", "/products.csv")
        timed(server, "warm-up", export, client)
        steps.append(timed(server, "export 10 products", export, client))
        loaded = 10
        for size in (10_000, export_rows):
            asyncio.run(load(owner_url, loaded + 1, size))
            loaded = size
            steps.append(timed(server, f"export {size:,} products", export, client))
        asyncio.run(load(owner_url, 1, 0))
        for label, cents in (("new", 1), ("changed", 2), ("unchanged", 2)):
            body = import_file(import_rows, cents)
            request = client.build_request(
                "POST", "/products/import", content=body, headers={"content-type": "text/csv"}
            )
            steps.append(
                timed(
                    server,
                    f"import {import_rows:,} rows, {label} ({len(body) / 1e6:.1f} MB)",
                    request,
                    client,
                )
            )
    return steps
