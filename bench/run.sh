#!/usr/bin/env bash
# bench/run.sh - benchmark the Inventory API against a bare asyncpg reference, one command:
#
#   bench/run.sh [--sizes 10000,1000000] [--duration 10] [--rounds 3] [--connections 32] ...
#
# Makes .venv (scripts/bootstrap.sh), installs wrk if missing (apt-get, as root), then runs
# `python -m bench` with the arguments given: database inventory_bench, N products loaded with
# generate_series (reused when already loaded), alternating reference/service rounds under wrk,
# and a markdown table of the medians and ratios on stdout. `bench/run.sh --help` lists options.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh

apt_install_missing "the load generator wrk" wrk wrk ||
  die "the load generator wrk is not installed and could not be (as root: apt-get install wrk)"

exec python -m bench "$@"
