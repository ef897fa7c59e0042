#!/usr/bin/env bash
# Entrypoint of the Inventory image. `serve` (the default CMD) prepares the database and serves
# the API on 0.0.0.0:8000; any other command runs as given (e.g. `alembic current`).
#
#   DATABASE_URL      unset: self-contained mode. A PostgreSQL of the container's own, with its
#                     data in /var/lib/inventory (mount a volume there), listening on 127.0.0.1
#                     inside the container only, with its two demo roles: inventory_owner
#                     (owns the tables, runs the migrations) and inventory_user (serves).
#                     set: that server is used and none is started; a missing database is
#                     created only when it is inventory_db or CREATE_DATABASE=1 (and the owner
#                     role may: CREATEDB), so that a mistyped name stops with a message.
#   CREATE_DATABASE   1: create DATABASE_URL's database when it does not exist.
#   MIGRATION_DATABASE_URL  with DATABASE_URL: the owner role that runs the migrations and
#                     grants DATABASE_URL's role what it uses; unset: DATABASE_URL's role does all.
#   MIGRATE           0: skip `alembic upgrade head` (the replicas of compose.yaml, whose
#                     `migrate` service has run it once, straight to PostgreSQL); default 1.
#   PORT              the port uvicorn listens on (8000).
#   DB_PGBOUNCER      1: the database is reached through PgBouncer in transaction mode (every
#                     step then works without named prepared statements).
#   LOAD_SAMPLE_DATA  1: add the sample products missing by name, on every start (even those
#                     the owner deleted); 0: never; unset: on the first start in self-contained
#                     mode only, and only into a database that has never held a product.
#   ACCESS_LOG        1: uvicorn's access log (off by default).
#   WEB_CONCURRENCY   uvicorn worker processes (2), as for ./run.sh.
#   AUTH_MODE         off (default; app.cli.serve warns, since this listens on 0.0.0.0), writes or all:
#                     which requests need an API key (python -m app.keys create NAME --role write).
#   FORWARDED_ALLOW_IPS  the proxies (e.g. your load balancer's address) whose X-Forwarded-For
#                     names the client; unset: none, the TCP peer is the client. Never '*'.
#   DB_POOL_SIZE, DB_MAX_OVERFLOW, ... see app/core/config.py.
#
# Steps: wait for / start the database (app/provisioning/postgres.py), `alembic upgrade head`,
# sample data, uvicorn (python -m app.cli.serve). With an external database uvicorn replaces this shell. In
# self-contained mode this shell stays PID 1: on SIGTERM (docker stop) it stops uvicorn, then
# PostgreSQL with a fast (clean) shutdown.
set -Eeuo pipefail

say() { printf 'entrypoint: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
# The database, waited for (up to 30 s) or started: DATABASE_URL serves, MIGRATION_DATABASE_URL migrates.
provision() {
  local urls
  urls=$(python -m app.provisioning.postgres ensure) || exit 1
  DATABASE_URL=${urls%%$'\n'*} MIGRATION_DATABASE_URL=${urls#*$'\n'}
  export DATABASE_URL MIGRATION_DATABASE_URL
}

data_dir=/var/lib/inventory
export INVENTORY_PGDATA=${INVENTORY_PGDATA:-$data_dir/postgres}   # read by app/provisioning/postgres.py

[ "${1:-serve}" = serve ] || exec "$@"

export HOST=0.0.0.0 PORT=${PORT:-8000}
server=(python -m app.cli.serve)   # uvicorn with the flags of app/cli/serve.py, as ./run.sh serves

if [ -n "${DATABASE_URL:-}" ]; then
  provision
  if [ "${MIGRATE:-1}" != 0 ]; then alembic upgrade head; fi
  if [ "${LOAD_SAMPLE_DATA:-0}" = 1 ]; then python -m app.cli.seed --add-missing; fi
  exec "${server[@]}"
fi

[ -w "$data_dir" ] ||
  die "$data_dir is not writable by uid $(id -u). For a bind mount: chown $(id -u):$(id -g) DIR on the host."

stopping=0 server_pid=
on_signal() {
  stopping=1
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; fi
}
# What `python -m app.provisioning.postgres stop` (pg_ctl stop -m fast) does, without starting a
# Python interpreter while docker's stop timeout runs: SIGINT asks the postmaster for a fast
# shutdown; then wait until the postmaster has exited (its orphan is reaped by PID 1).
stop_postgres() {
  local pid
  [ -s "$INVENTORY_PGDATA/postmaster.pid" ] || return 0
  read -r pid < "$INVENTORY_PGDATA/postmaster.pid"
  kill -INT "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  say "PostgreSQL stopped (fast shutdown)"
}
trap on_signal TERM INT
trap stop_postgres EXIT

# A signal during these steps takes effect when the running step has finished.
provision
[ "$stopping" = 0 ] || exit 0
alembic upgrade head
[ "$stopping" = 0 ] || exit 0
marker=$data_dir/sample-data-loaded
case "${LOAD_SAMPLE_DATA:-}" in
  1) python -m app.cli.seed --add-missing ;;
  0) ;;
  *) if [ ! -e "$marker" ]; then python -m app.cli.seed; touch "$marker"; fi ;;
esac
[ "$stopping" = 0 ] || exit 0

"${server[@]}" &
server_pid=$!
[ "$stopping" = 0 ] || kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?   # cut short (status > 128) when the signal trap runs
if [ "$stopping" = 1 ]; then
  status=0
  wait "$server_pid" || status=$?
fi
exit "$status"
