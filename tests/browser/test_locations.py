"""A shop with a back room, in a real browser: sell and receive at the picked location, see each
product's levels, move stock between locations (and be refused), and manage the locations;
then what PostgreSQL holds."""

import asyncpg
import pytest
from httpx import AsyncClient
from selenium.webdriver.common.by import By

from tests.browser.shop import Shop
from tests.support.payloads import add_location, create_product
from tests.support.sql import assert_ledger_holds, level

pytestmark = [pytest.mark.browser, pytest.mark.server]


async def test_stock_actions_happen_at_the_picked_location(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, name="Espresso cup", quantity=5)
    await client.post(f"/products/{product['id']}/stock", json={"delta": 3, "location_id": room["id"]})
    shop.open()
    shop.text_of("product-rows", "Back room 3")
    assert shop.cell("Espresso cup", "levels") == "Main 5 · Back room 3"
    shop.screenshot("list-with-levels")

    shop.pick_location("Back room")
    shop.act("Espresso cup", "sell")
    shop.wait_open("stock-dialog")
    assert shop.by_id("stock-location").text == "At Back room"
    shop.fill("stock-quantity", "4")
    assert shop.text_of("stock-preview", "Only 3") == "Only 3 on hand: not enough for that."
    shop.by_id("stock-submit").click()
    assert "at location" in shop.text_of("stock-error", "3 on hand")
    shop.fill("stock-quantity", "2")
    shop.by_id("stock-submit").click()
    assert shop.status("Sold") == "Sold 2 × Espresso cup at Back room; on hand now 6."
    assert await level(db, product["id"], room["id"]) == 1
    assert await level(db, product["id"], 1) == 5

    shop.open()  # the picked location is remembered
    shop.stock("Espresso cup", "receive", 10)
    shop.status("Received 10 × Espresso cup at Back room; on hand now 16.")
    assert shop.text_of("product-rows", "Back room 11")
    assert await level(db, product["id"], room["id"]) == 11
    reasons = await db.fetch("SELECT location_id, reason, delta FROM stock_movements ORDER BY id")
    assert [tuple(row) for row in reasons][-2:] == [(room["id"], "sold", -2), (room["id"], "received", 10)]
    await assert_ledger_holds(db)


async def test_a_transfer_from_the_row_and_a_refused_one(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    room = await add_location(client, "Back room")
    product = await create_product(client, name="Milk jug", quantity=6)
    shop.open()
    shop.act("Milk jug", "transfer")
    shop.wait_open("transfer-dialog")
    assert shop.text_of("transfer-levels", "holds") == "Main holds 6."
    shop.by_id("transfer-dialog").find_element(By.CSS_SELECTOR, ".cancel").click()

    shop.transfer("Milk jug", "Main", "Back room", 9)
    assert "Not enough stock at location 1" in shop.text_of("transfer-error", "6 on hand")
    assert shop.is_open("transfer-dialog")
    shop.screenshot("transfer-refused")
    shop.fill("transfer-quantity", "4")
    shop.fill("transfer-note", "Shelf refill")
    shop.screenshot("transfer-dialog")
    shop.by_id("transfer-submit").click()
    shop.wait_open("transfer-dialog", False)
    assert shop.status("Moved") == "Moved 4 × Milk jug from Main to Back room."
    assert shop.text_of("product-rows", "Back room 4")
    assert shop.focused() == "action-transfer"
    assert (await level(db, product["id"], 1), await level(db, product["id"], room["id"])) == (2, 4)
    rows = await db.fetch(
        "SELECT id, reason, delta, note, transfer_id FROM stock_movements"
        " WHERE reason LIKE 'transfer%' ORDER BY id"
    )
    out, into = (dict(row) for row in rows)
    assert (out["reason"], out["delta"], into["reason"], into["delta"]) == (
        "transfer_out",
        -4,
        "transfer_in",
        4,
    )
    assert out["transfer_id"] == into["transfer_id"] == out["id"]
    assert out["note"] == into["note"] == "Shelf refill"

    shop.act("Milk jug", "history")
    shop.wait_open("history-dialog")
    shop.until(lambda _: len(shop.css("#history-rows tr")) == 3, "three movements")
    places = [cell.text for cell in shop.css("#history-rows [data-field=location]")]
    assert places == ["Back room", "Main", "Main"]
    await assert_ledger_holds(db)


async def test_add_rename_make_default_and_delete_locations(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    product = await create_product(client, name="Teapot", quantity=2)
    shop.open()
    shop.by_id("locations-open").click()
    shop.wait_open("locations-dialog")
    shop.fill("location-name", "Market stall")
    shop.by_id("location-add").click()
    shop.location_item("Market stall")
    shop.fill("location-name", "Back room")
    shop.by_id("location-add").click()
    shop.fill("location-name", "back ROOM")
    shop.by_id("location-add").click()
    assert "back ROOM" in shop.text_of("error-location-name", "already exists")

    shop.location_item("Market stall").find_element(By.CSS_SELECTOR, "[data-testid=location-rename]").click()
    shop.fill_focused("Stall at the market")
    shop.by_id("locations-dialog").find_element(By.CSS_SELECTOR, "[data-testid=location-rename-save]").click()
    stall = shop.location_item("Stall at the market")
    stall.find_element(By.CSS_SELECTOR, "[data-testid=location-make-default]").click()
    shop.until(
        lambda _: shop.location_item("Stall at the market").get_attribute("data-default") == "true", "default"
    )
    shop.screenshot("locations-dialog")
    assert await db.fetchval("SELECT name FROM locations WHERE is_default") == "Stall at the market"
    options = [option.text for option in shop.css("#location-picker option")]
    assert options == ["Main", "Stall at the market (default)", "Back room"]

    shop.location_item("Back room").find_element(By.CSS_SELECTOR, "[data-testid=location-delete]").click()
    shop.until(lambda _: "Back room" not in shop.by_id("locations-list").text, "Back room deleted")
    main = shop.location_item("Main")
    main.find_element(By.CSS_SELECTOR, "[data-testid=location-delete]").click()  # movements name it
    assert "history stays" in shop.text_of("locations-error", "movements")
    names = await db.fetch("SELECT name, is_default FROM locations ORDER BY id")
    assert [tuple(row) for row in names] == [("Main", False), ("Stall at the market", True)]
    assert await level(db, product["id"], 1) == 2
