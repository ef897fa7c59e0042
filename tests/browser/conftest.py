"""The browser tests' world: a real uvicorn serving the test database, one headless Chromium
for the whole run, and `shop`, for each test: empty tables, a tab with no stored API key, the
page opened by the test once its data is in, and no console error allowed afterwards.

Without Chromium the tests are skipped with the reason (./test.sh installs it when it runs as
root); `REQUIRE_BROWSER=1` (set by .ci/run) turns that skip into a failure.
"""

import os
from collections.abc import Iterator

import pytest
from selenium.webdriver import Chrome

from harness.server import Server, serving
from tests.browser.shop import Shop
from tests.support.browser import Browser, find_browser

DESKTOP = (1280, 900)
MISSING = (
    "Chromium and chromedriver are not installed (./test.sh installs them when it runs as root;"
    " otherwise: sudo apt-get install chromium chromium-driver)"
)


@pytest.fixture(scope="session")
def browser() -> Browser:
    found = find_browser()
    if found is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1, but {MISSING}")
        pytest.skip(f"browser tests skipped: {MISSING}")
    return found


@pytest.fixture(scope="session")
def server(database_url: str) -> Iterator[Server]:
    """The service as ./run.sh runs it (one worker), on the test database."""
    with serving(database_url) as running:
        yield running


@pytest.fixture(scope="session")
def driver(browser: Browser) -> Iterator[Chrome]:
    chrome = browser.start(*DESKTOP)
    yield chrome
    chrome.quit()


@pytest.fixture
def shop(driver: Chrome, server: Server, empty_tables: None) -> Iterator[Shop]:
    """The page on a clean tab state (no stored API key), opened by the test when its data is in.

    Afterwards the browser's console must hold no script error, CSP violation or failed load.
    """
    page = Shop(driver, server.base_url)
    page.reset()
    yield page
    assert page.console_problems() == []
