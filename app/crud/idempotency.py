"""SQL for idempotency keys: claim a key, store a write's outcome, purge expired keys.

A key is claimed with a transaction-level advisory lock on (scope, key), taken in the same
statement that looks for its stored outcome, inside the transaction that carries the write
(app.api.idempotency). Keyword-only functions; the TTL is an interval measured from
`created_at`, so a changed `IDEMPOTENCY_TTL_HOURS` applies to every key at once.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, delete, func, literal, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.models import IDEMPOTENCY_KEYS

KEYS = IDEMPOTENCY_KEYS.c


@dataclass(frozen=True)
class KeyedRequest:
    """What identifies a keyed write: whose key it is, the key, and the request it came with."""

    scope: str
    key: str
    method: str
    path: str
    body_sha256: bytes


@dataclass(frozen=True)
class Outcome:
    """A write's answer as stored and replayed."""

    status: int
    body: bytes
    location: str | None


@dataclass(frozen=True)
class Stored:
    """An unexpired key's row: the request it was first used with and that request's answer."""

    method: str
    path: str
    body_sha256: bytes
    outcome: Outcome

    def matches(self, request: KeyedRequest) -> bool:
        sent = (request.method, request.path, request.body_sha256)
        return (self.method, self.path, self.body_sha256) == sent


@dataclass(frozen=True)
class Claim:
    """`locked`: this transaction holds the key; `stored`: the key's outcome, if it has one."""

    locked: bool
    stored: Stored | None


def lock_id(scope: str, key: str) -> int:
    """The 64-bit advisory lock number of (scope, key)."""
    digest = hashlib.blake2b(f"{scope}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def claim(*, db: AsyncConnection, request: KeyedRequest, ttl: timedelta) -> Claim:
    """Try the key's lock (never waiting) and read its unexpired outcome, in one statement.

    Call inside a transaction: the lock lasts until it ends. The row is read in the statement's
    snapshot, taken just before the lock: a holder that committed in between goes unseen here,
    and `store` then finds its row.
    """
    found = and_(KEYS.scope == request.scope, KEYS.key == request.key, KEYS.created_at > func.now() - ttl)
    statement = select(
        func.pg_try_advisory_xact_lock(lock_id(request.scope, request.key)).label("locked"),
        KEYS.method,
        KEYS.path,
        KEYS.request_sha256,
        KEYS.status,
        KEYS.response_body,
        KEYS.location,
    ).select_from(select(literal(1)).subquery().outerjoin(IDEMPOTENCY_KEYS, found))
    row = (await db.execute(statement)).one()
    if row.status is None:
        return Claim(locked=row.locked, stored=None)
    outcome = Outcome(status=row.status, body=row.response_body, location=row.location)
    return Claim(locked=row.locked, stored=Stored(row.method, row.path, row.request_sha256, outcome))


async def store(*, db: AsyncConnection, request: KeyedRequest, outcome: Outcome, ttl: timedelta) -> bool:
    """Record the outcome of the write that holds the key; an expired row of the key is replaced.

    False when an unexpired row is there already (its writer committed just before `claim`):
    the caller must then roll back its own effect.
    """
    values = {
        "scope": request.scope,
        "key": request.key,
        "method": request.method,
        "path": request.path,
        "request_sha256": request.body_sha256,
        "status": outcome.status,
        "response_body": outcome.body,
        "location": outcome.location,
    }
    statement = (
        insert(IDEMPOTENCY_KEYS)
        .values(**values)
        .on_conflict_do_update(
            constraint="pk_idempotency_keys",
            set_={**values, "created_at": func.now()},
            where=KEYS.created_at <= func.now() - ttl,
        )
        .returning(KEYS.key)
    )
    return (await db.execute(statement)).first() is not None


async def purge_expired(*, db: AsyncConnection, ttl: timedelta, limit: int) -> int:
    """Delete up to `limit` expired keys (skipping rows another transaction holds); how many."""
    expired = (
        select(KEYS.scope, KEYS.key)
        .where(KEYS.created_at <= func.now() - ttl)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = await db.execute(delete(IDEMPOTENCY_KEYS).where(tuple_(KEYS.scope, KEYS.key).in_(expired)))
    return result.rowcount
