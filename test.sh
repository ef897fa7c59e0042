#!/usr/bin/env bash
# test.sh - scripts/check (ruff, format, mypy), then pytest; arguments go to pytest
# (./test.sh -x -k stock, ./test.sh tests/unit, ./test.sh -m 'not slow').
# The tests make their own database, inventory_db_test (the service database's name plus
# _test), on the PostgreSQL that run.sh would use, starting it if need be.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

echo "Testing Inventory: setting up .venv, then ruff, mypy and pytest (which starts PostgreSQL if needed) ..." >&2
scripts/check
. scripts/bootstrap.sh
say "Running the tests (pytest) ..."
pytest "$@"
