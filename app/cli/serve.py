"""Serve the API with uvicorn, as `./run.sh` and the Docker image do: `python -m app.cli.serve`.

The uvicorn flags live here alone; bench/ starts its servers with `uvicorn_flags()` too, so a
benchmark measures what a user runs. HOST, PORT, WEB_CONCURRENCY, ACCESS_LOG and
FORWARDED_ALLOW_IPS (the proxies trusted to name the client; none by default) come from the
settings (app.core.config). It warns when AUTH_MODE is off and HOST is not a loopback address
(uvicorn does not tell the app where it listens, so the warning is given here, once).
"""

import ipaddress
import os
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


if __name__ == "__main__":
    settings = get_settings()
    warning = open_to_the_network(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    command = uvicorn_command(settings)
    os.execv(command[0], command)  # noqa: S606  (replaces this process: signals reach uvicorn)
