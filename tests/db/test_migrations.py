"""The migrations build the whole schema, match the models, and come apart cleanly."""

from tests.support.database import connect, run_alembic, sibling_database


async def tables(url: str) -> set[str]:
    connection = await connect(url)
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        functions = await connection.fetch("SELECT proname FROM pg_proc WHERE proname LIKE 'products_%'")
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
        "idempotency_keys",
        "products",
        "products_touch_updated_at",
    }

    check = run_alembic("check", url=url)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr

    downgrade = run_alembic("downgrade", "base", url=url)
    assert downgrade.returncode == 0, downgrade.stderr
    assert await tables(url) == {"alembic_version"}
