"""The multi-server layout of compose.yaml on loopback, for tests/faults/test_layout.py: app
replicas started by the repo's own docker/entrypoint.sh with compose's environment, and nginx
running the repo's own docker/nginx.conf with only its addresses changed.

`replica()` runs the entrypoint on a free port (through PgBouncer, without migrations, as
compose's `app` service) and yields its process once `/health/ready` answers; `running_nginx()`
puts the replicas' addresses in place of `app:8000` and a free loopback port in place of
`listen 80`, and yields nginx's base URL.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from harness.server import free_port
from tests.support.database import PROJECT_ROOT
from tests.support.packages import debian_binary
from tests.support.pgbouncer import wait_listening

ENTRYPOINT = PROJECT_ROOT / "docker" / "entrypoint.sh"
NGINX_CONF = PROJECT_ROOT / "docker" / "nginx.conf"
COMPOSE_APP_ENVIRONMENT = {
    "DB_PGBOUNCER": "1",
    "MIGRATE": "0",
    "WEB_CONCURRENCY": "1",  # compose runs 2 per replica; 1 here, on a 2-core test machine
    "DB_POOL_SIZE": "10",
    "DB_MAX_OVERFLOW": "5",
    "LOAD_SAMPLE_DATA": "0",
    "FORWARDED_ALLOW_IPS": "127.0.0.1",  # nginx's address here, as compose names its own
}


def nginx_binary() -> str | None:
    return debian_binary("nginx", "nginx")


@contextmanager
def replica(database_url: str, **settings: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """One app replica, as compose's `app` service starts it (with `settings` on top of
    compose's environment); (its process, its base URL)."""
    port = free_port()
    environment = {
        **os.environ,
        **COMPOSE_APP_ENVIRONMENT,
        **settings,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }
    environment.pop("MIGRATION_DATABASE_URL", None)
    with tempfile.NamedTemporaryFile(prefix="inventory-replica-", suffix=".log", delete=False) as sink:
        log = Path(sink.name)
        process = subprocess.Popen(
            ["bash", str(ENTRYPOINT), "serve"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_listening(port, process, log, timeout=60)
        _wait_ready(base_url, process, log)
        yield process, base_url
    except Exception as error:
        error.add_note(f"the replica's log:\n{log.read_text(errors='replace')}")
        raise
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.unlink(missing_ok=True)


def _wait_ready(base_url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"the replica at {base_url} never became ready:\n{log.read_text(errors='replace')}")


def layout_conf(replica_urls: Sequence[str], port: int) -> str:
    """docker/nginx.conf with the replicas in place of `app:8000` and `port` in place of 80."""
    conf = NGINX_CONF.read_text()
    servers = "".join(f"    server {url.removeprefix('http://')};\n" for url in replica_urls)
    for line in ("    server app:8000;\n", "    listen 80;\n"):
        assert line in conf, f"docker/nginx.conf no longer has {line.strip()!r}"
    return conf.replace("    server app:8000;\n", servers).replace(
        "    listen 80;\n", f"    listen 127.0.0.1:{port};\n"
    )


@contextmanager
def running_nginx(binary: str, replica_urls: Sequence[str]) -> Iterator[str]:
    """nginx in front of the replicas, as compose's `lb`; yields its base URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="inventory-nginx-") as scratch:
        folder = Path(scratch)
        folder.chmod(0o777)  # the workers (nobody, as root) write their temporary files here
        (folder / "default.conf").write_text(layout_conf(replica_urls, port))
        temp = " ".join(
            f"{kind}_temp_path {folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (folder / "nginx.conf").write_text(
            f"worker_processes 1;\nerror_log {folder / 'error.log'};\npid {folder / 'nginx.pid'};\n"
            f"events {{}}\nhttp {{\n  access_log off;\n  {temp}\n  include {folder / 'default.conf'};\n}}\n"
        )
        log = folder / "error.log"
        log.touch()
        command = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
        with (folder / "stdout.log").open("ab") as sink:
            process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_listening(port, process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
