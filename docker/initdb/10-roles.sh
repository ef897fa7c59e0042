#!/bin/sh
# Run once by the postgres image when compose.yaml's cluster is created: the service's two roles
# and its database. inventory_owner owns the database and every table and runs the migrations;
# inventory_user, which the app servers log in with (through PgBouncer), owns nothing and gets
# only what the migrations grant it. The owner is a member of the serving role, so that it may
# end the service's sessions (pg_terminate_backend).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$INVENTORY_OWNER_PASSWORD" -v serving_password="$INVENTORY_PASSWORD" <<'SQL'
CREATE ROLE inventory_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE inventory_user LOGIN PASSWORD :'serving_password';
GRANT inventory_user TO inventory_owner;
CREATE DATABASE inventory_db OWNER inventory_owner;
SQL
