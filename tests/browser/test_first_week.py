"""What a new owner meets in the first week, in a real browser: the list fits a laptop and a
phone with nothing cut off (and does not jump when rows arrive), focus and messages follow the
action, a product can be deleted from the page, the movements of every product answer "what did
I sell today?", history times carry seconds and the zone, and axe-core finds no accessibility
violation on the page or in any dialog."""

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient

from tests.browser.shop import Shop
from tests.support.payloads import add_location, create_product

pytestmark = [pytest.mark.browser, pytest.mark.server]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
LONG_NAME = "Stoneware espresso cup with saucer, speckled"  # 44 characters
SCREENS = {
    "laptop-1024": {"width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": False},
    "laptop-1280": {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
    "phone-375": {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True},
}
CONTROLS = "main button, main input, main select, .toolbar input, .toolbar select, .topbar button, .topbar a"
BOXES = """
return [...document.querySelectorAll(arguments[0])]
  .filter((e) => e.getClientRects().length)
  .map((e) => ({what: e.dataset.testid || e.id || e.textContent.trim(),
                ...e.getBoundingClientRect().toJSON()}));
"""
LAYOUT_SHIFT = """
const done = arguments[arguments.length - 1];
new PerformanceObserver((list) => done(list.getEntries().filter((e) => !e.hadRecentInput)
  .reduce((sum, e) => sum + e.value, 0))).observe({type: "layout-shift", buffered: true});
setTimeout(() => done(0), 1000);  // no shift at all: the observer is never called
"""
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then((result) => done(result.violations.map(
  (v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" "))}))));
"""


async def a_shop(client: AsyncClient) -> list[dict[str, Any]]:
    """A long name, two locations, a low product: what makes rows wide."""
    await add_location(client, "Back room")
    products = [
        await create_product(
            client, name=LONG_NAME, sku="CUP-ESP-90-SAUCER", barcode="4006381333931", quantity=12
        ),
        await create_product(client, name="Milk jug", quantity=2, reorder_level=4),
    ]
    transfer = {"from_location_id": 1, "to_location_id": 2, "quantity": 5}
    assert (await client.post(f"/products/{products[0]['id']}/transfers", json=transfer)).status_code == 200
    return products


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest, shop: Shop) -> Iterator[dict[str, Any]]:
    metrics = SCREENS[request.param]
    shop.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    yield metrics
    shop.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


async def test_nothing_is_cut_off_and_nothing_jumps(
    shop: Shop, client: AsyncClient, screen: dict[str, Any]
) -> None:
    await a_shop(client)
    shop.open()
    shop.until(lambda _: "Back room" in shop.cell(LONG_NAME, "levels"), "the levels")
    width = screen["width"]
    assert shop.js("return [document.documentElement.scrollWidth, window.innerWidth]") == [width, width]
    boxes = shop.js(BOXES, CONTROLS)
    assert isinstance(boxes, list)
    assert len(boxes) > 20
    cut = [box["what"] for box in boxes if not (box["left"] >= 0 and box["right"] <= width)]
    assert cut == []
    assert shop.row(LONG_NAME).find_element("css selector", "td.name").get_attribute("title") == (
        f"{LONG_NAME}: A small widget"
    )
    shift = shop.driver.execute_async_script(LAYOUT_SHIFT)
    assert shift < 0.01
    if width == SCREENS["laptop-1024"]["width"]:
        shop.screenshot("list-1024")


async def test_after_adding_a_product_the_focus_and_the_message_are_where_it_is(
    shop: Shop, client: AsyncClient
) -> None:
    for n in range(30):
        await create_product(client, name=f"Product {n:02}")
    shop.open()
    shop.add_product(name="Zebra mug", price="4.50")
    shop.status("Added Zebra mug.")
    shop.until(
        lambda _: shop.focused() == "action-receive",
        f"the new row's first button has the focus, not {shop.focused()!r}",
    )
    focused_row = shop.js("return document.activeElement.closest('tr').dataset.productId")
    assert focused_row == str(shop.row("Zebra mug").get_attribute("data-product-id"))
    box = shop.js("return document.getElementById('status').getBoundingClientRect().toJSON()")
    assert isinstance(box, dict)
    assert box["top"] >= 0
    assert box["bottom"] <= shop.js("return window.innerHeight")


async def test_a_product_is_deleted_from_its_row_after_a_confirmation(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    jug = await create_product(client, name="Milk jug", quantity=3)
    await create_product(client, name="Teapot")
    shop.open()
    shop.act("Milk jug", "delete")
    shop.wait_open("delete-dialog")
    assert "Delete Milk jug?" in shop.by_id("delete-text").text
    shop.screenshot("delete-confirm")
    assert shop.js("return document.activeElement.textContent") == "Keep it"  # the safe choice
    shop.by_id("delete-dialog").find_element("css selector", ".cancel").click()
    shop.wait_open("delete-dialog", False)
    assert await db.fetchval("SELECT archived_at FROM products WHERE id = $1", jug["id"]) is None
    shop.act("Milk jug", "delete")
    shop.wait_open("delete-dialog")
    shop.by_id("delete-confirm").click()
    assert shop.status("Deleted") == "Deleted Milk jug; its history stays."
    shop.until(lambda _: shop.names() == ["Teapot"], "the row is gone")
    assert shop.by_id("page-info").text == "Products 1–1 of 1"
    assert await db.fetchval("SELECT archived_at IS NOT NULL FROM products WHERE id = $1", jug["id"])
    assert await db.fetchval("SELECT count(*) FROM stock_movements WHERE product_id = $1", jug["id"]) == 1


async def test_todays_sales_of_every_product_at_one_click(shop: Shop, client: AsyncClient) -> None:
    cup = await create_product(client, name="Espresso cup", quantity=10)
    jug = await create_product(client, name="Milk jug", quantity=5)
    for product, delta in ((cup, -2), (jug, -1), (cup, -3)):
        sale = {"delta": delta, "reason": "sold", "note": "Till 1"}
        assert (await client.post(f"/products/{product['id']}/stock", json=sale)).status_code == 200
    assert (await client.delete(f"/products/{jug['id']}")).status_code == 204
    shop.open()
    shop.by_id("movements-open").click()
    shop.wait_open("movements-dialog")
    shop.until(lambda _: len(shop.css("#movements-rows tr")) == 5, "every movement: 2 initial, 3 sold")

    def shown() -> list[tuple[str, str]]:
        cells = ("product", "delta")
        return [
            tuple(row.find_element("css selector", f"[data-field={cell}]").text for cell in cells)  # type: ignore[misc]
            for row in shop.css("#movements-rows tr")
        ]

    shop.by_id("movements-today").click()
    shop.until(lambda _: len(shown()) == 3, "today's sales")
    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    answer = (await client.get("/movements", params={"reason": "sold", "since": today.isoformat()})).json()
    names = {cup["id"]: "Espresso cup", jug["id"]: f"Product {jug['id']} (deleted)"}
    assert shown() == [(names[move["product_id"]], f"−{-move['delta']}") for move in answer]
    assert shown() == [
        ("Espresso cup", "−3"),
        (f"Product {jug['id']} (deleted)", "−1"),
        ("Espresso cup", "−2"),
    ]
    shop.screenshot("movements-today")


async def test_history_times_show_seconds_and_the_zone(shop: Shop, client: AsyncClient) -> None:
    await create_product(client, name="Teapot", quantity=1)
    shop.open()
    shop.act("Teapot", "history")
    shop.wait_open("history-dialog")
    when = shop.until(lambda _: next(iter(shop.css("#history-rows time")), None), "a movement").text
    assert re.search(r"\d:\d\d:\d\d", when), when
    assert re.search(r"UTC|GMT|[A-Z]{3,4}|[+-]\d", when), when


DIALOGS = {
    "add-product": "product-dialog",
    "locations-open": "locations-dialog",
    "movements-open": "movements-dialog",
    "reports-open": "reports-dialog",
    "import-open": "import-dialog",
}
ROW_DIALOGS = {
    "receive": "stock-dialog",
    "transfer": "transfer-dialog",
    "history": "history-dialog",
    "delete": "delete-dialog",
}


async def test_axe_finds_no_violation_on_the_page_or_in_a_dialog(shop: Shop, client: AsyncClient) -> None:
    await a_shop(client)
    shop.open()
    shop.until(lambda _: "Back room" in shop.cell(LONG_NAME, "levels"), "the levels")
    shop.js(AXE)
    found = {"page": shop.driver.execute_async_script(AXE_RUN)}
    openers: list[tuple[str | None, str | None, str]] = [
        (button, None, dialog) for button, dialog in DIALOGS.items()
    ]
    openers += [(None, action, dialog) for action, dialog in ROW_DIALOGS.items()]
    for button, action, dialog in openers:
        if button:
            shop.by_id(button).click()
        else:
            shop.act("Milk jug", str(action))
        shop.wait_open(dialog)
        found[dialog] = shop.driver.execute_async_script(AXE_RUN)
        shop.by_id(dialog).find_element("css selector", ".cancel").click()
        shop.wait_open(dialog, False)
    assert {where: violations for where, violations in found.items() if violations} == {}
