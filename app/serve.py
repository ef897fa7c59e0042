"""Serve the API with uvicorn, as `./run.sh` and the Docker image do: `python -m app.serve`.

The uvicorn flags live here alone; bench/ starts its servers with `uvicorn_flags()` too, so a
benchmark measures what a user runs. HOST, PORT, WEB_CONCURRENCY and ACCESS_LOG come from the
settings (app.config).
"""

import os
import sys

from app.config import Settings, get_settings

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


def uvicorn_command(settings: Settings) -> list[str]:
    access_log = ["--access-log"] if settings.access_log else ["--no-access-log"]
    listen = ["--host", settings.host, "--port", str(settings.port)]
    return [sys.executable, "-m", "uvicorn", "app.main:app", *listen, *access_log, *uvicorn_flags(settings)]


if __name__ == "__main__":
    command = uvicorn_command(get_settings())
    os.execv(command[0], command)  # noqa: S606  (replaces this process: signals reach uvicorn)
