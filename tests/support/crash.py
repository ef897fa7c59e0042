"""`killed_under_load()`: serve, run loads against the server in threads, and SIGKILL it mid-load
(the crash tests); the server itself comes from harness.server."""

import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from harness.server import serving

T = TypeVar("T")
Load = Callable[[str, threading.Event], list[T]]
"""Sends requests to a base URL until the event is set or the server stops answering; what it saw."""


def killed_under_load(database_url: str, loads: Sequence[Load[T]], seconds: float) -> list[T]:
    """Serve, run each load in a thread of its own for `seconds`, SIGKILL the server mid-load,
    and gather what every load recorded (its last request got no answer)."""
    with serving(database_url) as server, ThreadPoolExecutor(len(loads)) as pool:
        stop = threading.Event()
        futures = [pool.submit(load, server.base_url, stop) for load in loads]
        time.sleep(seconds)
        assert server.stop(signal.SIGKILL) == -signal.SIGKILL
        stop.set()
        return [result for future in futures for result in future.result()]
