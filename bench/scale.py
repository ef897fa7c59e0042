"""The scale benchmark: the app's list queries at a small and a large size, timed inside PostgreSQL.

`bench/scale.sh` (or `python -m bench.scale --help`). Two data sets, each in a database of its
own that is loaded once with generate_series and reused by later runs (`--reload` loads again):
small (10,000 products, 100,000 movements) and large (1,000,000 products, 10,000,000
movements), with three locations. The movements are written directly (INSERT ... SELECT from
generate_series, in batches), consistent with the ledger invariant per location: each product
holds its stock at one of the three locations (product p at location 1 + p % 3) and gets the
same number of movements there, an `initial` one and then alternately out (sold, damaged) and
in (received, returned), with `quantity_after` the running sum (a closed formula of the
movement's rank); its quantity, and its one level, are inserted already equal to the last one,
with the trigger that places a new product's stock disabled for that INSERT (ALTER TABLE ...
DISABLE TRIGGER, in the loading transaction). Both sets record 10,000 movements a day, so "the
last day" holds as many at either size.

For each query the bench builds the
statements with the app's own data layer (app.crud: the exact SQL and parameters the service
sends; the writes, a stock move and a transfer, run inside a transaction, as the service's
do), then alternates small and large, `--repeat` times each, timing
`EXPLAIN (ANALYZE, BUFFERS)` (planning + execution, medians) and the plain statement's round
trip from Python. It writes a markdown report (figures, ratios against the targets, each
query's plan at both sizes) and prints the command that reproduces it.

"Before" rows time the statements the service sent before this work (main at 064337d): the
page with its `count(*)` subquery, and the q search by `strpos(lower(name), lower(q))`.
"""

import argparse
import asyncio
import hashlib
import json
import shlex
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from app.core.filters import MovementFilter
from app.core.ledger import MovementReason
from app.core.periods import Periods
from app.crud import reports, stock
from app.crud.product import list_products
from app.crud.stock import list_movements
from app.schemas import MovementQuery, ProductMovementQuery, ProductQuery
from app.schemas.reports import PeriodQuery
from bench.database import ROOT, ensure_database, say
from harness.database import asyncpg_dsn, truncate_tables

PRICE = "((({product} * 7919) % 100000) / 100.0 + 0.99)"
"""Product g's price (2 decimals), for its row and its sales."""
COST = f"round({PRICE} * 0.6, 4)"
"""Product g's cost: every receipt of it is at this cost, so it stays its average cost."""
LOAD_PRODUCTS = f"""
INSERT INTO products (name, description, price, average_cost, quantity)
SELECT (ARRAY['Blue', 'Red', 'Green', 'Black', 'White', 'Small', 'Large', 'Organic', 'Classic',
               'Vintage'])[1 + g % 10]
       || ' ' || (ARRAY['mug', 'plate', 'towel', 'teapot', 'candle', 'notebook', 'lamp', 'basket', 'scarf',
                        'bottle'])[1 + (g / 10) % 10]
       || ' ' || g || ' ' || upper(left(md5(g::text), 8)),
       'Generated product ' || g,
       {PRICE.format(product="g")},
       {COST.format(product="g")},
       CASE WHEN $2::int = 0 THEN 0
            ELSE 100 + 2 * ($2 - 1 - CASE WHEN g % 2 = 0 THEN $2 / 2 ELSE ($2 - 1) / 2 END)
                 - 3 * CASE WHEN g % 2 = 0 THEN $2 / 2 ELSE ($2 - 1) / 2 END END
FROM generate_series(1, $1::bigint) AS g
ORDER BY g
"""  # noqa: S608  # this module's formulas, nothing from outside
"""Names such as 'Green teapot 4242 3F2A9C1B': a common word (1 product in 10) and a unique code;
the stock's value (quantity x cost) is set by the database (products_value_initial_stock)."""

LOAD_MOVEMENTS = f"""
INSERT INTO stock_movements (product_id, location_id, delta, quantity_after, reason, created_at,
                             unit_cost, value_delta, unit_price)
SELECT r.p, 1 + r.p % 3, m.delta, 100 + 2 * (r.k - 1 - r.down) - 3 * r.down, m.reason,
       $4::timestamptz + i * interval '8.64 seconds',
       {COST.format(product="r.p")}, m.delta * {COST.format(product="r.p")},
       CASE WHEN m.reason IN ('sold', 'returned') THEN {PRICE.format(product="r.p")} END
FROM generate_series($1::bigint, $2::bigint) AS i
CROSS JOIN LATERAL (SELECT 1 + (i - 1) % $3 AS p, (1 + (i - 1) / $3)::int AS k) AS q
CROSS JOIN LATERAL (SELECT q.p, q.k, CASE WHEN q.p % 2 = 0 THEN q.k / 2 ELSE (q.k - 1) / 2 END AS down) AS r
CROSS JOIN LATERAL (
    SELECT CASE WHEN r.k = 1 THEN 'initial'
                WHEN (r.k + r.p) % 2 = 0 THEN CASE WHEN r.p % 10 = 0 THEN 'damaged' ELSE 'sold' END
                ELSE CASE WHEN r.p % 10 = 1 THEN 'returned' ELSE 'received' END END AS reason,
           CASE WHEN r.k = 1 THEN 100 WHEN (r.k + r.p) % 2 = 0 THEN -3 ELSE 2 END AS delta
) AS m
ORDER BY i
"""  # noqa: S608  # this module's formulas, nothing from outside
"""Movements $1..$2 of `$3` products, one every 8.64 s (10,000 a day) from `$4`. Movement i is the
k-th of product p = 1 + (i-1) % $3 (round robin): the first is `initial` +100, then the moves
alternate out (-3: sold, or damaged for 1 product in 10) and in (+2: received, or returned), even
products starting out and odd ones in, so that every day mixes all reasons. `down` counts the
outs up to k, so quantity_after = 100 + 2 * (k - 1 - down) - 3 * down, the running sum. Each is
at the product's cost (its average throughout), and a sale or return at its price."""
LOAD_SUMMARIES = """
INSERT INTO stock_value_buckets
    (bucket, products_in_stock, quantity, value, units_sold, revenue, cost_of_goods)
SELECT date_bin('15 minutes', created_at, timestamptz '2000-01-01 00:00+00'),
       sum((quantity_after > 0)::integer - (quantity_after - delta > 0)::integer),
       sum(delta), sum(value_delta),
       sum(CASE WHEN reason = 'sold' THEN -delta ELSE 0 END),
       sum(CASE WHEN reason = 'sold' THEN -delta * unit_price ELSE 0 END),
       sum(CASE WHEN reason = 'sold' THEN -value_delta ELSE 0 END)
FROM stock_movements
GROUP BY 1
"""
"""The reports' quarter-hour summaries, as the ledger's triggers and the fold would have made them
(each product holds all its stock at one location, so `quantity_after` is its total)."""
MOVEMENT_BATCH = 1_000_000
INITIAL_STOCK_TRIGGER = "products_place_initial_stock"
LOAD_LOCATIONS = "INSERT INTO locations (name) VALUES ('Back room'), ('Market stall')"
LOAD_LEVELS = """
INSERT INTO stock_levels (product_id, location_id, quantity)
SELECT id, 1 + id % 3, quantity FROM products WHERE quantity > 0 ORDER BY id
"""
"""Each product's one level: all its stock at location 1 + id % 3 (ids 1, 2, 3 after the truncate)."""

PRODUCT_COLUMNS = "id, name, description, price, quantity, created_at, updated_at"
BEFORE_DEFAULT_LIST = (
    f"SELECT {PRODUCT_COLUMNS}, (SELECT count(*) FROM products) AS total"  # noqa: S608
    " FROM products ORDER BY id LIMIT $1 OFFSET $2"
)
BEFORE_SEARCH = (
    f"SELECT {PRODUCT_COLUMNS}, (SELECT count(*) FROM products WHERE strpos(lower(name), lower($1)) > 0)"  # noqa: S608
    " AS total FROM products WHERE strpos(lower(name), lower($1)) > 0 ORDER BY id LIMIT $2 OFFSET $3"
)


@dataclass(frozen=True)
class Dataset:
    label: str
    products: int
    movements: int
    url: str

    @property
    def per_product(self) -> int:
        return self.movements // self.products


@dataclass
class Statement:
    sql: str
    params: tuple[Any, ...]


@dataclass
class Query:
    """One benchmarked query: how to build its statement for a data set, and its target."""

    key: str
    label: str
    build: Callable[[Dataset], Awaitable[list[Statement]]]
    target: str = ""
    timings: dict[str, list[float]] = field(default_factory=dict)
    round_trips: dict[str, list[float]] = field(default_factory=dict)
    plans: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def code_of(g: int) -> str:
    """The unique code in product g's name (as the loader writes it), lower-cased for the search."""
    return hashlib.md5(str(g).encode()).hexdigest()[:8]  # noqa: S324  (a name, not a secret)


# --- the data -------------------------------------------------------------------------------


async def load(dataset: Dataset, reload: bool) -> str:
    """Make the data set's database hold exactly its generated rows; reuse them when it does."""
    connection = await asyncpg.connect(asyncpg_dsn(dataset.url))
    try:
        marker = f"bench v4: {dataset.products} products, {dataset.movements} movements, 3 locations, costs"
        comment = await connection.fetchval("SELECT obj_description('products'::regclass, 'pg_class')")
        if not reload and comment and comment.startswith(marker):
            return f"reused ({comment})"
        started = time.monotonic()
        await truncate_tables(connection, ("products", "locations"))  # and the movements and levels
        async with connection.transaction():  # the trigger is disabled only inside this transaction
            await connection.execute(LOAD_LOCATIONS)
            await connection.execute(f"ALTER TABLE products DISABLE TRIGGER {INITIAL_STOCK_TRIGGER}")
            await connection.execute(LOAD_PRODUCTS, dataset.products, dataset.per_product, timeout=3600)
            await connection.execute(f"ALTER TABLE products ENABLE TRIGGER {INITIAL_STOCK_TRIGGER}")
            await connection.execute("ALTER TABLE stock_levels DISABLE TRIGGER stock_levels_record_movement")
            await connection.execute(LOAD_LEVELS, timeout=3600)
            await connection.execute("ALTER TABLE stock_levels ENABLE TRIGGER stock_levels_record_movement")
        products_loaded = time.monotonic()
        first_at = await connection.fetchval(
            "SELECT now() - $1::bigint * interval '8.64 seconds'", dataset.movements
        )
        for first in range(1, dataset.movements + 1, MOVEMENT_BATCH):
            last = min(first + MOVEMENT_BATCH - 1, dataset.movements)
            await connection.execute(LOAD_MOVEMENTS, first, last, dataset.products, first_at, timeout=3600)
            say(
                f"    movements {last:,} of {dataset.movements:,}"
                f" ({time.monotonic() - products_loaded:.0f} s)"
            )
        await connection.execute(LOAD_SUMMARIES, timeout=3600)
        movements_loaded = time.monotonic()
        await connection.execute("VACUUM (ANALYZE) products", timeout=3600)
        await connection.execute("VACUUM (ANALYZE) stock_movements", timeout=3600)
        await connection.execute("VACUUM (ANALYZE) stock_levels", timeout=3600)
        await connection.execute("VACUUM (ANALYZE) stock_value_buckets", timeout=3600)
        took = (
            f"products loaded in {products_loaded - started:.1f} s, movements in "
            f"{movements_loaded - products_loaded:.1f} s (with their summaries),"
            f" vacuumed in {time.monotonic() - movements_loaded:.1f} s"
        )
        size = await connection.fetchval("SELECT pg_size_pretty(pg_database_size(current_database()))")
        await connection.execute(f"COMMENT ON TABLE products IS '{marker}; {took}; database {size}'")
        return f"{marker}: {took}; database {size}"
    finally:
        await connection.close()


async def check_ledger(dataset: Dataset) -> None:
    """The loaded data keeps the ledger and value invariants (checked on a sample of products), and
    the summaries add up to the products' totals."""
    connection = await asyncpg.connect(asyncpg_dsn(dataset.url))
    try:
        broken = await connection.fetchval(
            """
            SELECT count(*) FROM products AS p
            CROSS JOIN LATERAL (SELECT coalesce(sum(quantity), 0) AS total FROM stock_levels
                                WHERE product_id = p.id) AS levels
            LEFT JOIN stock_levels AS l ON l.product_id = p.id
            WHERE p.id % 997 = 1 AND (
                p.quantity <> levels.total
                OR coalesce(l.quantity, 0) <> (SELECT coalesce(sum(delta), 0) FROM stock_movements
                                               WHERE product_id = p.id AND location_id = l.location_id)
                OR coalesce(l.quantity, 0) <> coalesce((SELECT quantity_after FROM stock_movements AS m
                                                        WHERE m.product_id = p.id
                                                          AND m.location_id = l.location_id
                                                        ORDER BY id DESC LIMIT 1), 0)
                OR p.stock_value <> (SELECT coalesce(sum(value_delta), 0) FROM stock_movements
                                     WHERE product_id = p.id))
            """
        )
        if broken:
            raise RuntimeError(f"{broken} sampled products break the ledger or value invariant")
        adds_up = await connection.fetchval(
            """
            WITH summaries AS (SELECT quantity, value, products_in_stock FROM stock_value_buckets
                               UNION ALL SELECT quantity, value, products_in_stock FROM stock_value_changes)
            SELECT (SELECT sum(quantity) FROM products) = (SELECT sum(quantity) FROM summaries)
               AND (SELECT sum(stock_value) FROM products) = (SELECT sum(value) FROM summaries)
               AND (SELECT count(*) FROM products WHERE quantity > 0)
                   = (SELECT sum(products_in_stock) FROM summaries)
            """
        )
        if not adds_up:
            raise RuntimeError("the summaries do not add up to the products' totals")
    finally:
        await connection.close()


# --- statements, as the app sends them -----------------------------------------------------


async def captured(call: Callable[[AsyncConnection], Awaitable[Any]], url: str) -> list[Statement]:
    """The statements that `call` sends through SQLAlchemy (a page, maybe then its count), with parameters."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    seen: list[Statement] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        seen.append(Statement(statement, tuple(parameters or ())))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with engine.connect() as connection:
            await call(connection)
    finally:
        await engine.dispose()
    return seen


def products_query(count: bool, **parameters: Any) -> Callable[[Dataset], Awaitable[list[Statement]]]:
    async def build(dataset: Dataset) -> list[Statement]:
        values = {key: value(dataset) if callable(value) else value for key, value in parameters.items()}
        query = ProductQuery(**values)
        filters = query
        return await captured(
            lambda db: list_products(
                db=db,
                filters=filters,
                limit=query.limit,
                offset=query.offset,
                after_id=query.after_id,
                count=count,
            ),
            dataset.url,
        )

    return build


def movements_query(
    product: bool = False, **parameters: Any
) -> Callable[[Dataset], Awaitable[list[Statement]]]:
    """The movement list as the app sends it: per product (GET /products/{id}/movements) or global."""

    async def build(dataset: Dataset) -> list[Statement]:
        values = {
            key: await value(dataset) if callable(value) else value for key, value in parameters.items()
        }
        if product:
            page = ProductMovementQuery(**values)
            filters, product_id = MovementFilter(), await product_in_the_middle(dataset)
        else:
            page = query = MovementQuery(**values)
            filters, product_id = query, None
        return await captured(
            lambda db: list_movements(
                db=db, filters=filters, limit=page.limit, before_id=page.before_id, product_id=product_id
            ),
            dataset.url,
        )

    return build


async def newest_movement(dataset: Dataset) -> datetime:
    connection = await asyncpg.connect(asyncpg_dsn(dataset.url))
    try:
        newest: datetime = await connection.fetchval("SELECT max(created_at) FROM stock_movements")
        return newest
    finally:
        await connection.close()


async def last_day(dataset: Dataset) -> datetime:
    """24 hours before the newest movement: `since` for the last day's movements."""
    return await newest_movement(dataset) - timedelta(days=1)


def report_query(
    call: Callable[[AsyncConnection, datetime], Awaitable[Any]],
) -> Callable[[Dataset], Awaitable[list[Statement]]]:
    """The statements `call` (app.crud.reports, given a connection and the newest movement's time) sends."""

    async def build(dataset: Dataset) -> list[Statement]:
        newest = await newest_movement(dataset)
        return await captured(lambda db: call(db, newest), dataset.url)

    return build


def days_back(newest: datetime, days: int) -> Periods:
    """The `days` days (UTC) up to and including the newest movement's."""
    return PeriodQuery(
        since=(newest - timedelta(days=days - 1)).date(), until=(newest + timedelta(days=1)).date()
    ).periods()


UNDER_50_MS = "large under 50 ms"
A_MONTH_BACK = timedelta(days=30, minutes=7)  # an instant inside a quarter-hour: its movements are read


async def second_page(dataset: Dataset) -> int:
    """A cursor 5,000 movements below the newest (still within the last day)."""
    return max(1, dataset.movements - 5_000)


async def product_in_the_middle(dataset: Dataset) -> int:
    """A product near the middle whose out-moves are sales (an even id not ending in 0)."""
    return dataset.products // 2 + 2


def location_of(product_id: int) -> int:
    """Where the loader put a product's stock."""
    return 1 + product_id % 3


def stock_query(
    call: Callable[[AsyncConnection, int], Awaitable[Any]],
) -> Callable[[Dataset], Awaitable[list[Statement]]]:
    """The statements `call` (app.crud.stock, given a connection and the product in the middle) sends."""

    async def build(dataset: Dataset) -> list[Statement]:
        product_id = await product_in_the_middle(dataset)
        return await captured(lambda db: call(db, product_id), dataset.url)

    return build


def before(
    sql: str, *params: Any | Callable[[Dataset], Any]
) -> Callable[[Dataset], Awaitable[list[Statement]]]:
    async def build(dataset: Dataset) -> list[Statement]:
        return [Statement(sql, tuple(value(dataset) if callable(value) else value for value in params))]

    return build


def queries() -> list[Query]:
    return [
        Query(
            "cursor",
            "products page by cursor, `Prefer: count=none` (after_id = the middle id, limit 100)",
            products_query(False, after_id=lambda d: d.products // 2, limit=100),
            "large within 1.5x of small",
        ),
        Query(
            "default",
            "default list with exact count (`GET /products`: limit 100, unfiltered)",
            products_query(True),
            "large: at least 10x faster than before",
        ),
        Query(
            "default-before",
            "before: default list with exact count (count(*) subquery)",
            before(BEFORE_DEFAULT_LIST, 100, 0),
        ),
        Query(
            "deep-offset",
            "offset deep into the table (offset = 90% of the rows, count=none): offset still scans",
            products_query(False, offset=lambda d: d.products * 9 // 10, limit=100),
        ),
        Query(
            "q-code",
            "q search for one product's code (q = its 8 hex digits, exact count)",
            products_query(True, q=lambda d: code_of(d.products // 3)),
            "large within 3x of small",
        ),
        Query(
            "q-code-before",
            "before: the same q search by strpos (a sequential scan)",
            before(BEFORE_SEARCH, lambda d: code_of(d.products // 3), 100, 0),
        ),
        Query(
            "q-word",
            "q search for a common word (q=teapot: 1 product in 10), count=none",
            products_query(False, q="teapot"),
            "large within 3x of small",
        ),
        Query(
            "q-word-counted",
            "q search for a common word with its exact count (a filtered count(*) counts every match)",
            products_query(True, q="teapot"),
        ),
        Query(
            "movements-product",
            "movements of one product, newest first (`GET /products/{id}/movements`)",
            movements_query(product=True),
            "large within 1.5x of small",
        ),
        Query(
            "movements-global",
            "all movements, newest first (`GET /movements`)",
            movements_query(),
            "large within 1.5x of small",
        ),
        Query(
            "movements-reason-since",
            "sales of the last day (`GET /movements?reason=sold&since=<24 h before the newest>`)",
            movements_query(reason=[MovementReason.SOLD], since=last_day),
            "large within 1.5x of small",
        ),
        Query(
            "movements-reasons-since-cursor",
            "sales and damages of the last day, a later page"
            " (`reason=sold&reason=damaged&since=...&before_id=`)",
            movements_query(
                reason=[MovementReason.SOLD, MovementReason.DAMAGED], since=last_day, before_id=second_page
            ),
            "large within 1.5x of small",
        ),
        Query(
            "movements-product-reason",
            "one product's sales through `GET /movements?product_id=&reason=sold`",
            movements_query(product_id=product_in_the_middle, reason=[MovementReason.SOLD]),
            "large within 1.5x of small",
        ),
        Query(
            "stock-move",
            "a stock move at a named location (`POST /products/{id}/stock`, +1 received)",
            stock_query(
                lambda db, p: stock.move_stock(
                    db=db,
                    product_id=p,
                    delta=1,
                    reason=MovementReason.RECEIVED,
                    note="",
                    location_id=location_of(p),
                )
            ),
            "large within 1.5x of small",
        ),
        Query(
            "transfer",
            "a transfer of 1 to the next location (`POST /products/{id}/transfers`: 4 statements)",
            stock_query(
                lambda db, p: stock.transfer_stock(
                    db=db,
                    product_id=p,
                    source=location_of(p),
                    destination=1 + location_of(p) % 3,
                    quantity=1,
                    note="",
                )
            ),
            "large within 1.5x of small",
        ),
        Query(
            "levels",
            "a product's levels (`GET /products/{id}/stock`)",
            stock_query(lambda db, p: stock.product_levels(db=db, product_id=p)),
            "large within 1.5x of small",
        ),
        Query(
            "location-stock",
            "a location's stock, a page in the middle (`GET /locations/2/stock?after_id=<middle>`)",
            stock_query(lambda db, p: stock.location_stock(db=db, location_id=2, limit=100, after_id=p)),
            "large within 1.5x of small",
        ),
        Query(
            "valuation-now",
            "the stock's value now (`GET /reports/valuation`)",
            report_query(lambda db, _newest: reports.valuation(db=db, at=datetime.now(UTC))),
            UNDER_50_MS,
        ),
        Query(
            "valuation-month-back",
            "the stock's value a month before the newest movement (`GET /reports/valuation?at=`)",
            report_query(lambda db, newest: reports.valuation(db=db, at=newest - A_MONTH_BACK)),
            UNDER_50_MS,
        ),
        Query(
            "valuation-series",
            "the value at the end of each of 90 days (`GET /reports/valuation/series`, bucket=day)",
            report_query(
                lambda db, newest: reports.series(db=db, periods=days_back(newest, 90), now=datetime.now(UTC))
            ),
            UNDER_50_MS,
        ),
        Query(
            "sales",
            "sales, cost of goods and margin of each of 30 days (`GET /reports/sales`, bucket=day)",
            report_query(lambda db, newest: reports.sales(db=db, periods=days_back(newest, 30))),
            UNDER_50_MS,
        ),
        Query(
            "valuation-csv",
            "the valuation CSV a month back, its first batch of 2,000 products"
            " (`GET /reports/valuation.csv?at=`)",
            report_query(
                lambda db, newest: anext(
                    reports.valuation_by_product(engine=db.engine, at=newest - A_MONTH_BACK, batch_size=2000)
                )
            ),
        ),
    ]


# --- timing ---------------------------------------------------------------------------------


async def explain(connection: asyncpg.Connection, statements: list[Statement]) -> tuple[float, str, int]:
    """Planning + execution time (ms) of EXPLAIN (ANALYZE, BUFFERS) of each statement (summed),
    their plans, and the rows the first gave."""
    took, plans, rows = 0.0, [], 0
    async with connection.transaction():  # a write's statements share one, as in the service
        for n, statement in enumerate(statements):
            answer = await connection.fetch(
                f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement.sql}", *statement.params
            )
            plan = json.loads(answer[0][0])[0]
            took += plan["Planning Time"] + plan["Execution Time"]
            rows = rows if n else int(plan["Plan"]["Actual Rows"])
    async with connection.transaction():
        for statement in statements:
            text = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {statement.sql}", *statement.params)
            plans.append("\n".join(row[0] for row in text))
    return took, "\n-- then, the next statement --\n".join(plans), rows


async def round_trip(connection: asyncpg.Connection, statements: list[Statement]) -> float:
    started = time.perf_counter()
    async with connection.transaction():
        for statement in statements:
            await connection.fetch(statement.sql, *statement.params)
    return (time.perf_counter() - started) * 1000


async def measure(all_queries: list[Query], datasets: list[Dataset], repeat: int) -> None:
    connections = {d.label: await asyncpg.connect(asyncpg_dsn(d.url)) for d in datasets}
    try:
        for query in all_queries:
            say(f"  {query.key} ...")
            statements = {d.label: await query.build(d) for d in datasets}
            for d in datasets:  # warm the caches and the prepared statements
                for _ in range(2):
                    await round_trip(connections[d.label], statements[d.label])
            for _ in range(repeat):
                for d in datasets:
                    connection, statement = connections[d.label], statements[d.label]
                    took, text, rows = await explain(connection, statement)
                    query.timings.setdefault(d.label, []).append(took)
                    query.round_trips.setdefault(d.label, []).append(await round_trip(connection, statement))
                    query.plans[d.label], query.rows[d.label] = text, rows
    finally:
        for connection in connections.values():
            await connection.close()


# --- the report -----------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(query: Query, all_queries: list[Query], small: str, large: str) -> str:
    if not query.target:
        return ""
    if query.target == UNDER_50_MS:
        took = median(query.timings[large])
        return f"large {took:.1f} ms ({'met' if took < 50 else 'MISSED'}: < 50 ms)"
    if query.key == "default":
        before = next(q for q in all_queries if q.key == "default-before")
        speedup = median(before.timings[large]) / median(query.timings[large])
        return f"{speedup:,.0f}x faster than before ({'met' if speedup >= 10 else 'MISSED'}: >= 10x)"
    limit = 1.5 if "1.5x" in query.target else 3.0
    ratio = median(query.timings[large]) / median(query.timings[small])
    return f"large/small {ratio:.2f} ({'met' if ratio <= limit else 'MISSED'}: <= {limit}x)"


def report(
    all_queries: list[Query], datasets: list[Dataset], notes: list[str], command: str, repeat: int
) -> str:
    small, large = datasets[0].label, datasets[1].label
    lines = [
        "# Scale benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Reproduce: `{command}`",
        "",
        *(f"- {note}" for note in notes),
        "",
        f"Times are medians over {repeat} runs per size, alternating sizes: **server** = planning +"
        " execution of EXPLAIN (ANALYZE, BUFFERS) (instrumented, so a little slower than a plain run);"
        " **round trip** = the plain statement from Python (asyncpg, prepared), in ms.",
        "",
        f"| query | rows | server {small} | server {large} | round trip {small} | round trip {large} "
        "| target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for q in all_queries:
        lines.append(
            f"| {q.label} | {q.rows[small]} / {q.rows[large]} | {median(q.timings[small]):.3f} "
            f"| {median(q.timings[large]):.3f} | {median(q.round_trips[small]):.3f} "
            f"| {median(q.round_trips[large]):.3f} | {verdict(q, all_queries, small, large)} |"
        )
    lines += ["", "## Plans (EXPLAIN (ANALYZE, BUFFERS), the last run of each)", ""]
    for q in all_queries:
        for d in datasets:
            lines += [f"### {q.label}: {d.label}", "", "```", q.plans[d.label], "```", ""]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/scale.sh",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--small", type=int, default=10_000, help="products in the small data set")
    parser.add_argument("--large", type=int, default=1_000_000, help="products in the large data set")
    parser.add_argument("--small-movements", type=int, default=100_000, help="movements in the small set")
    parser.add_argument("--large-movements", type=int, default=10_000_000, help="movements in the large set")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each query per size")
    parser.add_argument(
        "--database", default="inventory_bench_scale", help="prefix of the two databases (kept)"
    )
    parser.add_argument("--reload", action="store_true", help="load the data again even if it is there")
    parser.add_argument(
        "--report", default=str(ROOT / "bench" / "results" / "scale.md"), help="markdown report"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    sizes = ((args.small, args.small_movements), (args.large, args.large_movements))
    if any(movements % products for products, movements in sizes):
        say("Error: the movements must be a multiple of the products (each product gets as many)")
        return 2
    datasets = [
        Dataset(
            f"{products:,} / {movements:,}",
            products,
            movements,
            ensure_database(f"{args.database}_{products}_{movements}").owner,
        )
        for products, movements in sizes
    ]
    notes = []
    for dataset in datasets:
        say(f"Preparing {dataset.label} products / movements ...")
        note = asyncio.run(load(dataset, args.reload))
        asyncio.run(check_ledger(dataset))
        say(f"  {note}")
        notes.append(
            f"{dataset.label} products / movements: {note}; ledger invariant checked on every 997th product"
        )
    all_queries = queries()
    say("Timing the queries ...")
    asyncio.run(measure(all_queries, datasets, args.repeat))
    command = "bench/scale.sh " + shlex.join(
        [
            *("--small", str(args.small), "--small-movements", str(args.small_movements)),
            *("--large", str(args.large), "--large-movements", str(args.large_movements)),
            *("--repeat", str(args.repeat)),
        ]
    )
    text = report(all_queries, datasets, notes, command, args.repeat)
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(text + "\n")
    print(text.split("\n## Plans")[0])
    say(
        f"\nReport: {args.report}. Done in {(time.monotonic() - started) / 60:.1f} min."
        f" Reproduce with:\n  {command}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
