"""A real headless Chromium for the browser tests: Debian's `chromium` and `chromium-driver`.

./test.sh installs the two packages with apt-get when it runs as root and they are missing; no
browser is ever downloaded from anywhere else. Selenium drives it through /usr/bin/chromedriver.
"""

import shutil
from dataclasses import dataclass

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


@dataclass(frozen=True)
class Browser:
    chromium: str
    chromedriver: str

    def start(self, width: int, height: int) -> webdriver.Chrome:
        """A new headless Chromium with a `width` x `height` window; its console log is kept."""
        options = webdriver.ChromeOptions()
        options.binary_location = self.chromium
        for argument in (
            "--headless=new",
            "--no-sandbox",  # root in a container has no user namespace for the sandbox
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            f"--window-size={width},{height}",
        ):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        return webdriver.Chrome(options=options, service=Service(self.chromedriver))


def find_browser() -> Browser | None:
    """Chromium and chromedriver from PATH, or None when either is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    return Browser(chromium, chromedriver) if chromium and chromedriver else None
