"""Test support: the test database, the Alembic runner, served processes, clusters, payloads, SQL."""
