"""Bad input gets a 422 with FastAPI's validation shape, never a 500, and changes nothing."""

import json
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from tests.support.payloads import product_payload

JSON = {"content-type": "application/json"}

BAD_BODIES: list[tuple[str, dict[str, Any], str]] = [
    ("missing name", product_payload(name=...), "name"),
    ("missing description", product_payload(description=...), "description"),
    ("missing price", product_payload(price=...), "price"),
    ("missing quantity", product_payload(quantity=...), "quantity"),
    ("unknown key", product_payload(quantiy=3), "quantiy"),
    ("null name", product_payload(name=None), "name"),
    ("name not a string", product_payload(name=12), "name"),
    ("empty name", product_payload(name=""), "name"),
    ("blank name", product_payload(name=" \t\n "), "name"),
    ("name too long", product_payload(name="n" * 201), "name"),
    ("NUL in name", product_payload(name="Wid\x00get"), "name"),
    ("lone surrogate in name", product_payload(name="Wid\ud800get"), "name"),
    ("NUL in description", product_payload(description="a\x00b"), "description"),
    ("description too long", product_payload(description="d" * 2001), "description"),
    ("negative price", product_payload(price="-0.01"), "price"),
    ("price too large", product_payload(price="10000000000.00"), "price"),
    ("three decimals", product_payload(price="1.999"), "price"),
    ("float with three decimals", product_payload(price=1.005), "price"),
    ("NaN price", product_payload(price="NaN"), "price"),
    ("infinite price", product_payload(price="Infinity"), "price"),
    ("boolean price", product_payload(price=True), "price"),
    ("price not a number", product_payload(price="cheap"), "price"),
    ("negative quantity", product_payload(quantity=-1), "quantity"),
    ("quantity beyond INTEGER", product_payload(quantity=2_147_483_648), "quantity"),
    ("huge quantity", product_payload(quantity=10**40), "quantity"),
    ("fractional quantity", product_payload(quantity=1.5), "quantity"),
    ("boolean quantity", product_payload(quantity=True), "quantity"),
    ("string quantity", product_payload(quantity="5"), "quantity"),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD_BODIES, ids=[case for case, _, _ in BAD_BODIES])
async def test_invalid_body_is_refused_and_changes_nothing(
    client: AsyncClient, db: asyncpg.Connection, case: str, body: dict[str, Any], field: str
) -> None:
    # json.dumps escapes non-ASCII, so even a lone surrogate travels as valid JSON text.
    response = await client.post("/products", content=json.dumps(body), headers=JSON)
    assert response.status_code == 422, case
    detail = response.json()["detail"]
    assert [error["loc"] for error in detail] == [["body", field]]
    assert all(error["msg"] for error in detail)
    assert await db.fetchval("SELECT count(*) FROM products") == 0


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"a string"', "application/json"),
        (b"null", "application/json"),
        (b'{"name": "x"}' * 1000, "application/json"),
        (b"name=Widget&price=1", "application/x-www-form-urlencoded"),
        (b'{"name": "Widget", "description": "", "price": "1", "quantity": 1}', "text/plain"),
    ],
)
async def test_malformed_request_gets_422(
    client: AsyncClient, db: asyncpg.Connection, content: bytes, content_type: str
) -> None:
    response = await client.post("/products", content=content, headers={"content-type": content_type})
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)
    assert await db.fetchval("SELECT count(*) FROM products") == 0


async def test_body_that_is_not_utf8_gets_400(client: AsyncClient, db: asyncpg.Connection) -> None:
    body = b'{"name": "\xff\xfe", "description": "", "price": "1", "quantity": 1}'
    response = await client.post("/products", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}
    assert await db.fetchval("SELECT count(*) FROM products") == 0


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=1001",
        "limit=abc",
        "offset=-1",
        "offset=99999999999999999999",
        "min_price=-1",
        "max_price=NaN",
        "min_price=abc",
        "max_quantity=-1",
        "max_quantity=2147483648",
        "q=%00",
        "q=" + "x" * 201,
    ],
)
async def test_invalid_query_gets_422(client: AsyncClient, query: str) -> None:
    response = await client.get(f"/products?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"
