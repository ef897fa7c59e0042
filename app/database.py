"""The async engine: one pool of asyncpg connections, built from the settings.

Every operation in app.crud is a single SQL statement, so connections run in autocommit mode:
each statement is its own transaction (atomic on its own, committed before the route answers),
and no BEGIN/COMMIT round trips are spent around it.
"""

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.config import Settings, get_settings


def build_engine(settings: Settings) -> AsyncEngine:
    """A pool with bounded waits, so that an outage fails fast, and stale connections replaced."""
    return create_async_engine(
        settings.database_url,
        isolation_level="AUTOCOMMIT",
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=True,
        connect_args={
            "timeout": settings.db_connect_timeout,
            # A client-side bound on every query and pre-ping: a server that stopped answering
            # cannot fire statement_timeout. One second above it, so the server's cancel comes first.
            "command_timeout": settings.db_statement_timeout_ms / 1000 + 1
            if settings.db_statement_timeout_ms
            else None,
            "server_settings": {
                "application_name": "inventory",
                "statement_timeout": str(settings.db_statement_timeout_ms),
            },
        },
    )


engine = build_engine(get_settings())
