"""Async data access for API keys: create, list, revoke, and the lookup behind every checked request.

SQL only, keyword-only arguments. Keys are found by the SHA-256 of their secret (app.auth.tokens);
the secret itself is never stored.
"""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.models import API_KEYS

KEYS = API_KEYS.c
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""`last_used_at` is rewritten at most this often per key: no write per request."""
KeyRow = Row[*tuple[Any, ...]]


async def create_key(*, db: AsyncConnection, name: str, role: str, secret_hash: bytes) -> bool:
    """Add a key; False (nothing added) when a key of that name, in any case, exists already."""
    statement = (
        insert(API_KEYS)
        .values(name=name, role=role, secret_hash=secret_hash)
        .on_conflict_do_nothing(index_elements=[func.lower(KEYS.name)])
        .returning(KEYS.id)
    )
    return (await db.execute(statement)).one_or_none() is not None


async def list_keys(*, db: AsyncConnection) -> Sequence[KeyRow]:
    """Every key, oldest first: name, role, created_at, last_used_at, revoked_at (never the hash)."""
    columns = (KEYS.name, KEYS.role, KEYS.created_at, KEYS.last_used_at, KEYS.revoked_at)
    return (await db.execute(select(*columns).order_by(KEYS.id))).all()


async def revoke_key(*, db: AsyncConnection, name: str) -> KeyRow | None:
    """Revoke the key named `name` (any case): its name and revoked_at, or None if none matched.

    A key revoked earlier keeps its first revocation time.
    """
    statement = (
        update(API_KEYS)
        .where(func.lower(KEYS.name) == func.lower(name))
        .values(revoked_at=func.coalesce(KEYS.revoked_at, func.now()))
        .returning(KEYS.name, KEYS.revoked_at)
    )
    return (await db.execute(statement)).one_or_none()


async def authenticate(*, db: AsyncConnection, secret_hash: bytes) -> KeyRow | None:
    """The key with this hash (id, role, revoked_at), or None; one statement, one round trip.

    The same statement records the use in `last_used_at` when the stored time is older than
    LAST_USED_RESOLUTION, so that a busy key costs one write a minute, not one per request.
    """
    found = (
        select(KEYS.id, KEYS.role, KEYS.revoked_at, KEYS.last_used_at)
        .where(KEYS.secret_hash == secret_hash)
        .cte("found")
    )
    touch = (
        update(API_KEYS)
        .where(
            KEYS.id == found.c.id,
            found.c.revoked_at.is_(None),
            or_(found.c.last_used_at.is_(None), found.c.last_used_at < func.now() - LAST_USED_RESOLUTION),
        )
        .values(last_used_at=func.now())
        .cte("touch")
    )
    statement = select(found.c.id, found.c.role, found.c.revoked_at).add_cte(touch)
    return (await db.execute(statement)).one_or_none()
