"""A day at the till in a real browser: sell, try to sell more than there is, receive, mark
damaged, count, read the history; then the quantities and the ledger PostgreSQL holds."""

from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient
from selenium.webdriver.common.keys import Keys

from tests.browser.shop import Shop
from tests.support.payloads import create_product

pytestmark = [pytest.mark.browser, pytest.mark.server]


async def ledger(db: asyncpg.Connection) -> list[tuple[Any, ...]]:
    rows = await db.fetch("SELECT reason, delta, quantity_after, note FROM stock_movements ORDER BY id")
    return [tuple(row) for row in rows]


async def test_sell_receive_damage_and_count_from_the_list(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, name="Espresso cup", quantity=5)
    shop.open()

    shop.stock("Espresso cup", "sell", 2, note="Till 1")
    shop.wait_open("stock-dialog", False)
    assert shop.status("Sold") == "Sold 2 × Espresso cup; on hand now 3."
    assert shop.cell("Espresso cup", "quantity") == "3"

    shop.act("Espresso cup", "sell")
    shop.wait_open("stock-dialog")
    shop.fill("stock-quantity", "5")
    assert shop.by_id("stock-preview").text == "Only 3 on hand: not enough for that."
    shop.by_id("stock-submit").click()
    assert "Not enough stock" in shop.text_of("stock-error", "3 on hand")
    assert shop.is_open("stock-dialog")
    shop.screenshot("sell-not-enough-stock")
    assert await db.fetchval("SELECT quantity FROM products") == 3
    shop.by_id("stock-dialog").find_element("css selector", ".cancel").click()

    shop.stock("Espresso cup", "receive", 10, note="Delivery 4711")
    shop.status("Received 10 × Espresso cup; on hand now 13.")
    shop.stock("Espresso cup", "damaged", 1)
    shop.status("Marked damaged: 1 × Espresso cup; on hand now 12.")
    shop.stock("Espresso cup", "count", 11, note="Shelf count")
    shop.status("Counted 11 of Espresso cup; on hand now 11.")
    assert shop.cell("Espresso cup", "quantity") == "11"

    assert await db.fetchval("SELECT quantity FROM products") == 11
    assert await ledger(db) == [
        ("initial", 5, 5, ""),
        ("sold", -2, 3, "Till 1"),
        ("received", 10, 13, "Delivery 4711"),
        ("damaged", -1, 12, ""),
        ("count", -1, 11, "Shelf count"),
    ]
    # Every write went with an Idempotency-Key, each its own (the refused sale's outcome is kept too).
    keyed = await db.fetch("SELECT path, status FROM idempotency_keys ORDER BY created_at")
    stock, count = f"/products/{product['id']}/stock", f"/products/{product['id']}/count"
    assert [tuple(row) for row in keyed] == [
        (stock, 200),
        (stock, 409),
        (stock, 200),
        (stock, 200),
        (count, 200),
    ]

    shop.act("Espresso cup", "history")
    shop.wait_open("history-dialog")
    shop.until(lambda _: len(shop.css("#history-rows tr")) == 5, "the history did not show 5 movements")
    reasons = [row.get_attribute("data-reason") for row in shop.css("#history-rows tr")]
    assert reasons == ["count", "damaged", "received", "sold", "initial"]  # newest first
    newest = shop.css("#history-rows tr")[0].text
    assert "Count" in newest
    assert "Shelf count" in newest
    assert shop.by_id("history-older").is_displayed() is False
    shop.screenshot("history")


async def test_history_pages_to_older_movements(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, name="Paper filters", quantity=1)
    for _ in range(24):  # plain SQL: the trigger records a correction each time
        await db.execute("UPDATE products SET quantity = quantity + 1 WHERE id = $1", product["id"])
    shop.open()
    shop.act("Paper filters", "history")
    shop.wait_open("history-dialog")
    shop.until(lambda _: len(shop.css("#history-rows tr")) == 20, "the first page is not 20 movements")
    shop.visible("history-older").click()
    shop.until(lambda _: len(shop.css("#history-rows tr")) == 25, "older movements were not appended")
    assert shop.css("#history-rows tr")[-1].get_attribute("data-reason") == "initial"
    shop.until(lambda _: not shop.by_id("history-older").is_displayed(), "'Older' stayed after the last page")


async def test_the_keyboard_alone_sells(shop: Shop, client: AsyncClient, db: asyncpg.Connection) -> None:
    await create_product(client, name="Milk jug", quantity=4)
    shop.open()
    shop.by_keyboard("sell", "stock-dialog")
    assert shop.focused() == "stock-quantity"
    shop.keys("2", Keys.ENTER)
    shop.wait_open("stock-dialog", False)
    shop.status("Sold 2 × Milk jug")
    assert shop.focused() == "action-sell"  # back where the owner was, on the updated row
    assert await db.fetchval("SELECT quantity FROM products") == 2
