"""The benchmark databases: started, created and migrated on demand (app.provisioning.postgres, alembic)."""

# ruff: noqa: S603  (runs the project's own tools: app.provisioning.postgres, alembic)

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_database(name: str) -> str:
    """The asyncpg-driver URL of a migrated database `name` (started and created if need be)."""
    say(f"Making sure PostgreSQL runs with the database {name} ...")
    url = subprocess.run(
        [sys.executable, "-m", "app.provisioning.postgres", "ensure", "--database", name],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    say("Applying the migrations (alembic upgrade head) ...")
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return url
