"""Getting a PostgreSQL to serve with: `postgres` finds, starts or installs one and makes the
role and database (run by ./run.sh, the Docker entrypoint and the tests)."""
