"""A real PgBouncer in transaction mode in front of the test PostgreSQL, for tests/faults/test_pgbouncer.py.

`pgbouncer_binary()` finds Debian's `pgbouncer`, installing it with apt-get when the tests run
as root and it is missing (None otherwise). `running_pgbouncer()` writes a config and an auth
file of its own into a temporary folder, starts it on a free loopback port (as `nobody` when
run as root, since PgBouncer refuses to run as root) and yields the asyncpg URL that goes
through it; the process is stopped afterwards.
"""

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from harness.server import free_port
from tests.support.packages import debian_binary

SERVER_POOL_SIZE = 4
"""Server connections PgBouncer keeps per database: far fewer than the clients, so it multiplexes."""


def pgbouncer_binary() -> str | None:
    return debian_binary("pgbouncer", "pgbouncer")


def wait_listening(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 10) -> None:
    """Until something listens on 127.0.0.1:`port`; RuntimeError with `log` if `process` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited:\n{log.read_text(errors='replace')}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{process.args!r} did not listen on {port}:\n{log.read_text(errors='replace')}")


@contextmanager
def running_pgbouncer(binary: str, database_url: str) -> Iterator[str]:
    """PgBouncer (transaction mode) in front of `database_url`'s server; yields the URL through it."""
    target = make_url(database_url)
    # The cluster listens on 127.0.0.1 only, and where "localhost" resolves to ::1 first (a new
    # Debian root does) PgBouncer never reaches it: give PgBouncer the IPv4 address.
    server_host = "127.0.0.1" if target.host in (None, "", "localhost") else target.host
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="inventory-pgbouncer-") as scratch:
        folder = Path(scratch)
        (folder / "users.txt").write_text(f'"{target.username}" "{target.password}"\n')
        (folder / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={server_host} port={target.port or 5432}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
            f"auth_type = scram-sha-256\nauth_file = {folder / 'users.txt'}\n"
            f"pool_mode = transaction\ndefault_pool_size = {SERVER_POOL_SIZE}\nmax_client_conn = 500\n"
            "server_reset_query =\nignore_startup_parameters = extra_float_digits\n"
        )
        log = folder / "pgbouncer.log"
        command = [binary, str(folder / "pgbouncer.ini")]
        if os.geteuid() == 0:  # PgBouncer will not run as root; `nobody` must read its files
            folder.chmod(0o755)
            for name in ("users.txt", "pgbouncer.ini"):
                (folder / name).chmod(0o644)
            command = [binary, "-u", "nobody", str(folder / "pgbouncer.ini")]
        with log.open("ab") as sink:
            process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_listening(port, process, log)
            yield target.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
        except Exception as error:
            error.add_note(f"pgbouncer's log:\n{log.read_text(errors='replace')}")
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
