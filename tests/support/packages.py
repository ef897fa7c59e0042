"""Debian's binaries that some tests need (PgBouncer, nginx): found on PATH or in the usual
sbin folders, and installed with apt-get when the tests run as root and they are missing."""

import os
import shutil
import subprocess
from pathlib import Path


def _find(command: str) -> str | None:
    return shutil.which(command) or next(
        (str(path) for folder in ("/usr/sbin", "/usr/bin") if (path := Path(folder, command)).exists()), None
    )


def debian_binary(command: str, package: str) -> str | None:
    """The path of `command`, installing `package` first when needed and possible; else None."""
    found = _find(command)
    if found or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return found
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]
    if subprocess.run(install, env=environment, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=environment, capture_output=True, check=False)
        subprocess.run(install, env=environment, capture_output=True, check=False)
    return _find(command)
