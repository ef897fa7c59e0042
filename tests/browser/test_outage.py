"""The database goes away under the page: a save says so in plain words and keeps what was typed,
saving again once the database is back works, and the page still loads (it needs no database)
and says what is wrong instead of going blank."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from selenium.webdriver import Chrome

from harness.server import Server, serving
from tests.browser.shop import Shop
from tests.support.cluster import ThrowawayCluster, throwaway_cluster
from tests.support.database import connect
from tests.support.payloads import product_payload

pytestmark = [pytest.mark.browser, pytest.mark.server]

PASSWORD = "browser-outage-Pa55"
UNAVAILABLE = "The database is unavailable; try again in a moment."


@pytest.fixture(scope="module")
def cluster() -> Iterator[ThrowawayCluster]:
    with throwaway_cluster(PASSWORD) as database:
        yield database


@pytest.fixture(scope="module")
def outage_server(cluster: ThrowawayCluster) -> Iterator[Server]:
    with serving(cluster.url) as running:
        yield running


async def stored_price(cluster: ThrowawayCluster) -> str:
    db = await connect(cluster.url)
    try:
        price: str = await db.fetchval("SELECT price::text FROM products WHERE name = 'Milk jug'")
        return price
    finally:
        await db.close()


async def test_a_database_outage_is_a_plain_message_and_saving_again_works(
    driver: Chrome, outage_server: Server, cluster: ThrowawayCluster
) -> None:
    async with httpx.AsyncClient(base_url=outage_server.base_url) as http:
        created = await http.post("/products", json=product_payload(name="Milk jug", price="16.75"))
        assert created.status_code == 201
    shop = Shop(driver, outage_server.base_url)
    shop.open()
    shop.act("Milk jug", "edit")
    shop.wait_open("product-dialog")
    shop.fill("product-price", "15.50")

    await asyncio.to_thread(cluster.stop, "fast")
    shop.by_id("product-submit").click()
    assert shop.text_of("product-error", UNAVAILABLE) == UNAVAILABLE
    assert shop.is_open("product-dialog")  # what was typed stays, for the retry

    await asyncio.to_thread(cluster.start)
    shop.by_id("product-submit").click()
    shop.wait_open("product-dialog", False)
    assert shop.cell("Milk jug", "price") == "15.50"
    assert await stored_price(cluster) == "15.50"

    await asyncio.to_thread(cluster.stop, "fast")
    shop.open()  # the page itself needs no database: it loads, and says what is wrong
    assert shop.status(UNAVAILABLE) == UNAVAILABLE
    assert shop.names() == []
    assert shop.by_id("page-info").text == "The products could not be loaded."
    assert shop.console_problems() == []
    await asyncio.to_thread(cluster.start)
