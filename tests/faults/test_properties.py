"""Hypothesis on the validators: whatever a client sends, either it validates into something
PostgreSQL stores exactly as validated, or the API refuses it with 422. Never a 500.

Each example goes through the real app into the test database; the validators' own verdict
(pydantic, on the same parsed JSON) must match the HTTP answer.
"""

import itertools
import json
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.core.validation import INT4_MAX, gtin_check_digit
from app.schemas import ProductCreate, StockAdjustment
from tests.support.payloads import create_product, product_payload
from tests.support.sql import one_row

pytestmark = pytest.mark.slow

BOUNDED = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
JSON = {"content-type": "application/json"}

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
texts = st.one_of(
    st.text(max_size=250),
    st.text(st.characters(exclude_categories=()), max_size=30),  # with lone surrogates
    st.text(" \t\n\r\x0b\x0c\x00\x85\xa0\u2028\u3000aZé'%_;", max_size=30),  # spaces, NUL, quotes
    st.text(max_size=5).map(lambda core: " " + core * 67 + "\n"),  # long after trimming
    anything,
)
prices = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=-1, max_value=Decimal("1e11"), places=2).map(str),
    st.decimals(min_value=0, max_value=Decimal("1e11"), places=3).map(float),
    anything,
)
quantities = st.one_of(st.integers(-5, 5), st.integers(INT4_MAX - 2, INT4_MAX + 2), anything)
skus = st.one_of(st.none(), st.from_regex(r"\s?[A-Za-z0-9._/-]{1,66}\s?", fullmatch=True), texts)
barcodes = st.one_of(
    st.none(),
    st.from_regex(r"[0-9]{7}|[0-9]{11,13}", fullmatch=True).map(
        lambda body: body + str(gtin_check_digit(body))
    ),
    st.from_regex(r"\s?[0-9]{6,15}\s?", fullmatch=True),
    texts,
)
# One field at a time from a valid body, so about half the examples are valid, plus all at once.
bodies = st.one_of(
    st.tuples(st.just("name"), texts).map(lambda item: {item[0]: item[1]}),
    st.tuples(st.just("description"), texts).map(lambda item: {item[0]: item[1]}),
    st.tuples(st.just("price"), prices).map(lambda item: {item[0]: item[1]}),
    st.tuples(st.just("quantity"), quantities).map(lambda item: {item[0]: item[1]}),
    st.tuples(st.just("sku"), skus).map(lambda item: {item[0]: item[1]}),
    st.tuples(st.just("barcode"), barcodes).map(lambda item: {item[0]: item[1]}),
    st.tuples(st.just("reorder_level"), quantities).map(lambda item: {item[0]: item[1]}),
    st.fixed_dictionaries(
        {
            "name": texts,
            "description": texts,
            "price": prices,
            "quantity": quantities,
            "sku": skus,
            "barcode": barcodes,
            "reorder_level": quantities,
        }
    ),
)
deltas = st.one_of(st.integers(-(2**31) - 2, 2**31 + 2), st.integers(-3, 3), anything)


def as_parsed_json(body: dict[str, Any]) -> Any:
    """What the server parses from the body we send (json.dumps escapes surrogates as \\udxxx)."""
    return json.loads(json.dumps(body))


def verdict(model: type[ProductCreate | StockAdjustment], body: dict[str, Any]) -> Any:
    try:
        return model.model_validate(as_parsed_json(body))
    except ValidationError:
        return None


unique = itertools.count()


@given(changes=bodies)
@BOUNDED
async def test_create_validates_into_storable_data_or_422(
    client: AsyncClient, db: asyncpg.Connection, changes: dict[str, Any]
) -> None:
    body = product_payload(**{"name": f"Product {next(unique)}", **changes})
    expected = verdict(ProductCreate, body)
    response = await client.post("/products", content=json.dumps(body), headers=JSON)
    event(f"HTTP {response.status_code}")
    if expected is None:
        assert response.status_code == 422, response.text
        return
    if response.status_code == 409:  # an earlier example took the name or a code (case-insensitively)
        assert await db.fetchval(
            "SELECT count(*) FROM products"
            " WHERE lower(name) = lower($1) OR lower(sku) = lower($2) OR barcode = $3",
            expected.name,
            expected.sku,
            expected.barcode,
        )
        return
    assert response.status_code == 201, response.text
    stored = await one_row(
        db,
        "SELECT name, description, price, quantity, sku, barcode, reorder_level, average_cost"
        " FROM products WHERE id = $1",
        response.json()["id"],
    )
    assert stored == expected.columns()
    assert Decimal(response.json()["price"]) == expected.price


@pytest.fixture
async def stocked(client: AsyncClient) -> int:
    product_id: int = (await create_product(client, quantity=1000))["id"]
    return product_id


@given(delta=deltas)
@BOUNDED
async def test_stock_move_applies_exactly_or_refuses(
    client: AsyncClient, db: asyncpg.Connection, stocked: int, delta: Any
) -> None:
    before = await db.fetchval("SELECT quantity FROM products WHERE id = $1", stocked)
    move = verdict(StockAdjustment, {"delta": delta})
    response = await client.post(
        f"/products/{stocked}/stock", content=json.dumps({"delta": delta}), headers=JSON
    )
    after = await db.fetchval("SELECT quantity FROM products WHERE id = $1", stocked)
    event(f"HTTP {response.status_code}")
    if move is None:
        assert (response.status_code, after) == (422, before)
    elif 0 <= before + move.delta <= INT4_MAX:
        assert (response.status_code, after) == (200, before + move.delta)
    else:
        assert (response.status_code, after) == (409, before)


@given(
    params=st.dictionaries(
        st.sampled_from(["limit", "offset", "q", "min_price", "max_price", "max_quantity"]),
        st.one_of(st.text(max_size=30), st.integers().map(str), prices.map(str)),
    )
)
@BOUNDED
async def test_list_filters_answer_200_or_422(client: AsyncClient, params: dict[str, str]) -> None:
    response = await client.get("/products", params=params)
    assert response.status_code in {200, 422}, response.text
