"""`python -m app.keys`: run as a user runs it, against the test database, checked in PostgreSQL."""

import asyncio
import hashlib
import os
import re
import subprocess
import sys
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.auth.middleware import CACHE_SECONDS
from app.core.access import AuthMode
from tests.support.app import AppFactory, asgi_client
from tests.support.database import PROJECT_ROOT, owner_url
from tests.support.keys import bearer, run_keys


async def keys(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return await run_keys(*args, url=database_url)


async def test_create_prints_the_key_once_and_stores_only_its_hash(
    database_url: str, db: asyncpg.Connection
) -> None:
    created = await keys(database_url, "create", "till", "--role", "write")
    assert created.returncode == 0, created.stderr
    token = created.stdout.splitlines()[-1]
    assert token.startswith("inv_")
    assert len(token) == 47
    row = await db.fetchrow("SELECT name, role, secret_hash, last_used_at, revoked_at FROM api_keys")
    assert row is not None
    assert dict(row) == {
        "name": "till",
        "role": "write",
        "secret_hash": hashlib.sha256(token.encode()).digest(),
        "last_used_at": None,
        "revoked_at": None,
    }
    again = await keys(database_url, "create", "TILL", "--role", "read")
    assert again.returncode == 1
    assert "exists already" in again.stderr
    assert token not in again.stdout + again.stderr
    assert await db.fetchval("SELECT count(*) FROM api_keys") == 1


async def test_bad_arguments_are_refused_before_the_database(
    database_url: str, db: asyncpg.Connection
) -> None:
    for args in (
        ("create", "till"),
        ("create", "till", "--role", "admin"),
        ("create", "no spaces", "--role", "read"),
    ):
        refused = await keys(database_url, *args)
        assert refused.returncode == 2, args
        assert "usage:" in refused.stderr
    assert await db.fetchval("SELECT count(*) FROM api_keys") == 0


async def test_list_shows_use_and_revocation_but_never_a_secret(
    database_url: str, app_factory: AppFactory, db: asyncpg.Connection
) -> None:
    empty = await keys(database_url, "list")
    assert "No API keys yet" in empty.stdout
    till = (await keys(database_url, "create", "till", "--role", "write")).stdout.splitlines()[-1]
    accountant = (await keys(database_url, "create", "accountant", "--role", "read")).stdout.splitlines()[-1]

    async with app_factory(auth_mode=AuthMode.ALL) as application, asgi_client(application) as client:
        assert (await client.get("/products", headers=bearer(till))).status_code == 200
        revoked = await keys(database_url, "revoke", "till")
        assert revoked.returncode == 0, revoked.stderr
        assert "revoked" in revoked.stdout
        await asyncio.sleep(CACHE_SECONDS)  # the most a worker may go on trusting a key it checked
        refused = await client.get("/products", headers=bearer(till))
        assert refused.status_code == 401
        assert refused.json() == {"detail": "This API key has been revoked"}
        assert (await client.get("/products", headers=bearer(accountant))).status_code == 200

    listed = await keys(database_url, "list")
    assert listed.returncode == 0
    table = [re.split(r"\s{2,}", line) for line in listed.stdout.splitlines()]
    assert table[0] == ["NAME", "ROLE", "CREATED", "LAST USED", "REVOKED"]
    (name, role, created, used, revoked_at), accountant_row = table[1], table[2]
    assert (name, role) == ("till", "write")
    assert created.endswith(" UTC")
    assert used.endswith(" UTC")
    assert revoked_at.endswith(" UTC")
    assert accountant_row[:2] == ["accountant", "read"]
    assert accountant_row[3].endswith(" UTC")
    assert accountant_row[4] == "-"
    assert till not in listed.stdout
    assert accountant not in listed.stdout
    assert "inv_" not in listed.stdout

    unknown = await keys(database_url, "revoke", "nobody")
    assert unknown.returncode == 1
    assert "No API key is named 'nobody'" in unknown.stderr
    first_revocation = await db.fetchval("SELECT revoked_at FROM api_keys WHERE name = 'till'")
    assert (await keys(database_url, "revoke", "TILL")).returncode == 0  # again: the first time stays
    assert await db.fetchval("SELECT revoked_at FROM api_keys WHERE name = 'till'") == first_revocation


def keys_at(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m app.keys ARGS` with DATABASE_URL set to `url`, whatever it is."""
    environment = {name: value for name, value in os.environ.items() if name != "MIGRATION_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "app.keys", *args],
        cwd=PROJECT_ROOT,
        env={**environment, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("change", "says", "status"),
    [
        (
            {"password": "not-the-password"},
            "refused the login of 'inventory_user': check the user and password",
            1,
        ),
        ({"database": "inventory_tpyo"}, "database 'inventory_tpyo' does not exist on localhost:", 1),
        ({"port": 1}, "nothing answers at localhost:1 (connection refused)", 1),
    ],
)
def test_a_database_it_cannot_use_is_one_line_that_says_what_to_do(
    database_url: str, change: dict[str, Any], says: str, status: int
) -> None:
    url = make_url(database_url).set(**change).render_as_string(False)
    failed = keys_at(url, "list")
    assert (failed.returncode, failed.stdout) == (status, "")
    assert failed.stderr.startswith("Error: ")
    assert says in failed.stderr
    assert len(failed.stderr.splitlines()) == 1
    assert "Traceback" not in failed.stderr
    assert "not-the-password" not in failed.stderr


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://shop:secret-pw@localhost/shop", "DATABASE_URL names mysql://, not PostgreSQL"),
        ("postgresql://shop:secret-pw@localhost:fivefour/shop", "DATABASE_URL is not a URL of the form"),
        ("shop:secret-pw at localhost", "DATABASE_URL is not a URL of the form"),
    ],
)
def test_a_url_that_is_not_postgresql_is_refused_before_connecting(url: str, says: str) -> None:
    refused = keys_at(url, "list")
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"Error: {says}")
    assert "postgresql://USER:PASSWORD@HOST:PORT/DATABASE" in refused.stderr
    assert "secret-pw" not in refused.stderr
    assert "Traceback" not in refused.stderr


async def test_a_database_without_its_tables_says_to_migrate(
    database_url: str, db: asyncpg.Connection
) -> None:
    bare = f"{make_url(database_url).database}_bare"
    await db.execute(f'DROP DATABASE IF EXISTS "{bare}"')
    await db.execute(f'CREATE DATABASE "{bare}"')
    try:
        failed = keys_at(owner_url(make_url(database_url).set(database=bare).render_as_string(False)), "list")
        assert failed.returncode == 1
        assert f"Error: database '{bare}' on localhost:" in failed.stderr
        assert "alembic upgrade head" in failed.stderr
    finally:
        await db.execute(f'DROP DATABASE "{bare}"')


def test_help_names_the_database_it_uses() -> None:
    shown = keys_at("", "--help")
    assert shown.returncode == 0
    assert "DATABASE_URL" in shown.stdout
    assert "inventory_db" in shown.stdout
