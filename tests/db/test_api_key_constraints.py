"""The rules of `api_keys` hold in PostgreSQL itself, for rows written with plain SQL."""

import asyncpg
import pytest

HASH = bytes(32)
INSERT = "INSERT INTO api_keys (name, role, secret_hash) VALUES ($1, $2, $3)"


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (("till", "admin", HASH), asyncpg.CheckViolationError),
        (("till", "Write", HASH), asyncpg.CheckViolationError),
        (("", "write", HASH), asyncpg.CheckViolationError),
        (("-till", "write", HASH), asyncpg.CheckViolationError),
        (("the till", "write", HASH), asyncpg.CheckViolationError),
        (("t" * 65, "write", HASH), asyncpg.StringDataRightTruncationError),
        (("till", "write", b"secret"), asyncpg.CheckViolationError),
        (("till", "write", bytes(64)), asyncpg.CheckViolationError),
        ((None, "write", HASH), asyncpg.NotNullViolationError),
        (("till", None, HASH), asyncpg.NotNullViolationError),
        (("till", "write", None), asyncpg.NotNullViolationError),
    ],
)
async def test_invalid_keys_are_refused(
    db: asyncpg.Connection, row: tuple[object, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await db.execute(INSERT, *row)
    assert await db.fetchval("SELECT count(*) FROM api_keys") == 0


async def test_names_and_hashes_are_unique(db: asyncpg.Connection) -> None:
    await db.execute(INSERT, "till", "write", HASH)
    with pytest.raises(asyncpg.UniqueViolationError, match="uq_api_keys_name_lower"):
        await db.execute(INSERT, "TILL", "read", bytes([1]) * 32)
    with pytest.raises(asyncpg.UniqueViolationError, match="uq_api_keys_secret_hash"):
        await db.execute(INSERT, "accountant", "read", HASH)
    row = await db.fetchrow("SELECT created_at, last_used_at, revoked_at FROM api_keys")
    assert row is not None
    assert row["created_at"] is not None
    assert (row["last_used_at"], row["revoked_at"]) == (None, None)


async def test_a_key_is_found_by_its_hash_through_the_unique_index(db: asyncpg.Connection) -> None:
    await db.execute("SET enable_seqscan = off")  # a tiny table would be scanned otherwise
    try:
        plan = await db.fetchval("EXPLAIN (FORMAT TEXT) SELECT id FROM api_keys WHERE secret_hash = $1", HASH)
    finally:
        await db.execute("RESET enable_seqscan")
    assert "uq_api_keys_secret_hash" in plan
