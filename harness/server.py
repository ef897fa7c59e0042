"""Run an ASGI app as a real uvicorn process, for the tests that need one and for bench/.

`serving()` starts `uvicorn APP` on a free loopback port in a process group of its own (so
`--workers` children go with it), waits until `ready_path` answers 200, and stops the group
afterwards. Its output goes to a file (a pipe nobody reads would fill up).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[1]

SERVICE_APP = "app.main:app"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A running uvicorn process (the leader of its process group)."""

    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, how: signal.Signals = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Send `how` to the whole group (unless it has exited already) and return the exit code.

        A group that outlives `timeout` is killed.
        """
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, how)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait()

    def memory_kib(self, field: str = "VmRSS") -> int:
        """A memory figure of the process from /proc (VmRSS now, VmHWM its peak), in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise RuntimeError(f"no {field} in /proc/{self.process.pid}/status")

    def reset_peak_memory(self) -> None:
        """Start VmHWM again from the current RSS (Linux's clear_refs), to measure one step's peak."""
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def wait_ready(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.base_url}{path}", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start:\n{self.logs()}")
            time.sleep(0.1)


@contextmanager
def serving(
    database_url: str,
    settings: Mapping[str, str] | None = None,
    *,
    app: str = SERVICE_APP,
    flags: Sequence[str] = (),
    ready_path: str = "/health",
    log: Path | None = None,
    timeout: float = 20.0,
) -> Iterator[Server]:
    """Serve `app` against `database_url`, with more settings (environment variables) and flags."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="inventory-server-") as scratch:
        log = log or Path(scratch, "server.log")
        command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
        with log.open("ab") as sink:
            process = subprocess.Popen(
                [*command, "--no-access-log", *flags],
                cwd=PROJECT_ROOT,
                env={**os.environ, "DATABASE_URL": database_url, **(settings or {})},
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(process, f"http://127.0.0.1:{port}", log)
        try:
            server.wait_ready(ready_path, timeout)
            yield server
        finally:
            server.stop()
