#!/usr/bin/env bash
# test.sh - lint, type-check and run the tests (arguments go to pytest, e.g. ./test.sh -x -k stock).
# The tests make their own database (inventory_test) on the PostgreSQL that run.sh would use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

echo "Testing Inventory: setting up .venv, then ruff, mypy and pytest (which starts PostgreSQL if needed) ..." >&2
. scripts/bootstrap.sh
say "Linting (ruff check) ..."
ruff check .
say "Checking the formatting (ruff format --check) ..."
ruff format --check .
say "Type-checking (mypy) ..."
mypy
say "Running the tests (pytest) ..."
pytest "$@"
