"""The async engine: one pool of asyncpg connections, built from the settings by `build_engine`.

The app builds its engine in its lifespan (app.main) and hands out connections through
app.api.deps. Connections run in autocommit mode: most operations are a single SQL statement, each
its own transaction (atomic on its own, committed before the route answers), with no
BEGIN/COMMIT round trips around it. Work that needs several statements to commit together
wraps them in `transaction(db)`.
"""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from app.core.config import Settings

IN_TRANSACTION = "inventory.in_transaction"
"""Marks a connection (its `info`) while `transaction()` holds a transaction open on it."""

IDLE_SECONDS_BEFORE_PING = 1.0
"""A pooled connection idle for longer is pinged before use: the database may have restarted."""


def _mark_idle(_: Any, record: ConnectionPoolEntry) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _: PoolProxiedConnection) -> None:
    """A pessimistic check, but only after idleness: a busy pool spends no round trip on it.

    DisconnectionError makes the pool discard this connection and hand out a fresh one.
    """
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < IDLE_SECONDS_BEFORE_PING:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:
        raise DisconnectionError("a pooled connection did not answer its ping") from error


def _connect_args(settings: Settings) -> dict[str, Any]:
    """asyncpg's connection arguments: timeouts, the session's settings, PgBouncer's needs."""
    arguments: dict[str, Any] = {
        "timeout": settings.db_connect_timeout,
        # A client-side bound on every query and ping: a server that stopped answering
        # cannot fire statement_timeout. One second above it, so the server's cancel comes first.
        "command_timeout": settings.db_statement_timeout_ms / 1000 + 1
        if settings.db_statement_timeout_ms
        else None,
        "server_settings": {"application_name": "inventory"},
    }
    if not settings.db_pgbouncer:
        arguments["server_settings"]["statement_timeout"] = str(settings.db_statement_timeout_ms)
        return arguments
    # In transaction mode PgBouncer may hand each Sync of the protocol to another server
    # connection, so nothing may outlive one: with both statement caches off (asyncpg's and
    # SQLAlchemy's) and no statement name, asyncpg uses the unnamed statement and Parses it again
    # in the same Sync as its Bind and Execute. (Unique names, SQLAlchemy's other suggestion, do
    # not help here: on an autocommit connection the Parse and the Execute are separate Syncs, so
    # the named statement is missing on the second server.) PgBouncer also refuses startup
    # parameters it does not track, such as statement_timeout: set that on the role instead.
    arguments |= {"statement_cache_size": 0, "prepared_statement_cache_size": 0}
    return arguments


BACKGROUND_CONNECTIONS = 1
"""The size of the background jobs' own pool (the purge and the fold share it), per worker."""


def build_engine(settings: Settings, *, connections: int | None = None) -> AsyncEngine:
    """A pool with bounded waits, so that an outage fails fast, and dead connections replaced:
    `DB_POOL_SIZE` and `DB_MAX_OVERFLOW`'s, or exactly `connections` (the background jobs')."""
    engine = create_async_engine(
        settings.database_url,
        isolation_level="AUTOCOMMIT",
        pool_size=settings.db_pool_size if connections is None else connections,
        max_overflow=settings.db_max_overflow if connections is None else 0,
        pool_timeout=settings.db_pool_timeout,
        connect_args=_connect_args(settings),
    )
    event.listen(engine.sync_engine, "checkin", _mark_idle)
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


@asynccontextmanager
async def transaction(db: AsyncConnection) -> AsyncIterator[AsyncConnection]:
    """The statements inside commit together (READ COMMITTED), or none of them does.

    Inside a transaction that an outer `transaction()` holds on the same connection, this one is
    a savepoint: an error inside undoes only its own statements, and the outer one decides.
    """
    if db.info.get(IN_TRANSACTION):
        async with db.begin_nested():
            yield db
        return
    await db.commit()  # ends SQLAlchemy's autobegun (empty) transaction: the isolation may change
    await db.execution_options(isolation_level="READ COMMITTED")
    db.info[IN_TRANSACTION] = True
    try:
        async with db.begin():
            yield db
    finally:
        # A connection lost inside is invalidated: touching it would reconnect outside the
        # event loop's greenlet. It is discarded with its marker; there is nothing to restore.
        if not db.invalidated:
            db.info[IN_TRANSACTION] = False
            await db.execution_options(isolation_level="AUTOCOMMIT")


DATABASE_UNAVAILABLE = "The database is unavailable; please retry shortly"
# SQLSTATE classes that mean "the database cannot serve us now", not "bad request": connection
# exceptions (08), refused login (28: wrong password or role), no such database (3D), insufficient
# resources (53), operator intervention: cancelled by statement_timeout, shutting down (57).
UNAVAILABLE_SQLSTATE_PREFIXES = ("08", "28", "3D", "53", "57")


def is_database_unavailable(exc: BaseException) -> bool:
    """Connection failures, pool timeouts and server-side cancellations, but not bad SQL."""
    if isinstance(exc, sa_exc.TimeoutError | OSError):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
        return (
            exc.connection_invalidated
            or isinstance(exc, sa_exc.InterfaceError)
            or sqlstate.startswith(UNAVAILABLE_SQLSTATE_PREFIXES)
            or (isinstance(exc, sa_exc.OperationalError) and not sqlstate)
        )
    return False
