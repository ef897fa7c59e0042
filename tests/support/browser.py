"""A real headless Chromium for the browser tests: found, installed (Debian, as root) or refused.

Debian's `chromium` and `chromium-driver` packages, driven through Selenium's own WebDriver
client. `browser_or_reason()` installs them with apt-get when they are missing and we are root
(as bench/run.sh installs wrk); elsewhere it says why there is no browser, and the caller skips,
or fails when `REQUIRE_BROWSER=1` (CI). No browser is ever downloaded from anywhere else.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PACKAGES = ("chromium", "chromium-driver")
INSTALL_HINT = "sudo apt-get install chromium chromium-driver"


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


def installed() -> Browser | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    return Browser(chromium, chromedriver) if chromium and chromedriver else None


def apt_install() -> str | None:
    """Install the packages with apt-get (updating its lists once if needed); None or the error."""
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]
    attempt = subprocess.run(install, env=environment, capture_output=True, text=True, check=False)
    if attempt.returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=environment, capture_output=True, check=False)
        attempt = subprocess.run(install, env=environment, capture_output=True, text=True, check=False)
    return None if attempt.returncode == 0 else attempt.stderr.strip()[-500:]


@lru_cache
def browser_or_reason() -> Browser | str:
    """The browser, installing it first when we may; otherwise why the browser tests cannot run."""
    if found := installed():
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return f"Chromium and chromedriver are not installed (to run these tests: {INSTALL_HINT})"
    if problem := apt_install():
        return f"apt-get could not install {' and '.join(PACKAGES)}: {problem}"
    return installed() or f"{' and '.join(PACKAGES)} were installed but are not on PATH"
