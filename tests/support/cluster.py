"""Databases of the fault tests' own: a throwaway PostgreSQL cluster, and scratch databases.

The cluster is made and run by the same code as run.sh's (app.provisioning.postgres): initdb in a
temporary directory, pg_ctl on a free port, as the postgres user when we are root.
"""

import asyncio
import os
import shutil
import signal
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from app.provisioning.postgres import Cluster, Target, provision, start_cluster, stop_cluster
from harness.database import truncate_tables
from harness.server import free_port
from tests.support.database import connect, migrate, sibling_database, test_database


async def scratch_database(base_url: str, purpose: str) -> str:
    """A migrated database `<test database>_<purpose>` on the test server, emptied; its URL.

    Its own database, so `pg_stat_activity` filtered by `datname` sees only the server under test.
    """
    url = await asyncio.to_thread(migrate, await sibling_database(base_url, purpose))
    connection = await connect(url)
    try:
        await truncate_tables(connection)
    finally:
        await connection.close()
    return url


@asynccontextmanager
async def scratch(base_url: str, purpose: str) -> AsyncIterator[tuple[str, asyncpg.Connection]]:
    """A scratch database (see `scratch_database`) and a connection to it as its owner."""
    url = await scratch_database(base_url, purpose)
    connection = await connect(url)
    try:
        yield url, connection
    finally:
        await connection.close()


@dataclass(frozen=True)
class ThrowawayCluster:
    cluster: Cluster
    port: int
    target: Target

    @property
    def url(self) -> str:
        return self.target.url()

    def start(self) -> None:
        start_cluster(self.cluster, self.port)

    def stop(self, mode: str = "fast") -> None:
        """`pg_ctl stop -m fast` (clean) or `-m immediate` (like a crash: recovery on next start)."""
        match mode:
            case "fast" | "immediate":
                stop_cluster(self.cluster, mode)
            case _:
                raise ValueError(f"unknown stop mode {mode!r}")

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """SIGSTOP the server and its backends: connections stay open but nothing answers."""
        postmaster = int((self.cluster.data / "postmaster.pid").read_text().split()[0])
        children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
        processes = [postmaster, *map(int, children)]
        for pid in processes:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in processes:
                os.kill(pid, signal.SIGCONT)


@contextmanager
def throwaway_cluster(password: str) -> Iterator[ThrowawayCluster]:
    """A new cluster with the service's two roles (the serving one using `password`; the owner as
    for the test database) and a migrated database."""
    scratch = Path(tempfile.mkdtemp(prefix="inventory-cluster-"))
    scratch.chmod(0o755)  # the postgres user must reach the data directory inside
    port = free_port()
    target = Target("inventory_user", password, "127.0.0.1", port, "inventory_db")
    owner = make_url(test_database().owner)
    owner_target = Target(owner.username or "", owner.password or "", "127.0.0.1", port, "inventory_db")
    throwaway = ThrowawayCluster(Cluster.at(scratch / "data"), port, target)
    try:
        throwaway.start()
        provision(throwaway.cluster, target, owner_target)
        migrate(throwaway.url)
        yield throwaway
    finally:
        if throwaway.cluster.running():
            throwaway.stop("immediate")
        shutil.rmtree(scratch, ignore_errors=True)


async def service_connections(db: asyncpg.Connection, waiting_for_lock: bool = False) -> int:
    """The service's connections (application_name 'inventory') to `db`'s database right now."""
    count: int = await db.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'inventory'"
        " AND datname = current_database() AND (NOT $1 OR wait_event_type = 'Lock')",
        waiting_for_lock,
    )
    return count


async def until_service_connections(
    db: asyncpg.Connection, wanted: int, waiting_for_lock: bool = False
) -> None:
    """Wait (up to 10 s) until the service has `wanted` connections (waiting for a lock)."""
    for _ in range(200):
        if await service_connections(db, waiting_for_lock) == wanted:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the service never had {wanted} connections: {await service_connections(db)}")


@asynccontextmanager
async def row_locked(url: str, product_id: int) -> AsyncIterator[None]:
    """Hold a row lock on a product (from a connection of our own), so writes to it wait."""
    connection = await connect(url)
    try:
        async with connection.transaction():
            await connection.execute("SELECT 1 FROM products WHERE id = $1 FOR UPDATE", product_id)
            yield
    finally:
        await connection.close()
