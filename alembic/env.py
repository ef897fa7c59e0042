"""Alembic environment: async migrations against the app's own database settings.

The migrations run as the owner of the tables (`MIGRATION_DATABASE_URL`, see
`Settings.migration_url`); after every run, in the same transaction, the role of `DATABASE_URL`
(the one the service serves with) gets exactly `app.models.SERVING_PRIVILEGES` on the tables
that exist (everything else revoked first, so a privilege dropped from the models is dropped
from the database too) and EXECUTE on `SERVING_FUNCTIONS`. A one-role installation (both URLs
the same role) grants nothing.
"""

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from app.core.config import get_settings
from app.models import (  # importing app.models registers the tables on SQLModel.metadata
    NAME_TRIGRAM_INDEX,
    SERVING_FUNCTIONS,
    SERVING_PRIVILEGES,
)

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
    """`alembic -x url=...` wins, then the owner's URL from the app's settings."""
    return context.get_x_argument(as_dictionary=True).get("url") or get_settings().migration_url


def changes_the_schema() -> bool:
    """Whether this run is an upgrade or a downgrade (or an API call): not `current` or `check`."""
    command = getattr(config.cmd_opts, "cmd", (None,))[0]
    return getattr(command, "__name__", None) in {None, "upgrade", "downgrade"}


def grant_serving_role(connection: Connection) -> None:
    """Give the serving role (DATABASE_URL's user) exactly SERVING_PRIVILEGES, unless it is us."""
    serving = make_url(get_settings().database_url).username
    if not serving or serving == connection.exec_driver_sql("SELECT current_user").scalar():
        return
    role = connection.dialect.identifier_preparer.quote(serving)
    tables = set(inspect(connection).get_table_names())
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {role}")
    connection.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
    connection.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
    for table, privileges in SERVING_PRIVILEGES.items():
        if table in tables:
            connection.exec_driver_sql(f"GRANT {', '.join(privileges)} ON {table} TO {role}")
    functions = set(connection.exec_driver_sql("SELECT oid::regprocedure::text FROM pg_proc").scalars())
    for function in functions & set(SERVING_FUNCTIONS):
        connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {role}")


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
        if changes_the_schema():
            grant_serving_role(connection)


async def run_migrations_online() -> None:
    # No named prepared statements (asyncpg's and SQLAlchemy's caches off): the migrations may run
    # through PgBouncer in transaction mode (DB_PGBOUNCER=1), where a name clashes between servers.
    engine = create_async_engine(
        database_url(), connect_args={"statement_cache_size": 0, "prepared_statement_cache_size": 0}
    )
    async with engine.connect() as connection:
        await connection.run_sync(migrate)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
