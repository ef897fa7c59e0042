"""The owner's money in a real browser: a product added with its unit cost, a receipt at a new
cost, the history's average cost and value, and the reports view (value now, the 90-day chart,
sales per day and week, the valuation CSV), each figure checked against the API and PostgreSQL."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient
from selenium.webdriver.support.ui import Select

from tests.browser.shop import Shop
from tests.support.history import shift_history
from tests.support.payloads import create_product

pytestmark = [pytest.mark.browser, pytest.mark.server]


async def test_a_receipt_at_its_cost_moves_the_average_the_history_shows(
    shop: Shop, db: asyncpg.Connection
) -> None:
    shop.open()
    shop.add_product(name="Teapot", price="4.00", quantity="10", **{"unit-cost": "2.00"})
    shop.status("Added Teapot.")
    shop.act("Teapot", "receive")
    shop.wait_open("stock-dialog")
    assert shop.visible("stock-unit-cost").get_attribute("placeholder") == "2.0000"
    shop.fill("stock-quantity", "5")
    shop.fill("stock-unit-cost", "3.50")
    shop.by_id("stock-submit").click()
    shop.status("Received 5 × Teapot; on hand now 15.")
    shop.stock("Teapot", "sell", 3)
    shop.status("Sold 3 × Teapot; on hand now 12.")
    shop.act("Teapot", "sell")
    shop.wait_open("stock-dialog")
    assert not shop.by_id("stock-unit-cost").is_displayed()  # only a receipt asks for a cost
    shop.by_id("stock-dialog").find_element("css selector", ".cancel").click()

    product = await db.fetch("SELECT average_cost, stock_value FROM products")
    assert [tuple(row) for row in product] == [(Decimal("2.5000"), Decimal("30.0000"))]
    shop.act("Teapot", "history")
    shop.wait_open("history-dialog")
    assert shop.text_of("history-value", "Average") == "Average cost 2.5000 · stock value 30.0000"
    shop.until(lambda _: len(shop.css("#history-rows tr")) == 3, "three movements")
    shown = [
        (
            row.find_element("css selector", "[data-field=unit_cost]").text,
            row.find_element("css selector", "[data-field=value_delta]").text,
        )
        for row in shop.css("#history-rows tr")
    ]
    stored = await db.fetch("SELECT unit_cost, value_delta FROM stock_movements ORDER BY id DESC")
    assert shown == [(str(row["unit_cost"]), str(row["value_delta"])) for row in stored]
    assert shown == [("2.5000", "-7.5000"), ("3.5000", "17.5000"), ("2.0000", "20.0000")]
    shop.by_id("history-dialog").find_element("css selector", ".cancel").click()
    shop.act("Teapot", "edit")
    shop.wait_open("product-dialog")
    assert shop.text_of("product-value", "Average") == "Average cost 2.5000 · stock value 30.0000"


async def api(client: AsyncClient, path: str, **params: str) -> Any:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def local_date(shop: Shop, days: int) -> str:
    """The browser's local date `days` from today (the page asks for its own days)."""
    script = (
        "const d = new Date(); d.setDate(d.getDate() + arguments[0]); return d.toLocaleDateString('sv-SE');"
    )
    return str(shop.js(script, days))


async def test_the_reports_show_what_the_api_answers(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    teapot = await create_product(client, name="Teapot", price="5.00", quantity=20, unit_cost="2.00")
    mug = await create_product(client, name="Mug", price="1.99", quantity=30, unit_cost="0.75")
    for product, delta in ((teapot, -4), (mug, -10)):
        move = {"delta": delta, "reason": "sold"}
        assert (await client.post(f"/products/{product['id']}/stock", json=move)).status_code == 200
    await shift_history(db, timedelta(days=9))
    move = {"delta": -2, "reason": "sold", "unit_price": "6.00"}
    assert (await client.post(f"/products/{teapot['id']}/stock", json=move)).status_code == 200
    shop.open()
    tz = str(shop.js("return Intl.DateTimeFormat().resolvedOptions().timeZone"))

    shop.by_id("reports-open").click()
    shop.wait_open("reports-dialog")
    now = await api(client, "/reports/valuation")
    assert shop.text_of("value-now", ".") == now["value"] == "43.00"  # 14 at 2.00, 20 at 0.75
    assert shop.by_id("value-detail").text == "for 34 units of 2 products"

    series = await api(
        client, "/reports/valuation/series", since=local_date(shop, -89), until=local_date(shop, 1), tz=tz
    )
    charted = shop.until(
        lambda _: shop.js("const c = Chart.getChart('value-chart'); return c && c.data.datasets[0].data"),
        "the value chart",
    )
    assert charted == [float(point["value"]) for point in series]
    assert len(series) == 90
    assert series[0]["value"] == "0.00"
    assert series[-1]["value"] == now["value"]

    def table() -> list[tuple[str, ...]]:
        cells = ("units_sold", "revenue", "cost_of_goods", "margin")
        return [
            (
                row.get_attribute("data-period-start") or "",
                *(row.find_element("css selector", f"[data-field={c}]").text for c in cells),
            )
            for row in shop.css("#sales-rows tr")
        ]

    def answered(periods: list[dict[str, Any]]) -> list[tuple[str, ...]]:
        fields = ("period_start", "units_sold", "revenue", "cost_of_goods", "margin")
        return [tuple(str(period[f]) for f in fields) for period in reversed(periods)]  # newest first

    days = await api(client, "/reports/sales", since=local_date(shop, -13), until=local_date(shop, 1), tz=tz)
    shop.until(lambda _: table() == answered(days), "the daily sales table")
    assert answered(days)[0][1:] == ("2", "12.00", "4.00", "8.00")  # today: 2 teapots at 6.00
    assert ("14", "39.90", "15.50", "24.40") in [row[1:] for row in answered(days)]  # nine days ago

    Select(shop.by_id("sales-bucket")).select_by_value("week")
    weeks = await api(
        client, "/reports/sales", since=local_date(shop, -77), until=local_date(shop, 7), bucket="week", tz=tz
    )
    shop.until(lambda _: table() == answered(weeks), "the weekly sales table")
    assert len(weeks) == 12
    assert sum(period["units_sold"] for period in weeks) == 16
