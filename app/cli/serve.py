"""Serve the API with uvicorn, as `./run.sh` and the Docker image do: `python -m app.cli.serve`.

The uvicorn flags live here alone; bench/ starts its servers with `uvicorn_flags()` too, so a
benchmark measures what a user runs. HOST, PORT, WEB_CONCURRENCY, ACCESS_LOG and
FORWARDED_ALLOW_IPS (the proxies trusted to name the client; none by default) come from the
settings (app.core.config). It warns when AUTH_MODE is off and HOST is not a loopback address
(uvicorn does not tell the app where it listens, so the warning is given here, once).
`python -m app.cli.serve --check-port` only checks that HOST:PORT is free (./run.sh runs it
before printing the URLs, so that they never name another program that listens there).
"""

import ipaddress
import os
import socket
import sys

from app.core.access import AuthMode
from app.core.config import Settings, get_settings

GRACEFUL_SHUTDOWN_SECONDS = 5
"""On SIGTERM, requests in flight get this long to finish before the workers are stopped."""


def uvicorn_flags(settings: Settings) -> list[str]:
    """Every flag but where to listen and the access log: what a benchmark must copy."""
    return [
        "--workers",
        str(settings.web_concurrency),
        "--timeout-graceful-shutdown",
        str(GRACEFUL_SHUTDOWN_SECONDS),
    ]


def proxy_flags(settings: Settings) -> list[str]:
    """Whose X-Forwarded-For names the client: the proxies in FORWARDED_ALLOW_IPS, else nobody's
    (uvicorn's own default would trust 127.0.0.1, so any local process could pick its address)."""
    if not settings.forwarded_allow_ips:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", settings.forwarded_allow_ips]


def uvicorn_command(settings: Settings) -> list[str]:
    access_log = ["--access-log"] if settings.access_log else ["--no-access-log"]
    listen = ["--host", settings.host, "--port", str(settings.port)]
    flags = [*access_log, *proxy_flags(settings), *uvicorn_flags(settings)]
    return [sys.executable, "-m", "uvicorn", "app.main:app", *listen, *flags]


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses; a host name may resolve anywhere, so False."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def open_to_the_network(settings: Settings) -> str | None:
    """The start-up warning when anyone who reaches the port may change everything, or None."""
    if settings.auth_mode is not AuthMode.OFF or is_loopback(settings.host):
        return None
    return (
        f"WARNING:  AUTH_MODE is off and the service listens on {settings.host}: anyone who can "
        f"reach port {settings.port} may change or delete every product. Create a key with "
        "`python -m app.keys create NAME --role write` and set AUTH_MODE=writes (README: Security)."
    )


def port_taken(host: str, port: int) -> str | None:
    """Why uvicorn could not listen on host:port (another program does), or None when it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"cannot listen on {host}:{port}: {error.strerror} (check HOST)"
    for family, kind, protocol, _, address in infos:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            try:
                probe.bind(address)
            except OSError as error:
                return (
                    f"cannot listen on {host}:{port}: {error.strerror}. Another program (another"
                    f" ./run.sh?) uses that port: stop it, or choose another one: PORT={port + 1} ./run.sh"
                )
    return None


if __name__ == "__main__":
    settings = get_settings()
    if sys.argv[1:] == ["--check-port"]:
        problem = port_taken(settings.host, settings.port)
        if problem:
            print(f"Error: {problem}", file=sys.stderr)
        sys.exit(1 if problem else 0)
    warning = open_to_the_network(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    command = uvicorn_command(settings)
    os.execv(command[0], command)  # noqa: S606  (replaces this process: signals reach uvicorn)
