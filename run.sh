#!/usr/bin/env bash
# run.sh - set up everything and serve the Inventory API and the shop's page (./run.sh --help).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

usage() {
  cat <<'TEXT'
Usage: ./run.sh [--samples] [--create-database]   set up and serve the Inventory API
       ./run.sh stop     stop the PostgreSQL that ./run.sh started
       ./run.sh --help   show this help

./run.sh makes .venv with the pinned packages, makes sure PostgreSQL runs with the two roles and
the database (DATABASE_URL, a server on localhost:5432, or one of its own), applies the
migrations as the owner role, loads the sample products into a database that has never held a
product, checks that the port is free, and serves the API as the serving role until Ctrl-C.

  --samples          add the sample products that are missing, even to a database that holds
                     products (a sample you deleted comes back)
  --create-database  create DATABASE_URL's database if it does not exist (without it only the
                     default database, inventory_db, is created: a mistyped name stops here)

Environment: DATABASE_URL (postgresql+asyncpg://USER:PASSWORD@HOST:PORT/DB, the serving role),
MIGRATION_DATABASE_URL (the owner role; unset with DATABASE_URL: that one role), HOST (127.0.0.1),
PORT (8000), WEB_CONCURRENCY (uvicorn worker processes, 2), ACCESS_LOG=1 (log every request),
INVENTORY_PGDATA (data directory of its own PostgreSQL; default /var/lib/inventory/postgres as
root, .pgdata otherwise). The README's Configuration section lists the rest.
TEXT
}

seed=() ensure=()
for argument in "$@"; do
  case "$argument" in
    -h | --help) usage; exit 0 ;;
    stop) [ $# = 1 ] || { usage >&2; exit 2; }; . scripts/bootstrap.sh; exec python -m app.provisioning.postgres stop ;;
    --samples) seed=(--add-missing) ;;
    --create-database) ensure=(--create) ;;
    *) usage >&2; exit 2 ;;
  esac
done

. scripts/bootstrap.sh
say "Making sure PostgreSQL is running with the inventory database ..."
urls=$(python -m app.provisioning.postgres ensure "${ensure[@]}") || exit 1   # the serving URL, then the owner's
DATABASE_URL=${urls%%$'\n'*} MIGRATION_DATABASE_URL=${urls#*$'\n'}
export DATABASE_URL MIGRATION_DATABASE_URL
say "Applying database migrations as the owner role (alembic upgrade head) ..."
alembic upgrade head
say "Loading the sample products (into a database that has never held a product, or as --samples says) ..."
python -m app.cli.seed "${seed[@]}"
python -m app.cli.serve --check-port || exit 1   # before the URLs: they must not name another program

host=${HOST:-127.0.0.1} port=${PORT:-8000}
shown=$host; [ "$host" = 0.0.0.0 ] && shown=localhost
say ""
say "Shop page:          http://$shown:$port/"
say "Inventory API:      http://$shown:$port/products"
say "Interactive docs:   http://$shown:$port/docs"
say "Stop with Ctrl-C (the database keeps running; ./run.sh stop stops it)."
exec python -m app.cli.serve   # uvicorn with the flags of app/cli/serve.py (HOST, PORT, WEB_CONCURRENCY, ACCESS_LOG)
