"""The browser libraries vendored into the page are the versions `app/web/static/vendor/README.md`
names, each with its licence beside it."""

import re

from app.web.routes import STATIC_DIR

VENDOR = STATIC_DIR / "vendor"


def test_chart_js_is_the_pinned_version_with_its_licence() -> None:
    table = (VENDOR / "README.md").read_text()
    pinned = re.search(r"\| `chart\.umd\.min\.js` \| .*? \| (\d+\.\d+\.\d+) \|", table)
    assert pinned is not None
    banner = (VENDOR / "chart.umd.min.js").read_text()[:200]
    assert f"Chart.js v{pinned.group(1)}" in banner
    assert "MIT License" in (VENDOR / "chart.js-LICENSE.md").read_text()
