"""The benchmark's yardstick: a bare ASGI app (no framework) on an asyncpg pool.

`uvicorn bench.reference:app` serves the four benchmarked endpoints with the same SQL, the same
columns and the same JSON as the service, so the ratio service/reference measures what the
framework layers (FastAPI, Pydantic, SQLModel/SQLAlchemy) cost on top of asyncpg and uvicorn:

    GET  /products?limit=&offset=   a page ordered by id, X-Total-Count (the trigger-kept shards'
                                    sum, in the same statement) and Link to the next page
    GET  /products/{id}             one product, or 404
    POST /products                  INSERT ... RETURNING, 201 + Location, 409 on a duplicate name
    POST /products/{id}/stock       {"delta": n}: the service's guarded UPDATE ... RETURNING with the
                                    ledger's reason and note set in a CTE (the trigger records the
                                    movement for both servers), 404 or 409 when refused
    GET  /health                    {"status": "ok"}

POST /products needs nothing of its own for the ledger: the database's trigger records the
`initial` movement of its INSERT, as it does for the service's. It validates just enough to
stay honest (types, ranges, unknown keys), not every rule of the contract.
Settings: DATABASE_URL (as the service's), DB_POOL_SIZE (default 10).
"""

# ruff: noqa: S608  (the SQL is built from constants: the column list is written once)

import os
from collections.abc import Awaitable, Callable, MutableMapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

import asyncpg
import orjson

from app.core.config import DEFAULT_DATABASE_URL
from harness.database import asyncpg_dsn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# The columns in the order the service's JSON has its keys (app.models.READ_COLUMNS).
COLUMNS = (
    "id, name, sku, barcode, description, price, quantity, reorder_level, average_cost, stock_value,"
    " created_at, updated_at"
)
FIELDS = tuple(COLUMNS.split(", "))
# As the service: one row more than the page (is there a next page?), and the exact count from
# the trigger-kept shards riding along as a last column (app.crud.product.list_products).
LIST_SQL = (
    f"SELECT {COLUMNS}, (SELECT CAST(coalesce(sum(row_count), 0) AS BIGINT) FROM product_count_shards)"
    " AS total FROM products ORDER BY id LIMIT $1 OFFSET $2"
)
GET_SQL = f"SELECT {COLUMNS} FROM products WHERE id = $1"
INSERT_SQL = (
    "INSERT INTO products (name, description, price, quantity, sku, barcode, reorder_level)"
    f" VALUES ($1, $2, $3, $4, NULL, NULL, 0) RETURNING {COLUMNS}"
)
STOCK_SQL = (
    "WITH movement AS MATERIALIZED (SELECT set_config('inventory.movement_reason', 'adjustment', true)"
    " AS reason, set_config('inventory.movement_note', '', true) AS note)"
    " UPDATE products SET quantity = quantity + $2"
    " WHERE id = $1 AND quantity::bigint + $2 BETWEEN 0 AND 2147483647"
    " AND (SELECT reason FROM movement) IS NOT NULL"
    f" RETURNING {COLUMNS}"
)
BODY_KEYS = {"name", "description", "price", "quantity"}
PRICE_MAX = Decimal("9999999999.99")
INT4_MAX = 2_147_483_647
BIGINT_MAX = 9_223_372_036_854_775_807

pool: asyncpg.Pool | None = None


def dumps(value: Any) -> bytes:
    """JSON as the service writes it: prices as decimal strings, UTC times with `+00:00`."""
    return orjson.dumps(value, default=str)


async def respond(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] = []) -> None:  # noqa: B006
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def detail(message: Any) -> bytes:
    return dumps({"detail": message})


def database_dsn() -> str:
    return asyncpg_dsn(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def bounded_int(text: str | None, default: int, low: int, high: int) -> int | None:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def parse_product(body: bytes) -> tuple[str, str, Decimal, int] | str:
    """The four columns of a POST body, or a message saying what is wrong with it."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "body is not JSON"
    if not isinstance(data, dict) or set(data) != BODY_KEYS:
        return f"body must be an object with exactly the keys {sorted(BODY_KEYS)}"
    name, description, price, quantity = data["name"], data["description"], data["price"], data["quantity"]
    if not isinstance(name, str) or not 1 <= len(name := name.strip()) <= 200 or "\x00" in name:
        return "name: 1-200 characters"
    if not isinstance(description, str) or len(description) > 2000 or "\x00" in description:
        return "description: at most 2000 characters"
    if isinstance(price, bool) or not isinstance(price, str | int | float):
        return "price: a decimal number"
    try:
        amount = Decimal(str(price))
    except InvalidOperation:
        return "price: a decimal number"
    if not amount.is_finite() or not 0 <= amount <= PRICE_MAX or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return "price: 0 to 9999999999.99, at most 2 decimal places"
    if type(quantity) is not int or not 0 <= quantity <= INT4_MAX:
        return "quantity: an integer from 0 to 2147483647"
    return name, description, amount, quantity


async def list_products(send: Send, query: bytes) -> None:
    params = dict(parse_qsl(query.decode("latin-1")))
    limit = bounded_int(params.get("limit"), 100, 1, 1000)
    offset = bounded_int(params.get("offset"), 0, 0, BIGINT_MAX)
    if limit is None or offset is None:
        await respond(send, 422, detail([{"loc": ["query"], "msg": "limit 1-1000, offset >= 0"}]))
        return
    assert pool is not None
    rows = await pool.fetch(LIST_SQL, limit + 1, offset)
    page = rows[:limit]
    headers = [(b"x-total-count", str(page[0]["total"] if page else offset).encode())]
    if len(rows) > limit:
        link = f'</products?limit={limit}&after_id={page[-1]["id"]}>; rel="next"'
        headers.append((b"link", link.encode()))
    await respond(send, 200, dumps([dict(zip(FIELDS, row, strict=False)) for row in page]), headers)


async def read_product(send: Send, raw_id: str) -> None:
    product_id = bounded_int(raw_id, 0, 1, BIGINT_MAX)
    if product_id is None:
        await respond(send, 422, detail([{"loc": ["path", "product_id"], "msg": "an integer >= 1"}]))
        return
    assert pool is not None
    row = await pool.fetchrow(GET_SQL, product_id)
    if row is None:
        await respond(send, 404, detail("Product not found"))
    else:
        await respond(send, 200, dumps(dict(row)))


async def create_product(send: Send, receive: Receive) -> None:
    parsed = parse_product(await read_body(receive))
    if isinstance(parsed, str):
        await respond(send, 422, detail([{"loc": ["body"], "msg": parsed}]))
        return
    assert pool is not None
    try:
        row = await pool.fetchrow(INSERT_SQL, *parsed)
    except asyncpg.UniqueViolationError:
        await respond(send, 409, detail(f"A product named '{parsed[0]}' already exists"))
        return
    assert row is not None
    await respond(send, 201, dumps(dict(row)), [(b"location", f"/products/{row['id']}".encode())])


async def move_stock(send: Send, receive: Receive, raw_id: str) -> None:
    product_id = bounded_int(raw_id, 0, 1, BIGINT_MAX)
    try:
        body = orjson.loads(await read_body(receive))
    except orjson.JSONDecodeError:
        body = None
    delta = body.get("delta") if isinstance(body, dict) and set(body) == {"delta"} else None
    if product_id is None or type(delta) is not int or not -INT4_MAX <= delta <= INT4_MAX:
        await respond(send, 422, detail([{"loc": ["body", "delta"], "msg": "an integer"}]))
        return
    assert pool is not None
    row = await pool.fetchrow(STOCK_SQL, product_id, delta)
    if row is not None:
        await respond(send, 200, dumps(dict(row)))
    elif await pool.fetchval("SELECT quantity FROM products WHERE id = $1", product_id) is None:
        await respond(send, 404, detail("Product not found"))
    else:
        await respond(send, 409, detail("Stock out of range"))


async def lifespan(receive: Receive, send: Send) -> None:
    global pool
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            size = int(os.environ.get("DB_POOL_SIZE", "10"))
            pool = await asyncpg.create_pool(
                database_dsn(),
                min_size=size,
                max_size=size,
                server_settings={"application_name": "inventory-bench-reference"},
            )
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if pool is not None:
                await pool.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] != "http":
        return
    method, path = scope["method"], scope["path"]
    if path == "/products":
        if method == "GET":
            await list_products(send, scope["query_string"])
        elif method == "POST":
            await create_product(send, receive)
        else:
            await respond(send, 405, detail("Method Not Allowed"))
    elif path.startswith("/products/") and path.endswith("/stock") and path.count("/") == 3:
        if method == "POST":
            await move_stock(send, receive, path[len("/products/") : -len("/stock")])
        else:
            await respond(send, 405, detail("Method Not Allowed"))
    elif path.startswith("/products/") and path.count("/") == 2:
        if method == "GET":
            await read_product(send, path[len("/products/") :])
        else:
            await respond(send, 405, detail("Method Not Allowed"))
    elif path == "/health":
        await respond(send, 200, dumps({"status": "ok"}))
    else:
        await respond(send, 404, detail("Not Found"))
