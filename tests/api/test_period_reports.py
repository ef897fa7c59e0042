"""`GET /reports/valuation/series`, `GET /reports/sales` and `GET /reports/valuation.csv`: every
figure checked against the ledger replayed in Python, in UTC and in a zone a quarter-hour off
the hour, folded or not, with archived products left out, and every refusal a 422."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from httpx import AsyncClient

from tests.support.history import shift_history
from tests.support.payloads import create_product

CENT = Decimal("0.01")


def cents(amount: Decimal) -> str:
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


async def move(client: AsyncClient, product: dict[str, Any], **body: Any) -> None:
    response = await client.post(f"/products/{product['id']}/stock", json=body)
    assert response.status_code == 200, response.text


async def report(client: AsyncClient, path: str, **params: str) -> list[dict[str, Any]]:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


async def a_week_of_trade(client: AsyncClient, db: asyncpg.Connection) -> dict[str, Any]:
    """Receipts and sales spread over the last five days and today; returns an archived product."""
    teapot = await create_product(client, name="Teapot", price="5.00", quantity=10, unit_cost="2.00")
    await move(client, teapot, delta=-3, reason="sold")
    await shift_history(db, timedelta(days=3))
    await move(client, teapot, delta=5, reason="received", unit_cost="3.50")
    mug = await create_product(client, name="Mug", price="1.99", quantity=8, unit_cost="0.333")
    await move(client, mug, delta=-2, reason="sold", unit_price="2.49")
    await move(client, teapot, delta=1, reason="returned")
    gone = await create_product(client, name="Gone", price="9.00", quantity=4, unit_cost="4")
    await move(client, gone, delta=-1, reason="sold")
    await shift_history(db, timedelta(days=2, hours=5, minutes=45))
    await move(client, teapot, delta=-2, reason="sold", unit_price="6.00")
    await move(client, mug, delta=-1, reason="damaged")
    assert (await client.delete(f"/products/{gone['id']}")).status_code == 204
    return gone


async def ledger(db: asyncpg.Connection, leaving_out: int) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT created_at, reason, delta, value_delta, unit_price FROM stock_movements"
        " WHERE product_id <> $1 ORDER BY id",
        leaving_out,
    )


def local_days(since: date, until: date, zone: ZoneInfo) -> list[datetime]:
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    return [datetime(day.year, day.month, day.day, tzinfo=zone) for day in days]


@pytest.mark.parametrize("tz", ["UTC", "Asia/Kathmandu"])
async def test_each_day_shows_the_totals_at_its_end_and_what_it_sold(
    client: AsyncClient, db: asyncpg.Connection, tz: str
) -> None:
    gone = await a_week_of_trade(client, db)
    zone = ZoneInfo(tz)
    today = datetime.now(zone).date()
    since, until = today - timedelta(days=6), today + timedelta(days=1)
    bounds = local_days(since, until, zone)
    movements = await ledger(db, leaving_out=gone["id"])
    params = {"since": since.isoformat(), "until": until.isoformat(), "tz": tz}

    async def both() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return (
            await report(client, "/reports/valuation/series", **params),
            await report(client, "/reports/sales", **params),
        )

    series, sales = await both()
    now = datetime.now(UTC)
    assert [datetime.fromisoformat(point["at"]) for point in series[:-1]] == bounds[1:-1]
    assert datetime.fromisoformat(series[-1]["at"]) <= now < bounds[-1]  # today: as it stands
    for point, end in zip(series, bounds[1:], strict=True):
        before = [m for m in movements if m["created_at"] < end]
        assert (point["quantity"], point["value"]) == (
            sum(m["delta"] for m in before),
            cents(sum((m["value_delta"] for m in before), Decimal(0))),
        )
    assert [datetime.fromisoformat(period["period_start"]) for period in sales] == bounds[:-1]
    for period, start, end in zip(sales, bounds, bounds[1:], strict=False):
        sold = [m for m in movements if m["reason"] == "sold" and start <= m["created_at"] < end]
        revenue = sum((-m["delta"] * m["unit_price"] for m in sold), Decimal(0))
        cost = sum((-m["value_delta"] for m in sold), Decimal(0))
        assert period == {
            "period_start": period["period_start"],
            "units_sold": -sum(m["delta"] for m in sold),
            "revenue": cents(revenue),
            "cost_of_goods": cents(cost),
            "margin": cents(revenue - cost),
        }
    assert sum(period["units_sold"] for period in sales) == 3 + 2 + 2  # the archived sale left out
    assert sum(1 for period in sales if period["units_sold"] == 0) >= 4  # the quiet days are there

    await db.execute("SELECT stock_value_fold()")
    assert (await both())[1] == sales
    assert [point["value"] for point in (await both())[0]] == [point["value"] for point in series]


async def test_weeks_and_months_begin_where_the_calendar_says(client: AsyncClient) -> None:
    await create_product(client, name="Teapot", quantity=3, unit_cost="1.50")
    weeks = await report(
        client,
        "/reports/valuation/series",
        since="2026-11-04",
        until="2026-11-17",
        bucket="week",
        tz="Europe/Paris",
    )
    assert [point["at"] for point in weeks] == ["2026-11-09T00:00:00+01:00", "2026-11-16T00:00:00+01:00"]
    assert {(point["quantity"], point["value"]) for point in weeks} == {(0, "0.00")}  # before it existed
    months = await report(
        client, "/reports/sales", since="2026-01-31T23:30:00-02:00", until="2026-04-01", bucket="month"
    )
    assert [period["period_start"] for period in months] == [
        "2026-02-01T00:00:00Z",
        "2026-03-01T00:00:00Z",
    ]
    future = await report(
        client,
        "/reports/valuation/series",
        since=date.today().isoformat(),
        until="2030-01-01",
        bucket="month",
    )
    assert (future[0]["quantity"], future[0]["value"], future[-1]["value"]) == (3, "4.50", "4.50")


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"since": "2026-11-01", "until": "2026-12-01", "tz": "Mars/Olympus"}, "unknown time zone"),
        ({"since": "2026-11-01", "until": "2026-11-01"}, "until must be in a later day"),
        ({"since": "2026-11-03T10:00:00Z", "until": "2026-11-03T20:00:00Z"}, "until must be in a later day"),
        ({"since": "2026-12-01", "until": "2026-11-01"}, "until must be in a later day"),
        ({"since": "2020-01-01", "until": "2026-01-01"}, "at most 1000"),
        ({"since": "2026-11-01T10:00", "until": "2026-12-01"}, "timezone"),
        ({"since": "2026-11-01", "until": "2026-12-01", "bucket": "year"}, "'day', 'week' or 'month'"),
        ({"until": "2026-12-01"}, "Field required"),
    ],
)
@pytest.mark.parametrize("path", ["/reports/sales", "/reports/valuation/series"])
async def test_a_period_report_refuses_what_it_cannot_answer(
    client: AsyncClient, path: str, params: dict[str, str], says: str
) -> None:
    response = await client.get(path, params=params)
    assert response.status_code == 422
    assert says in str(response.json()["detail"])


async def test_the_valuation_csv_lists_each_product_with_stock_now_or_then(
    client: AsyncClient, db: asyncpg.Connection
) -> None:
    guarded = await create_product(client, name="=HYPERLINK(1)", sku="EVIL-1", quantity=3, unit_cost="0.3333")
    emptied = await create_product(client, name="Teapot", quantity=4, unit_cost="2.125")
    await create_product(client, name="Never stocked", quantity=0, unit_cost="1")
    gone = await create_product(client, name="Gone", quantity=2, unit_cost="1")
    assert (await client.delete(f"/products/{gone['id']}")).status_code == 204
    await shift_history(db, timedelta(hours=2))
    await move(client, emptied, delta=-4, reason="sold")
    await move(client, guarded, delta=2, reason="received", unit_cost="1.00")

    async def rows(**params: str) -> list[list[str]]:
        response = await client.get("/reports/valuation.csv", params=params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert response.content.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    header = ["product_id", "name", "sku", "quantity", "average_cost", "value"]
    assert await rows() == [header, [str(guarded["id"]), "'=HYPERLINK(1)", "EVIL-1", "5", "0.6000", "3.00"]]
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert await rows(at=an_hour_ago) == [
        header,
        [str(guarded["id"]), "'=HYPERLINK(1)", "EVIL-1", "3", "0.3333", "1.00"],
        [str(emptied["id"]), "Teapot", emptied["sku"] or "", "4", "2.1250", "8.50"],
    ]
    assert await rows(at="2000-01-01T00:00:00+00:00") == [header]
