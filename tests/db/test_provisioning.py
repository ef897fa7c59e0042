"""`python -m app.provisioning.postgres ensure`, as run.sh runs it: a database that DATABASE_URL
names but that does not exist is made only when the command says so (`--create`, or
`CREATE_DATABASE=1`), since a mistyped name would otherwise become a new, empty shop."""

import secrets

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.support.database import owner_url, run_module


def missing_url(database_url: str) -> str:
    return (
        make_url(database_url).set(database=f"inventory_typo_{secrets.token_hex(3)}").render_as_string(False)
    )


async def exists(db: asyncpg.Connection, url: str) -> bool:
    found: bool = await db.fetchval(
        "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", make_url(url).database
    )
    return found


@pytest.mark.parametrize("told", [["--create"], ["CREATE_DATABASE=1"]])
async def test_a_database_that_does_not_exist_is_made_only_when_told(
    database_url: str, db: asyncpg.Connection, told: list[str]
) -> None:
    url = missing_url(database_url)
    refused = run_module("app.provisioning.postgres", "ensure", url=url)
    name = make_url(url).database
    assert refused.returncode == 1
    assert f"database '{name}' does not exist on localhost:" in refused.stderr
    assert "./run.sh --create-database" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert refused.stdout == ""
    assert not await exists(db, url)
    try:
        if told == ["--create"]:
            made = run_module("app.provisioning.postgres", "ensure", "--create", url=url)
        else:
            made = run_module("app.provisioning.postgres", "ensure", url=url, env={"CREATE_DATABASE": "1"})
        assert made.returncode == 0, made.stderr
        assert f"Using database {name} on localhost:" in made.stderr
        assert made.stdout.split() == [url, owner_url(url)]
        assert await exists(db, url)
    finally:
        await db.execute(f'DROP DATABASE IF EXISTS "{name}"')


async def test_an_existing_database_is_named_on_the_way(database_url: str) -> None:
    found = run_module("app.provisioning.postgres", "ensure", url=database_url)
    assert found.returncode == 0, found.stderr
    assert f"Using database {make_url(database_url).database} on localhost:" in found.stderr
