"""Least privilege: the role the service serves with owns nothing and holds exactly the grants
of app.models.SERVING_PRIVILEGES; connected as that role, nobody can rewrite the history, change
the schema or switch off a trigger, while everything the service does still works."""

from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.models import SERVING_PRIVILEGES
from tests.support.database import connect_serving, owner_url
from tests.support.sql import assert_ledger_holds, movements

PRIVILEGES = """
    SELECT table_name, privilege_type FROM information_schema.role_table_grants
    WHERE grantee = current_user AND table_schema = 'public'
"""
OWNED = """
    SELECT relname FROM pg_class WHERE relowner = current_user::regrole
    UNION ALL SELECT nspname FROM pg_namespace WHERE nspowner = current_user::regrole
    UNION ALL SELECT datname FROM pg_database WHERE datdba = current_user::regrole
"""
FORBIDDEN = [
    "UPDATE stock_movements SET delta = delta + 100",
    "DELETE FROM stock_movements",
    "TRUNCATE stock_movements",
    "TRUNCATE products CASCADE",
    "INSERT INTO stock_movements (product_id, delta, quantity_after, reason, created_at)"
    " SELECT id, 100, quantity + 100, 'received', now() - interval '1 year' FROM products",
    "UPDATE product_count_shards SET row_count = row_count + 1",
    "ALTER TABLE products DISABLE TRIGGER products_record_quantity_movement",
    "ALTER TABLE stock_movements DISABLE TRIGGER USER",
    "ALTER TABLE products ADD COLUMN backdoor text",
    "DROP TABLE stock_movements",
    "CREATE TABLE shadow (id int)",
    "CREATE SCHEMA shadow",
    "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "SET session_replication_role = replica",  # which would skip every trigger
]


@pytest.fixture
async def as_serving_role(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    if make_url(database_url).username == make_url(owner_url(database_url)).username:
        pytest.skip("a one-role installation: the service's role owns the tables")
    connection = await connect_serving(database_url)
    yield connection
    await connection.close()


async def test_the_serving_role_owns_nothing_and_holds_exactly_its_grants(
    as_serving_role: asyncpg.Connection,
) -> None:
    assert await as_serving_role.fetch(OWNED) == []
    granted: dict[str, set[str]] = {}
    for row in await as_serving_role.fetch(PRIVILEGES):
        granted.setdefault(row["table_name"], set()).add(row["privilege_type"])
    assert granted == {table: set(privileges) for table, privileges in SERVING_PRIVILEGES.items()}


@pytest.mark.parametrize("statement", FORBIDDEN)
async def test_the_serving_role_cannot(
    as_serving_role: asyncpg.Connection, db: asyncpg.Connection, statement: str
) -> None:
    product = await db.fetchval(
        "INSERT INTO products (name, description, price, quantity) VALUES ('Cup', '', 1, 5) RETURNING id"
    )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await as_serving_role.execute(statement)
    assert [row["delta"] for row in await movements(db, product)] == [5]
    await assert_ledger_holds(db)


async def test_the_serving_role_does_what_the_service_does(
    as_serving_role: asyncpg.Connection, db: asyncpg.Connection
) -> None:
    """Plain SQL as the serving role keeps every rule: a quantity set is a correction, a delete archives."""
    product = await as_serving_role.fetchval(
        "INSERT INTO products (name, description, price, quantity) VALUES ('Cup', '', 1, 5) RETURNING id"
    )
    await as_serving_role.execute("UPDATE products SET quantity = 7 WHERE id = $1", product)
    await as_serving_role.execute("DELETE FROM products WHERE id = $1", product)
    assert await db.fetchval("SELECT archived_at IS NOT NULL FROM products WHERE id = $1", product)
    assert [(row["delta"], row["reason"]) for row in await movements(db, product)] == [
        (5, "initial"),
        (2, "correction"),
    ]
    assert await as_serving_role.fetchval("SELECT sum(row_count) FROM product_count_shards") == 0
    await assert_ledger_holds(db)
