"""The benchmark databases: started, created and migrated on demand (app.provisioning.postgres, alembic)."""

# ruff: noqa: S603  (runs the project's own tools: app.provisioning.postgres, alembic)

import os
import subprocess
import sys
from pathlib import Path

from app.provisioning.postgres import DatabaseUrls

ROOT = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_database(name: str) -> DatabaseUrls:
    """The URLs (serving role, owner) of a migrated database `name`, started and created if need be.

    Servers under test log in as the serving role, as the service does; loading and resetting the
    data is the owner's."""
    say(f"Making sure PostgreSQL runs with the database {name} ...")
    serving, owner = subprocess.run(
        [sys.executable, "-m", "app.provisioning.postgres", "ensure", "--database", name],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.split()
    say("Applying the migrations (alembic upgrade head) ...")
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DATABASE_URL": serving, "MIGRATION_DATABASE_URL": owner},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return DatabaseUrls(serving=serving, owner=owner)
