"""Manage API keys from the command line (against DATABASE_URL, as the service; a database it
cannot use is one line saying what is wrong and what to do, app.cli.database_problems):

    python -m app.keys create NAME --role read|write   # prints the new key alone on its last line, once
    python -m app.keys list            # names, roles, created, last use, revoked; never secrets
    python -m app.keys revoke NAME     # the key stops working with the next request

Only the key's SHA-256 is stored (app.auth.tokens): a lost key cannot be shown again; make a
new one and revoke the old.
"""

import argparse
import asyncio
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.auth.tokens import new_token, token_hash
from app.cli.database_problems import database_problem, settings_problem
from app.core.access import Role
from app.core.config import URL_FORM, get_settings
from app.core.database import build_engine
from app.crud import api_key as crud
from app.models.api_key import NAME_PATTERN

Command = Callable[[AsyncConnection, argparse.Namespace], Awaitable[int]]


def key_name(value: str) -> str:
    if not re.fullmatch(NAME_PATTERN, value):
        raise argparse.ArgumentTypeError(
            f"{value!r}: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return value


def when(moment: datetime | None, never: str) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else never


async def create(db: AsyncConnection, args: argparse.Namespace) -> int:
    token = new_token()
    secret_hash = token_hash(token.encode())
    if not await crud.create_key(db=db, name=args.name, role=args.role, secret_hash=secret_hash):
        print(f"An API key named {args.name!r} exists already; choose another name.", file=sys.stderr)
        return 1
    print(f"Created the {args.role} key {args.name!r}. It is shown only this once: store it now.")
    print(token)
    return 0


async def list_(db: AsyncConnection, _: argparse.Namespace) -> int:
    keys = await crud.list_keys(db=db)
    if not keys:
        print("No API keys yet: python -m app.keys create NAME --role read|write")
        return 0
    rows = [("NAME", "ROLE", "CREATED", "LAST USED", "REVOKED")]
    for key in keys:
        used, revoked = when(key.last_used_at, "never"), when(key.revoked_at, "-")
        rows.append((key.name, key.role, when(key.created_at, ""), used, revoked))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


async def revoke(db: AsyncConnection, args: argparse.Namespace) -> int:
    key = await crud.revoke_key(db=db, name=args.name)
    if key is None:
        print(f"No API key is named {args.name!r} (python -m app.keys list shows them).", file=sys.stderr)
        return 1
    print(f"The key {key.name!r} is revoked (since {when(key.revoked_at, '')}): it no longer works.")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m app.keys",
        description="Manage the service's API keys, in the database that DATABASE_URL names"
        f" ({URL_FORM}; unset: the local inventory_db that ./run.sh uses), as the service does.",
    )
    commands = main.add_subparsers(required=True, metavar="COMMAND")
    made = commands.add_parser("create", help="make a key and print it, once")
    made.add_argument("name", type=key_name, help="who uses it, e.g. till or accountant")
    made.add_argument("--role", required=True, choices=[role.value for role in Role])
    made.set_defaults(command=create)
    commands.add_parser("list", help="show every key (never its secret)").set_defaults(command=list_)
    revoked = commands.add_parser("revoke", help="stop a key from working, at once")
    revoked.add_argument("name")
    revoked.set_defaults(command=revoke)
    return main


async def run(command: Command, args: argparse.Namespace) -> int:
    try:
        settings = get_settings()
    except ValidationError as error:
        print(f"Error: {settings_problem(error)}", file=sys.stderr)
        return 2
    engine = build_engine(settings)
    try:
        async with engine.connect() as db:
            return await command(db, args)
    except Exception as error:
        problem = database_problem(error, settings.database_url)
        if problem is None:
            raise
        print(f"Error: {problem}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return asyncio.run(run(args.command, args))
