"""The drift `alembic check` cannot see: CHECKs, indexes, storage options, triggers and their functions.

One database is built by the migrations (`alembic upgrade head`), another from the models alone
(`SQLModel.metadata.create_all`). PostgreSQL prints both catalogues in its own normal form, so a
rule changed in one place only (a CHECK edited in a migration but not in the model, an index the
model forgot) fails here; the trigram index, which a server may or may not allow, is left out.
Trigger and function bodies live in the migrations alone: the models name each trigger and its
function (app.models.TRIGGERS), which must be exactly the ones migrated,
and the settings the ledger's functions read must be the models' constants.
"""

import re

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from app.models import (
    BATCH_SETTING,
    COUNTED_SETTING,
    EXPECTED_SETTING,
    HELPER_FUNCTIONS,
    LOCATION_SETTING,
    MOVE_STOCK,
    NAME_TRIGRAM_INDEX,
    NOTE_SETTING,
    REASON_SETTING,
    RECORD_MOVEMENT,
    REFUSED_SETTING,
    TRANSFER_SETTING,
    TRIGGERS,
    UNIT_COST_SETTING,
    UNIT_PRICE_SETTING,
    VALUE_SETTING,
)
from tests.support.database import connect, owner_url, sibling_database

CATALOGUE = {
    "constraints": """
        SELECT conrelid::regclass::text AS owner, conname AS name, pg_get_constraintdef(oid) AS definition
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 't'
    """,
    "indexes": "SELECT tablename AS owner, indexname AS name, indexdef AS definition"
    " FROM pg_indexes WHERE schemaname = 'public'",
    "storage": """
        SELECT '' AS owner, relname AS name, array_to_string(reloptions, ',') AS definition
        FROM pg_class WHERE relnamespace = 'public'::regnamespace AND reloptions IS NOT NULL
    """,
}
TRIGGER_CATALOGUE = """
    SELECT tgrelid::regclass::text AS owner, tgname AS name, tgfoid::regproc::text AS function
    FROM pg_trigger WHERE NOT tgisinternal
"""
FUNCTIONS = """
    SELECT proname FROM pg_proc
    WHERE pronamespace = 'public'::regnamespace
      AND NOT EXISTS (SELECT FROM pg_depend WHERE objid = pg_proc.oid AND deptype = 'e')
"""
"""The functions of the public schema but those of an extension (pg_trgm's)."""


def normal(definition: str) -> str:
    """One space for every run of whitespace."""
    return re.sub(r"\s+", " ", definition).strip()


async def catalogue(connection: asyncpg.Connection, kind: str) -> dict[tuple[str, str], str]:
    rows = await connection.fetch(CATALOGUE[kind])
    return {(row["owner"], row["name"]): normal(row["definition"]) for row in rows}


@pytest.fixture(scope="module")
async def built_from_models(database_url: str) -> str:
    url = await sibling_database(database_url, "models")
    engine = create_async_engine(owner_url(url))
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
    migrated.pop(("products", NAME_TRIGRAM_INDEX), None)  # only where pg_trgm is (test_search_index)
    assert declared, f"the models declare no {kind}: the comparison would prove nothing"
    assert migrated == declared


async def test_the_migrated_triggers_are_the_ones_the_models_name(db: asyncpg.Connection) -> None:
    migrated = {(row["owner"], row["name"]): row["function"] for row in await db.fetch(TRIGGER_CATALOGUE)}
    assert migrated == TRIGGERS
    functions = {row["proname"] for row in await db.fetch(FUNCTIONS)}
    assert functions == set(TRIGGERS.values()) | HELPER_FUNCTIONS


async def test_the_ledger_triggers_read_the_settings_the_data_layer_sets(db: asyncpg.Connection) -> None:
    recorder = await db.fetchval("SELECT prosrc FROM pg_proc WHERE proname = $1", RECORD_MOVEMENT)
    for setting in (REASON_SETTING, NOTE_SETTING, TRANSFER_SETTING, BATCH_SETTING):
        assert f"current_setting('{setting}', true)" in recorder
    assert f"set_config('{REASON_SETTING}', '', true)" in recorder
    mover = await db.fetchval("SELECT prosrc FROM pg_proc WHERE proname = $1", MOVE_STOCK)
    for setting in (REASON_SETTING, LOCATION_SETTING, EXPECTED_SETTING, COUNTED_SETTING):
        assert f"current_setting('{setting}', true)" in mover
        assert f"set_config('{setting}', '', true)" in mover
    assert f"set_config('{REFUSED_SETTING}', on_hand::text, false)" in mover


async def test_the_value_rules_read_the_settings_the_data_layer_sets(db: asyncpg.Connection) -> None:
    rules = await db.fetchval("SELECT prosrc FROM pg_proc WHERE proname = 'stock_movement_value'")
    for setting in (UNIT_COST_SETTING, UNIT_PRICE_SETTING):
        assert f"current_setting('{setting}', true)" in rules
        assert f"set_config('{setting}', '', true)" in rules
    recorder = await db.fetchval("SELECT prosrc FROM pg_proc WHERE proname = $1", RECORD_MOVEMENT)
    assert f"current_setting('{VALUE_SETTING}', true)" in recorder
    mover = await db.fetchval("SELECT prosrc FROM pg_proc WHERE proname = $1", MOVE_STOCK)
    assert f"set_config('{VALUE_SETTING}'," in mover
