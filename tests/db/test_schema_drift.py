"""The drift `alembic check` cannot see: CHECKs, indexes, triggers, their functions, storage options.

One database is built by the migrations (`alembic upgrade head`), another from the models alone
(`SQLModel.metadata.create_all`, which also runs the DDL the models attach, such as triggers).
PostgreSQL prints both catalogues in its own normal form, so a rule changed in one place only
(a CHECK edited in a migration but not in the model, an index the model forgot) fails here.
"""

import re

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table on SQLModel.metadata)
from tests.support.database import connect, sibling_database

CATALOGUE = {
    "constraints": """
        SELECT conrelid::regclass::text AS owner, conname AS name, pg_get_constraintdef(oid) AS definition
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    """,
    "indexes": "SELECT tablename AS owner, indexname AS name, indexdef AS definition"
    " FROM pg_indexes WHERE schemaname = 'public'",
    "triggers": """
        SELECT tgrelid::regclass::text AS owner, tgname AS name, pg_get_triggerdef(oid) AS definition
        FROM pg_trigger WHERE NOT tgisinternal
    """,
    "storage": """
        SELECT '' AS owner, relname AS name, array_to_string(reloptions, ',') AS definition
        FROM pg_class WHERE relnamespace = 'public'::regnamespace AND reloptions IS NOT NULL
    """,
    "functions": """
        SELECT '' AS owner, proname AS name, prosrc AS definition
        FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    """,
}


def normal(definition: str) -> str:
    """One space for every run of whitespace: function bodies keep their author's layout."""
    return re.sub(r"\s+", " ", definition).strip()


async def catalogue(connection: asyncpg.Connection, kind: str) -> dict[tuple[str, str], str]:
    rows = await connection.fetch(CATALOGUE[kind])
    return {(row["owner"], row["name"]): normal(row["definition"]) for row in rows}


@pytest.fixture(scope="module")
async def built_from_models(database_url: str) -> str:
    url = await sibling_database(database_url, "models")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
            await connection.run_sync(SQLModel.metadata.create_all)
    finally:
        await engine.dispose()
    return url


@pytest.mark.parametrize("kind", CATALOGUE)
async def test_migrations_and_models_declare_the_same(
    db: asyncpg.Connection, built_from_models: str, kind: str
) -> None:
    models = await connect(built_from_models)
    try:
        declared = await catalogue(models, kind)
    finally:
        await models.close()
    migrated = await catalogue(db, kind)
    migrated.pop(("alembic_version", "alembic_version_pkc"), None)  # Alembic's own bookkeeping
    assert declared, f"the models declare no {kind}: the comparison would prove nothing"
    assert migrated == declared
