"""`GET /reports/valuation`: the shop's totals now and at any past instant, to the cent, from the
summaries and the ledger, with archived products left out."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import asyncpg
from httpx import AsyncClient

from tests.support.history import shift_history
from tests.support.payloads import create_product

SHIFT = timedelta(days=1, hours=3)  # whole quarter-hours: every bucket stays one


async def valuation(client: AsyncClient, at: datetime | None = None) -> dict[str, object]:
    response = await client.get("/reports/valuation", params={} if at is None else {"at": at.isoformat()})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_an_empty_shop_is_worth_nothing(client: AsyncClient) -> None:
    body = await valuation(client)
    assert (body["products_in_stock"], body["quantity"], body["value"]) == (0, 0, "0.00")
    assert datetime.fromisoformat(str(body["at"])).utcoffset() is not None


async def test_the_valuation_after_every_movement_now_and_a_day_later(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    teapot = await create_product(client, name="Teapot", quantity=10, unit_cost="2.00")
    mug = await create_product(client, name="Mug", quantity=4, unit_cost="1.125")
    gone = await create_product(client, name="Gone", quantity=7, unit_cost="9")
    moves = [
        (teapot, {"delta": 5, "reason": "received", "unit_cost": "3.50"}),
        (teapot, {"delta": -3, "reason": "sold"}),
        (mug, {"delta": -4, "reason": "sold"}),
        (mug, {"delta": 1, "reason": "returned"}),
    ]
    for product, body in moves:
        assert (await client.post(f"/products/{product['id']}/stock", json=body)).status_code == 200
    assert (await client.delete(f"/products/{gone['id']}")).status_code == 204
    rows = await db.fetch(
        "SELECT created_at, product_id, delta, value_delta FROM stock_movements"
        " WHERE product_id <> $1 ORDER BY id",
        gone["id"],
    )
    expected: list[tuple[datetime, int, int, str]] = []
    totals: dict[int, int] = {}
    value = Decimal(0)
    for row in rows:  # what each instant's answer must be, replayed from the ledger
        totals[row["product_id"]] = totals.get(row["product_id"], 0) + row["delta"]
        value += row["value_delta"]
        in_stock = sum(1 for quantity in totals.values() if quantity > 0)
        cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        expected.append((row["created_at"], in_stock, sum(totals.values()), str(cents)))
    assert expected[-1][1:] == (2, 13, "31.13")  # 12 teapots at 2.50, 1 mug at 1.125: half away from 0

    def answers(bodies: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return [(b["products_in_stock"], b["quantity"], b["value"]) for b in bodies]

    now = [await valuation(client, at) for at, *_ in expected]
    assert answers(now) == [tuple(figures) for _, *figures in expected]
    assert answers([await valuation(client)]) == [expected[-1][1:]]

    await db.execute("SELECT stock_value_fold()")
    await shift_history(db, SHIFT)
    before_any = expected[0][0] - SHIFT - timedelta(microseconds=1)
    assert answers([await valuation(client, before_any)]) == [(0, 0, "0.00")]
    then = [await valuation(client, at - SHIFT) for at, *_ in expected]
    assert answers(then) == answers(now)
    an_hour_later = await valuation(client, expected[-1][0] - SHIFT + timedelta(hours=1))
    assert answers([an_hour_later, await valuation(client)]) == [expected[-1][1:]] * 2


async def test_an_instant_needs_its_offset(client: AsyncClient) -> None:
    response = await client.get("/reports/valuation", params={"at": "2026-12-01T10:00:00"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "at"]
