"""Reaching a database from the tests and bench/: the DSN asyncpg takes, and emptying the tables.

The ledger is append-only for every role (alembic/versions/0007), so the only way to start again
from nothing is its owner lifting the TRUNCATE guard for one transaction: `truncate_tables` does
that, and nothing in the product does.
"""

import asyncpg
from sqlalchemy.engine import make_url

TRUNCATE_GUARD = "stock_movements_append_only_truncate"
SERVICE_TABLES = ("products", "api_keys", "idempotency_keys")
"""Every table the service writes; emptying `products` empties the ledger that hangs off it."""


def asyncpg_dsn(url: str) -> str:
    """The plain libpq form of a SQLAlchemy URL (`postgresql+asyncpg://...`), for asyncpg.connect()."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def truncate_tables(owner: asyncpg.Connection, tables: tuple[str, ...] = SERVICE_TABLES) -> None:
    """As the tables' owner: empty `tables` (and what references them), ids restarting at 1."""
    async with owner.transaction():
        await owner.execute(f"ALTER TABLE stock_movements DISABLE TRIGGER {TRUNCATE_GUARD}")
        await owner.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        await owner.execute(f"ALTER TABLE stock_movements ENABLE TRIGGER {TRUNCATE_GUARD}")
