"""The migrations build the whole schema, match the models, come apart cleanly, and give the
products already there their opening `initial` movements."""

from app.models import TRIGGERS
from tests.support.database import connect, run_alembic, sibling_database
from tests.support.sql import assert_ledger_holds


async def tables(url: str) -> set[str]:
    connection = await connect(url)
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        functions = await connection.fetch(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
            " AND NOT EXISTS (SELECT FROM pg_depend WHERE objid = pg_proc.oid AND deptype = 'e')"
        )
    finally:
        await connection.close()
    return {row["tablename"] for row in rows} | {row["proname"] for row in functions}


async def test_upgrade_check_downgrade_upgrade(database_url: str) -> None:
    url = await sibling_database(database_url, "migrations")
    assert run_alembic("downgrade", "base", url=url).returncode == 0
    assert await tables(url) == {"alembic_version"}

    upgrade = run_alembic("upgrade", "head", url=url)
    assert upgrade.returncode == 0, upgrade.stderr
    assert await tables(url) == {
        "alembic_version",
        "api_keys",
        "idempotency_keys",
        "locations",
        "products",
        "product_count_shards",
        "stock_levels",
        "stock_movements",
        *TRIGGERS.values(),
    }

    check = run_alembic("check", url=url)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr

    downgrade = run_alembic("downgrade", "base", url=url)
    assert downgrade.returncode == 0, downgrade.stderr
    assert await tables(url) == {"alembic_version"}


async def test_the_ledger_migration_gives_existing_stock_its_initial_movement(database_url: str) -> None:
    url = await sibling_database(database_url, "backfill")
    assert run_alembic("downgrade", "base", url=url).returncode == 0
    assert run_alembic("upgrade", "0001", url=url).returncode == 0
    connection = await connect(url)
    try:
        await connection.executemany(
            "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, $2)",
            [("Stocked", 12), ("Empty", 0), ("Full", 2_147_483_647)],
        )
        upgrade = run_alembic("upgrade", "head", url=url)
        assert upgrade.returncode == 0, upgrade.stderr
        rows = await connection.fetch(
            "SELECT p.name, m.delta, m.quantity_after, m.reason FROM stock_movements m"
            " JOIN products p ON p.id = m.product_id ORDER BY m.id"
        )
        assert [tuple(row) for row in rows] == [
            ("Stocked", 12, 12, "initial"),
            ("Full", 2_147_483_647, 2_147_483_647, "initial"),
        ]
        await assert_ledger_holds(connection)
        downgrade = run_alembic("downgrade", "0001", url=url)
        assert downgrade.returncode == 0, downgrade.stderr
        assert await connection.fetchval("SELECT count(*) FROM products") == 3
    finally:
        await connection.close()
