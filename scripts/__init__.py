"""Project scripts: local_postgres finds, starts or installs PostgreSQL; bootstrap.sh, check, lint."""
