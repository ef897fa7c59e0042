"""GET /products/{id}/movements and GET /movements: newest first, filters, before_id and Link."""

from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
import pytest
from httpx import AsyncClient

from tests.support.payloads import create_product
from tests.support.sql import backdate


async def moves(client: AsyncClient, product_id: int, *deltas_and_reasons: tuple[int, str]) -> None:
    for delta, reason in deltas_and_reasons:
        response = await client.post(f"/products/{product_id}/stock", json={"delta": delta, "reason": reason})
        assert response.status_code == 200, response.text


async def every_page(client: AsyncClient, url: str) -> tuple[list[dict[str, Any]], int]:
    """Follow the Link headers from `url`: all the movements, and how many pages they took."""
    collected: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    while next_url is not None:
        response = await client.get(next_url)
        assert response.status_code == 200, response.text
        collected += response.json()
        pages += 1
        next_url = response.links.get("next", {}).get("url")
    return collected, pages


async def test_a_products_history_is_newest_first(client: AsyncClient) -> None:
    product = await create_product(client, quantity=5)
    await moves(client, product["id"], (10, "received"), (-3, "sold"))
    await client.post(f"/products/{product['id']}/count", json={"counted": 11, "note": "shelf"})
    response = await client.get(f"/products/{product['id']}/movements")
    assert response.status_code == 200
    assert "link" not in response.headers
    history = response.json()
    assert [(m["reason"], m["delta"], m["quantity_after"], m["note"]) for m in history] == [
        ("count", -1, 11, "shelf"),
        ("sold", -3, 12, ""),
        ("received", 10, 15, ""),
        ("initial", 5, 5, ""),
    ]
    assert [m["id"] for m in history] == sorted((m["id"] for m in history), reverse=True)
    assert set(history[0]) == {
        "id",
        "product_id",
        "location_id",
        "delta",
        "quantity_after",
        "reason",
        "note",
        "transfer_id",
        "batch_id",
        "unit_cost",
        "value_delta",
        "unit_price",
        "created_at",
    }
    assert {m["product_id"] for m in history} == {product["id"]}
    assert datetime.fromisoformat(history[0]["created_at"]).utcoffset() is not None


async def test_a_product_without_movements_and_a_missing_product(client: AsyncClient) -> None:
    product = await create_product(client, quantity=0)
    assert (await client.get(f"/products/{product['id']}/movements")).json() == []
    missing = await client.get("/products/999/movements")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Product not found"}
    assert (await client.get(f"/products/{product['id']}/movements?before_id=1")).json() == []


async def test_pages_follow_the_link_header_to_the_end(client: AsyncClient) -> None:
    product = await create_product(client, quantity=1)
    await moves(client, product["id"], *[(1, "received")] * 6)
    everything = (await client.get(f"/products/{product['id']}/movements")).json()
    assert len(everything) == 7
    first = await client.get(f"/products/{product['id']}/movements?limit=3")
    assert first.json() == everything[:3]
    link = first.links["next"]["url"]
    assert httpx.URL(link).params["before_id"] == str(everything[2]["id"])
    assert httpx.URL(link).params["limit"] == "3"
    paged, pages = await every_page(client, f"/products/{product['id']}/movements?limit=3")
    assert (paged, pages) == (everything, 3)
    exact, pages = await every_page(client, f"/products/{product['id']}/movements?limit=7")
    assert (exact, pages) == (everything, 1)


async def test_all_movements_with_filters(client: AsyncClient) -> None:
    first = await create_product(client, name="First", quantity=2)
    second = await create_product(client, name="Second", quantity=0)
    await moves(client, first["id"], (-1, "sold"), (3, "returned"))
    await moves(client, second["id"], (4, "received"), (-1, "sold"), (-2, "damaged"))
    everything = (await client.get("/movements")).json()
    assert [(m["product_id"], m["reason"]) for m in everything] == [
        (second["id"], "damaged"),
        (second["id"], "sold"),
        (second["id"], "received"),
        (first["id"], "returned"),
        (first["id"], "sold"),
        (first["id"], "initial"),
    ]
    by_product = (await client.get(f"/movements?product_id={second['id']}")).json()
    assert by_product == everything[:3]
    sold = (await client.get("/movements?reason=sold")).json()
    assert [m["id"] for m in sold] == [everything[1]["id"], everything[4]["id"]]
    out = (await client.get("/movements", params=[("reason", "sold"), ("reason", "damaged")])).json()
    assert [m["id"] for m in out] == [everything[0]["id"], everything[1]["id"], everything[4]["id"]]
    mine = await client.get(f"/movements?reason=sold&product_id={first['id']}")
    assert [m["id"] for m in mine.json()] == [everything[4]["id"]]
    assert (await client.get("/movements?product_id=999")).json() == []


async def test_the_link_keeps_every_filter(client: AsyncClient) -> None:
    product = await create_product(client, quantity=0)
    await moves(client, product["id"], *[(2, "received"), (-1, "sold"), (1, "returned")] * 3)
    url = (
        f"/movements?reason=sold&reason=returned&product_id={product['id']}"
        "&since=2000-01-01T00:00:00Z&limit=2"
    )
    response = await client.get(url)
    params = httpx.URL(response.links["next"]["url"]).params
    assert params.get_list("reason") == ["sold", "returned"]
    assert params["product_id"] == str(product["id"])
    assert params["since"] == "2000-01-01T00:00:00Z"
    paged, pages = await every_page(client, url)
    assert [m["reason"] for m in paged] == ["returned", "sold"] * 3
    assert pages == 3


async def test_since_is_inclusive_and_until_exclusive(client: AsyncClient, db: asyncpg.Connection) -> None:
    product = await create_product(client, quantity=0)
    await moves(client, product["id"], (1, "received"), (1, "received"), (1, "received"))
    ids = [row["id"] for row in await db.fetch("SELECT id FROM stock_movements ORDER BY id")]
    instants = ["2026-12-01T23:59:59.999999Z", "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z"]
    for movement_id, instant in zip(ids, instants, strict=True):
        await backdate(db, movement_id, datetime.fromisoformat(instant))

    async def found(**params: str) -> list[int]:
        response = await client.get("/movements", params=params)
        assert response.status_code == 200, response.text
        return [m["id"] for m in response.json()]

    assert await found(since="2026-12-02T00:00:00Z") == [ids[2], ids[1]]
    assert await found(until="2026-12-02T00:00:00Z") == [ids[0]]
    assert await found(since="2026-12-02T00:00:00Z", until="2026-12-03T00:00:00Z") == [ids[1]]
    assert await found(since="2026-12-02T01:00:00+01:00", until="2026-12-03T00:00:00.000001+00:00") == [
        ids[2],
        ids[1],
    ]
    assert await found(since="2026-12-04T00:00:00Z") == []


async def test_todays_sales(client: AsyncClient) -> None:
    product = await create_product(client, quantity=5)
    await moves(client, product["id"], (-1, "sold"), (2, "received"))
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    response = await client.get(f"/movements?reason=sold&since={today:%Y-%m-%dT%H:%M:%SZ}")
    assert [(m["reason"], m["delta"], m["quantity_after"]) for m in response.json()] == [("sold", -1, 4)]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=1001",
        "limit=x",
        "before_id=0",
        "before_id=9223372036854775808",
        "product_id=0",
        "reason=stolen",
        "reason=sold&reason=",
        "since=2026-12-03T00:00:00",
        "since=2026-12-03",
        "since=yesterday",
        "until=2026-13-01T00:00:00Z",
    ],
)
async def test_invalid_movement_queries_are_422(client: AsyncClient, query: str) -> None:
    response = await client.get(f"/movements?{query}")
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    if not query.startswith(("product_id", "reason", "since", "until")):
        product = await create_product(client, quantity=1)
        assert (await client.get(f"/products/{product['id']}/movements?{query}")).status_code == 422


async def test_limit_bounds(client: AsyncClient) -> None:
    product = await create_product(client, quantity=1)
    await moves(client, product["id"], (1, "received"))
    assert len((await client.get("/movements?limit=1")).json()) == 1
    assert len((await client.get("/movements?limit=1000")).json()) == 2
