"""The product list and the product form in a real browser: add, search as you type, edit, the
API's refusals shown next to their fields; then what PostgreSQL holds."""

import asyncpg
import pytest
from httpx import AsyncClient

from tests.browser.shop import Shop
from tests.support.payloads import create_product
from tests.support.sql import one_row

pytestmark = [pytest.mark.browser, pytest.mark.server]


async def test_a_product_added_through_the_form_is_stored_and_listed(
    shop: Shop, db: asyncpg.Connection
) -> None:
    shop.open()
    assert shop.text_of("empty", "No products match.")
    shop.add_product(name="  Oat milk  ", price="2.49", quantity="12", description="Barista edition, 1 l")
    shop.wait_open("product-dialog", False)
    shop.status("Added Oat milk.")
    assert shop.cell("Oat milk", "price") == "2.49"
    assert shop.cell("Oat milk", "quantity") == "12"
    stored = await one_row(db, "SELECT name, description, price::text, quantity FROM products")
    assert stored == {
        "name": "Oat milk",
        "description": "Barista edition, 1 l",
        "price": "2.49",
        "quantity": 12,
    }


async def test_search_as_you_type_narrows_the_list(shop: Shop, client: AsyncClient) -> None:
    for name in ("Espresso cup", "Cappuccino mug", "Travel mug", "Milk jug"):
        await create_product(client, name=name)
    shop.open()
    assert shop.text_of("page-info", "of 4") == "Products 1–4 of 4"
    shop.search("MUG")
    shop.until(
        lambda _: shop.names() == ["Cappuccino mug", "Travel mug"], "the search did not narrow the list"
    )
    assert shop.by_id("page-info").text == "Products 1–2 of 2"
    shop.search("nothing like this")
    assert shop.text_of("empty", "No products match.")
    shop.search("")
    shop.until(lambda _: len(shop.names()) == 4, "clearing the search did not bring the list back")


async def test_editing_changes_only_what_was_changed(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    await create_product(client, name="Hand grinder", price="45.00", quantity=4)
    shop.open()
    shop.act("Hand grinder", "edit")
    shop.wait_open("product-dialog")
    assert shop.by_id("product-name").get_attribute("value") == "Hand grinder"
    assert not shop.by_id("product-quantity").is_displayed()  # quantity moves through the ledger
    shop.fill("product-price", "39.90")
    shop.fill("product-description", "Conical ceramic burrs")
    shop.by_id("product-submit").click()
    shop.wait_open("product-dialog", False)
    shop.status("Saved Hand grinder.")
    shop.until(lambda _: shop.cell("Hand grinder", "price") == "39.90", "the row was not updated in place")
    stored = await one_row(
        db, "SELECT price::text, description, quantity, updated_at > created_at AS advanced FROM products"
    )
    assert stored == {
        "price": "39.90",
        "description": "Conical ceramic burrs",
        "quantity": 4,
        "advanced": True,
    }


async def test_refusals_are_shown_next_to_their_fields_and_nothing_is_stored(
    shop: Shop, client: AsyncClient, db: asyncpg.Connection
) -> None:
    await create_product(client, name="Milk jug")
    shop.open()
    shop.add_product(name="Filter papers", price="abc", quantity="-3")
    assert shop.text_of("error-price", "Must be") == "Must be a number, such as 19.99."
    assert shop.text_of("error-quantity", "Must be") == "Must be 0 or more."
    assert shop.by_id("product-price").get_attribute("aria-invalid") == "true"
    assert shop.text_of("product-error", "Please check") == "Please check the marked field."
    shop.fill("product-price", "1.234")
    shop.fill("product-quantity", "3")
    shop.by_id("product-submit").click()
    assert shop.text_of("error-price", "decimal") == "At most 2 decimal places."
    assert shop.by_id("error-quantity").text == ""
    shop.fill("product-name", "MILK JUG")
    shop.fill("product-price", "1.20")
    shop.by_id("product-submit").click()
    assert "already exists" in shop.text_of("error-name", "MILK JUG")
    assert shop.is_open("product-dialog")
    shop.screenshot("product-form-errors")
    assert await db.fetchval("SELECT count(*) FROM products") == 1
