"""Alembic environment: async migrations against the app's own database settings."""

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from app.core.config import get_settings
from app.models import NAME_TRIGRAM_INDEX  # importing app.models registers the tables on SQLModel.metadata

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata
UNDECLARED_INDEXES = {NAME_TRIGRAM_INDEX}
"""Made by a migration only where the server allows (pg_trgm), so the models cannot declare them."""


def include_object(_: object, name: str | None, type_: str, reflected: bool, __: object) -> bool:
    """What `alembic check` compares: everything but the indexes a server may or may not have."""
    return not (type_ == "index" and reflected and name in UNDECLARED_INDEXES)


def database_url() -> str:
    """`alembic -x url=...` wins, then DATABASE_URL / the default from the app's settings."""
    return context.get_x_argument(as_dictionary=True).get("url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(), target_metadata=target_metadata, literal_binds=True, include_object=include_object
    )
    with context.begin_transaction():
        context.run_migrations()


def migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_async_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(migrate)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
