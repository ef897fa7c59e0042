"""Reaching a database from the tests and bench/: the DSN asyncpg takes, and emptying the tables.

The ledger is append-only for every role (alembic/versions/0007) and the stock levels keep their
rows (0008), so the only way to start again from nothing is their owner lifting the TRUNCATE
guards for one transaction: `truncate_tables` does that, and nothing in the product does. Emptied
locations get their first default back (`Main`, id 1), as the migration made it.
"""

import asyncpg
from sqlalchemy.engine import make_url

from app.models import FIRST_LOCATION

TRUNCATE_GUARDS = {
    "stock_movements": "stock_movements_append_only_truncate",
    "stock_levels": "stock_levels_keep_truncate",
}
SERVICE_TABLES = ("products", "locations", "api_keys", "idempotency_keys")
"""Every table the service writes; emptying `products` empties the ledger and the levels that hang off it."""
VALUE_SUMMARIES = ("stock_value_changes", "stock_value_buckets")
"""The reports' summaries of the ledger (no foreign key): emptied with `products`."""


def asyncpg_dsn(url: str) -> str:
    """The plain libpq form of a SQLAlchemy URL (`postgresql+asyncpg://...`), for asyncpg.connect()."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def truncate_tables(owner: asyncpg.Connection, tables: tuple[str, ...] = SERVICE_TABLES) -> None:
    """As the tables' owner: empty `tables` (and what references them), ids restarting at 1."""
    async with owner.transaction():
        for table, guard in TRUNCATE_GUARDS.items():
            await owner.execute(f"ALTER TABLE {table} DISABLE TRIGGER {guard}")
        summaries = VALUE_SUMMARIES if "products" in tables else ()
        await owner.execute(f"TRUNCATE {', '.join((*tables, *summaries))} RESTART IDENTITY CASCADE")
        for table, guard in TRUNCATE_GUARDS.items():
            await owner.execute(f"ALTER TABLE {table} ENABLE TRIGGER {guard}")
        if "locations" in tables:
            await owner.execute("INSERT INTO locations (name, is_default) VALUES ($1, true)", FIRST_LOCATION)
