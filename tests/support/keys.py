"""API keys for tests: written straight into `api_keys`, or made with `python -m app.keys` itself."""

import asyncio
import subprocess

import asyncpg

from app.auth.tokens import new_token, token_hash
from tests.support.database import run_module


async def make_key(db: asyncpg.Connection, name: str, role: str, *, revoked: bool = False) -> str:
    """Store a new key (revoked at once if asked) and return its secret."""
    token = new_token()
    await db.execute(
        "INSERT INTO api_keys (name, role, secret_hash, revoked_at)"
        " VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END)",
        name,
        role,
        token_hash(token.encode()),
        revoked,
    )
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def run_keys(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m app.keys ARGS` as a user would, against `url` (in a thread: it blocks)."""
    return await asyncio.to_thread(run_module, "app.keys", *args, url=url)
