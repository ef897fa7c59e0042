"""The async engine, its session factory and the per-request session dependency."""

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from app.config import Settings, get_settings


def build_engine(settings: Settings) -> AsyncEngine:
    """One pool of asyncpg connections, with bounded waits so an outage fails fast."""
    return create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=True,
        connect_args={
            "timeout": settings.db_connect_timeout,
            "server_settings": {
                "application_name": "inventory",
                "statement_timeout": str(settings.db_statement_timeout_ms),
            },
        },
    )


engine = build_engine(get_settings())
session_factory = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    """One session per request; operations commit themselves (never in this teardown)."""
    async with session_factory() as session:
        yield session
