"""`python -m app.cli.serve --check-port`, which ./run.sh runs before it prints the service's URLs:
a port another program listens on is refused with what to do, a free one passes."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from app.cli.serve import port_taken
from tests.support.database import PROJECT_ROOT


@pytest.fixture
def listening() -> Iterator[int]:
    """A port some other program listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def check(port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli.serve", "--check-port"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_port_in_use_is_refused_with_the_way_out(listening: int) -> None:
    refused = check(listening)
    assert refused.returncode == 1
    assert f"Error: cannot listen on 127.0.0.1:{listening}: Address already in use." in refused.stderr
    assert f"PORT={listening + 1} ./run.sh" in refused.stderr
    assert port_taken("0.0.0.0", listening) is not None  # every address includes loopback  # noqa: S104


def test_a_free_port_passes() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    passed = check(free)
    assert (passed.returncode, passed.stderr) == (0, "")
