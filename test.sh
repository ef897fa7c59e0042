#!/usr/bin/env bash
# test.sh - scripts/check (ruff, format, mypy), then pytest; arguments go to pytest
# (./test.sh -x -k stock, ./test.sh tests/unit, ./test.sh -m 'not slow').
# As root it installs Debian's chromium and chromium-driver for tests/browser when they are
# missing (elsewhere those tests are skipped, saying why; REQUIRE_BROWSER=1 makes them fail).
# The tests make their own database, inventory_db_test (the service database's name plus
# _test), on the PostgreSQL that run.sh would use, starting it if need be.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

echo "Testing Inventory: setting up .venv, then ruff, mypy and pytest (which starts PostgreSQL if needed) ..." >&2
scripts/check
. scripts/bootstrap.sh
apt_install_missing "Chromium for the browser tests" chromedriver chromium chromium-driver ||
  say "Chromium is not installed and could not be (sudo apt-get install chromium chromium-driver):
the browser tests (tests/browser) will be skipped, or fail where REQUIRE_BROWSER=1."
say "Running the tests (pytest) ..."
pytest "$@"
