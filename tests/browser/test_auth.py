"""API keys in a real browser: the page itself is open in every AUTH_MODE; when the service wants a
key the page asks for one, says when it was refused, and repeats the request with it (counted
once); a read key may look but not change, and the page says so."""

from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from harness.server import Server, serving
from tests.browser.shop import Shop
from tests.support.keys import make_key

pytestmark = [pytest.mark.browser, pytest.mark.server]

ASKS = "This shop's service needs an API key. Enter the key you were given."
REFUSED = "That API key was not accepted. Enter a valid key."
READ_ONLY = "This API key may only read. Ask for a key that may make changes."


@pytest.fixture(scope="module", params=["all", "writes"])
def guarded(request: pytest.FixtureRequest, database_url: str) -> Iterator[tuple[Server, str]]:
    """The service in AUTH_MODE `all` or `writes` on the test database, and that mode."""
    with serving(database_url, {"AUTH_MODE": request.param}) as running:
        yield running, request.param


@pytest.fixture
def guarded_shop(shop: Shop, guarded: tuple[Server, str]) -> Shop:
    """The page of the guarded service, on a clean tab state (no stored key)."""
    shop.base_url = guarded[0].base_url
    shop.reset()
    return shop


@pytest.fixture
async def keys(db: asyncpg.Connection, empty_tables: None) -> dict[str, str]:
    """A read key and a write key (empty_tables has just removed any older ones)."""
    return {role: await make_key(db, f"browser-{role}", role) for role in ("read", "write")}


def enter_key(shop: Shop, key: str, message: str) -> None:
    shop.wait_open("key-dialog")
    assert shop.by_id("key-message").text == message
    shop.fill("key-input", key)
    shop.by_id("key-submit").click()


async def test_the_page_asks_for_a_key_and_repeats_the_request_with_it(
    guarded_shop: Shop, guarded: tuple[Server, str], keys: dict[str, str], db: asyncpg.Connection
) -> None:
    shop, mode = guarded_shop, guarded[1]
    async with httpx.AsyncClient(base_url=shop.base_url) as http:
        for path in ("/", "/static/app.js", "/static/style.css", "/health"):
            assert (await http.get(path)).status_code == 200, path  # open in every mode
    shop.driver.get(f"{shop.base_url}/")
    if mode == "all":  # even reading needs a key: the page asks at once
        enter_key(shop, "not-a-key", ASKS)
        shop.screenshot("key-prompt")
        enter_key(shop, keys["write"], REFUSED)
    shop.settled()
    shop.add_product(name="Oat milk", price="2.49", quantity="12")
    if mode == "writes":  # reading was open; the first change asks, then is sent again
        enter_key(shop, keys["write"], ASKS)
    shop.wait_open("product-dialog", False)
    shop.status("Added Oat milk.")
    assert await db.fetchval("SELECT count(*) FROM products WHERE name = 'Oat milk'") == 1


async def test_a_read_key_may_look_but_not_change(
    guarded_shop: Shop, keys: dict[str, str], db: asyncpg.Connection
) -> None:
    shop = guarded_shop
    shop.js("sessionStorage.setItem('inventory.apiKey', arguments[0])", keys["read"])
    shop.open()
    assert not shop.is_open("key-dialog")
    shop.add_product(name="Oat milk", price="2.49")
    assert shop.text_of("product-error", READ_ONLY) == READ_ONLY
    assert not shop.is_open("key-dialog")
    assert await db.fetchval("SELECT count(*) FROM products") == 0
