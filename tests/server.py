"""Run the service as a real uvicorn process, for tests that need one (outages, crashes)."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A running uvicorn process; its stderr goes to a file (a pipe nobody reads would fill up)."""

    process: subprocess.Popen[bytes]
    base_url: str
    stderr: Path

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def logs(self) -> str:
        return self.stderr.read_text(errors="replace")

    def stop(self, how: signal.Signals = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Send `how` (unless it has exited already) and return the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(how)
        return self.process.wait(timeout=timeout)

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start:\n{self.logs()}")
            time.sleep(0.1)


@contextmanager
def serving(
    database_url: str, settings: Mapping[str, str] | None = None, timeout: float = 20.0
) -> Iterator[Server]:
    """Start `uvicorn app.main:app` against `database_url`, with more settings (environment variables)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="inventory-server-") as scratch:
        stderr = Path(scratch, "stderr.log")
        with stderr.open("ab") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
                cwd=PROJECT_ROOT,
                env={**os.environ, "DATABASE_URL": database_url, **(settings or {})},
                stdout=subprocess.DEVNULL,
                stderr=sink,
            )
        server = Server(process, f"http://127.0.0.1:{port}", stderr)
        try:
            server.wait_healthy(timeout)
            yield server
        finally:
            server.stop()
