"""What `python -m app.provisioning.postgres ensure` says when the server answers with an error:
a refused login asks for the user and password, anything else is named for what it is (a
prepared-statement clash points at PgBouncer and DB_PGBOUNCER, not at the password)."""

import asyncpg
import pytest

from app.provisioning import postgres
from app.provisioning.postgres import DatabaseError, Target


@pytest.mark.parametrize(
    ("error", "says", "never"),
    [
        (asyncpg.InvalidPasswordError("password authentication failed"), "Check the user and password", ""),
        (
            asyncpg.DuplicatePreparedStatementError('prepared statement "__asyncpg_stmt_1__" already exists'),
            "DB_PGBOUNCER=1",
            "password",
        ),
        (
            asyncpg.InsufficientPrivilegeError("permission denied for database"),
            "InsufficientPrivilegeError",
            "password",
        ),
    ],
)
def test_each_refusal_says_what_failed(
    monkeypatch: pytest.MonkeyPatch, error: Exception, says: str, never: str
) -> None:
    async def refuse(_target: Target, _sql: str) -> object:
        raise error

    monkeypatch.setattr(postgres, "_fetch", refuse)
    target = Target.from_url("postgresql+asyncpg://inventory_user:secret@127.0.0.1:6432/inventory_db")
    with pytest.raises(DatabaseError) as refused:
        postgres._wait_for(target)
    assert says in str(refused.value)
    if never:
        assert never not in str(refused.value).replace("inventory_user", "")
