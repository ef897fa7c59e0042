#!/usr/bin/env bash
# bench/scale.sh - the scale benchmark, one command: the app's list queries at 10,000 and
# 1,000,000 products, timed in PostgreSQL (EXPLAIN (ANALYZE, BUFFERS) medians), report in
# bench/results/scale.md. Makes .venv first (scripts/bootstrap.sh); the data is loaded once
# with generate_series and reused. `bench/scale.sh --help` lists the options.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
exec python -m bench.scale "$@"
