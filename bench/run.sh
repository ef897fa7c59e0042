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

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing the load generator wrk (apt-get install wrk) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } ||
      die "could not install wrk with apt-get"
  else
    die "the load generator wrk is not installed. On Debian/Ubuntu: sudo apt-get install wrk"
  fi
fi

exec python -m bench "$@"
