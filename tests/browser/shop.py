"""`Shop`: the shop's page as the browser tests drive it, through the ids and data-testid hooks
listed at the top of app/web/static/app.js. Every method waits for what it needs (never sleeps)."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar, cast

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver import Chrome
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

T = TypeVar("T")
WAIT_SECONDS = 10
# Chromium logs every 4xx/5xx answer to fetch() as a console error: expected, the page shows them.
EXPECTED_CONSOLE = ("Failed to load resource",)


class Shop:
    def __init__(self, driver: Chrome, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    # --- waiting and finding ---

    def until(self, condition: Callable[[Chrome], T | Literal[False] | None], message: str = "") -> T:
        """Poll `condition` until it returns something true (that, then), for up to WAIT_SECONDS."""
        wait = WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=[StaleElementReferenceException])
        return cast(T, wait.until(condition, message))

    def by_id(self, element_id: str) -> WebElement:
        return self.driver.find_element(By.ID, element_id)

    def css(self, selector: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def visible(self, element_id: str) -> WebElement:
        return self.until(
            lambda _: (e := self.by_id(element_id)).is_displayed() and e, f"#{element_id} never showed"
        )

    def text_of(self, element_id: str, containing: str) -> str:
        """Wait until #element_id shows `containing`; its whole text."""
        self.until(
            lambda _: containing in self.by_id(element_id).text, f"#{element_id} never said {containing!r}"
        )
        return str(self.by_id(element_id).text)

    def js(self, script: str, *args: object) -> object:
        return self.driver.execute_script(script, *args)

    def focused(self) -> str:
        """The data-testid (or else the id) of the element that has the keyboard focus."""
        return str(self.js("return document.activeElement.dataset.testid || document.activeElement.id"))

    def keys(self, *keys: str) -> None:
        """Type `keys` into whatever has the focus, as a keyboard would."""
        ActionChains(self.driver).send_keys(*keys).perform()

    def tab_to(self, testid: str, most: int = 30) -> None:
        """Press Tab until the element with data-testid `testid` has the focus."""
        for _ in range(most):
            if self.focused() == testid:
                return
            self.keys(Keys.TAB)
        raise AssertionError(f"{most} presses of Tab never reached {testid}")

    # --- the page ---

    def reset(self) -> None:
        """Forget this origin's stored state (the tab's API key, the picked location) and the
        console so far."""
        self.driver.get(f"{self.base_url}/static/style.css")  # same origin, so its storage
        self.driver.execute_script("sessionStorage.clear(); localStorage.clear()")
        self.console_problems()

    def open(self) -> None:
        self.driver.get(f"{self.base_url}/")
        self.settled()

    def settled(self) -> None:
        """The list has answered (its rows are in and no request is in flight)."""
        self.until(
            lambda _: (
                self.by_id("page-info").text != "Loading…"
                and self.by_id("product-rows").get_attribute("aria-busy") is None
            ),
            "the product list never loaded",
        )

    def names(self, selector: str = "#product-rows tr") -> list[str]:
        """The names in the list, read at one moment (a re-render cannot leave stale elements)."""
        names = self.js(
            "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)",
            f"{selector} [data-field=name]",
        )
        return cast(list[str], names)

    def row(self, name: str) -> WebElement:
        """The row of the product called `name`, once it is on screen."""
        named = f"[.//*[@data-field='name'][normalize-space()={xpath_text(name)}]]"
        xpath = f"//tr[@data-testid='product-row']{named}"
        return self.until(
            lambda d: next(iter(d.find_elements(By.XPATH, xpath)), None), f"no row for {name!r}"
        )

    def cell(self, name: str, field: str) -> str:
        return str(self.row(name).find_element(By.CSS_SELECTOR, f"[data-field={field}]").text)

    def act(self, name: str, action: str) -> None:
        """Click a row button (receive, sell, damaged, count, history, edit)."""
        self.row(name).find_element(By.CSS_SELECTOR, f"[data-testid=action-{action}]").click()

    def by_keyboard(self, action: str, dialog_id: str) -> None:
        """On a fresh page (it starts in the search box) Tab to the `action` row button, press
        Enter, and wait for its dialog."""
        assert self.focused() == "search"
        self.tab_to(f"action-{action}")
        self.keys(Keys.ENTER)
        self.wait_open(dialog_id)

    def fill(self, element_id: str, text: str) -> None:
        """Replace the field's text as a person would (select all, delete, type: input events)."""
        field = self.by_id(element_id)
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.DELETE, text)

    def fill_focused(self, text: str) -> None:
        """Replace the text of the field that has the focus, as a person would."""
        field = self.driver.switch_to.active_element
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.DELETE, text)

    def is_open(self, dialog_id: str) -> bool:
        return bool(self.js("return document.getElementById(arguments[0]).open", dialog_id))

    def wait_open(self, dialog_id: str, is_open: bool = True) -> None:
        self.until(lambda _: self.is_open(dialog_id) == is_open, f"#{dialog_id} open should be {is_open}")

    def status(self, containing: str) -> str:
        return self.text_of("status-text", containing)

    def search(self, text: str) -> None:
        self.fill("search", text)

    def scan(self, code: str) -> None:
        """What a USB barcode scanner does: type the digits, then Enter."""
        field = self.by_id("barcode-scan")
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(code, Keys.ENTER)

    def add_product(self, **fields: str) -> None:
        """Fill the "Add product" form (keys: name, price, quantity, sku, barcode, reorder, description)."""
        self.by_id("add-product").click()
        self.wait_open("product-dialog")
        for name, value in fields.items():
            self.fill(f"product-{name}", value)
        self.by_id("product-submit").click()

    def stock(self, name: str, action: str, quantity: int, note: str = "") -> None:
        self.act(name, action)
        self.wait_open("stock-dialog")
        self.fill("stock-quantity", str(quantity))
        if note:
            self.fill("stock-note", note)
        self.by_id("stock-submit").click()

    def pick_location(self, name: str) -> None:
        """Make `name` the location the stock actions apply to (the toolbar's picker)."""
        Select(self.by_id("location-picker")).select_by_visible_text(name)

    def transfer(self, name: str, source: str, destination: str, quantity: int) -> None:
        """Open the row's "Move" dialog and send `quantity` from one location to another."""
        self.act(name, "transfer")
        self.wait_open("transfer-dialog")
        Select(self.by_id("transfer-from")).select_by_visible_text(source)
        Select(self.by_id("transfer-to")).select_by_visible_text(destination)
        self.fill("transfer-quantity", str(quantity))
        self.by_id("transfer-submit").click()

    def location_item(self, name: str) -> WebElement:
        """The Locations dialog's entry for `name`, once it is listed."""
        named = f"[.//*[@data-field='location-name'][normalize-space()={xpath_text(name)}]]"
        xpath = f"//li[@data-testid='location-item']{named}"
        return self.until(
            lambda d: next(iter(d.find_elements(By.XPATH, xpath)), None), f"no location {name!r}"
        )

    # --- evidence ---

    def console_problems(self) -> list[str]:
        """Console errors and warnings since the last call, but the expected ones (a script error,
        a CSP violation or a failed module load is a defect)."""
        entries: list[dict[str, str]] = self.driver.get_log("browser")  # type: ignore[no-untyped-call]
        return [
            entry["message"]
            for entry in entries
            if entry["level"] in {"SEVERE", "WARNING"}
            and not any(text in entry["message"] for text in EXPECTED_CONSOLE)
        ]

    def screenshot(self, name: str) -> None:
        """Saved as `$SCREENSHOTS_DIR/<name>.png` when that variable is set (scripts/screenshots)."""
        if folder := os.environ.get("SCREENSHOTS_DIR"):
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(Path(folder, f"{name}.png")))


def xpath_text(text: str) -> str:
    """`text` as an XPath string literal (concat() when it holds both kinds of quote)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in text.split("'")) + ")"
