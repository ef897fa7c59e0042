"""The migrations build the whole schema, match the models, come apart cleanly, and give the
products already there their opening `initial` movements."""

from app.models import HELPER_FUNCTIONS, TRIGGERS
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
        "stock_value_changes",
        "stock_value_buckets",
        *TRIGGERS.values(),
        *HELPER_FUNCTIONS,
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


OLD_LEDGER_VIOLATIONS = """
    SELECT ledger.id FROM (
        SELECT id, product_id, quantity_after,
               sum(delta) OVER (PARTITION BY product_id ORDER BY id) AS running,
               row_number() OVER (PARTITION BY product_id ORDER BY id DESC) AS newest
        FROM stock_movements
    ) AS ledger
    JOIN products p ON p.id = ledger.product_id
    WHERE ledger.quantity_after <> ledger.running
       OR (ledger.newest = 1 AND ledger.quantity_after <> p.quantity)
"""
"""0007's ledger: per product, quantity_after is the running sum and the newest one is the quantity."""


async def test_the_locations_migration_puts_the_stock_at_main_and_downgrades_cleanly(
    database_url: str,
) -> None:
    url = await sibling_database(database_url, "locations")
    assert run_alembic("downgrade", "base", url=url).returncode == 0
    assert run_alembic("upgrade", "0007", url=url).returncode == 0
    connection = await connect(url)
    try:
        await connection.executemany(
            "INSERT INTO products (name, description, price, quantity) VALUES ($1, '', 1, $2)",
            [("Mug", 12), ("Plate", 0), ("Cup", 7)],
        )
        await connection.execute("UPDATE products SET quantity = quantity + 3 WHERE name <> 'Plate'")
        upgrade = run_alembic("upgrade", "head", url=url)
        assert upgrade.returncode == 0, upgrade.stderr
        locations = await connection.fetch("SELECT id, name, is_default FROM locations")
        assert [tuple(row) for row in locations] == [(1, "Main", True)]
        levels = await connection.fetch(
            "SELECT p.name, s.location_id, s.quantity FROM stock_levels s"
            " JOIN products p ON p.id = s.product_id ORDER BY p.id"
        )
        assert [tuple(row) for row in levels] == [("Mug", 1, 15), ("Cup", 1, 10)]
        assert await connection.fetchval("SELECT count(*) FROM stock_movements WHERE location_id <> 1") == 0
        await assert_ledger_holds(connection)

        room = await connection.fetchval("INSERT INTO locations (name) VALUES ('Back room') RETURNING id")
        mug = await connection.fetchval("SELECT id FROM products WHERE name = 'Mug'")
        async with connection.transaction():  # a transfer of 4 by SQL, as the service writes one
            await connection.execute("SELECT set_config('inventory.movement_reason', 'transfer_out', true)")
            await connection.execute(
                "UPDATE stock_levels SET quantity = quantity - 4 WHERE product_id = $1", mug
            )
            await connection.execute("SELECT set_config('inventory.movement_reason', 'transfer_in', true)")
            await connection.execute("INSERT INTO stock_levels VALUES ($1, $2, 4)", mug, room)
        await connection.execute("UPDATE stock_levels SET quantity = 1 WHERE location_id = $1", room)
        await connection.execute("UPDATE products SET quantity = quantity - 2 WHERE id = $1", mug)
        await assert_ledger_holds(connection)

        downgrade = run_alembic("downgrade", "0007", url=url)
        assert downgrade.returncode == 0, downgrade.stderr
        assert await connection.fetch(OLD_LEDGER_VIOLATIONS) == []
        assert await connection.fetchval("SELECT quantity FROM products WHERE id = $1", mug) == 10
        reasons = await connection.fetch("SELECT DISTINCT reason FROM stock_movements ORDER BY reason")
        assert [row["reason"] for row in reasons] == ["correction", "initial"]
        again = run_alembic("upgrade", "head", url=url)
        assert again.returncode == 0, again.stderr
        await assert_ledger_holds(connection)
    finally:
        await connection.close()
