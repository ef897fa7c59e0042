"""`killed_under_load()`: serve, run loads against the server in threads, and SIGKILL it mid-load;
`writes_through_kills()`: that, round after round (the crash tests). The server itself comes
from harness.server."""

import asyncio
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


async def writes_through_kills(
    database_url: str, rounds: int, loads_of_round: Callable[[int], Sequence[Load[T]]], seconds: float
) -> list[T]:
    """`rounds` times: serve, run the round's loads, SIGKILL mid-load; everything they recorded."""
    recorded: list[T] = []
    for round_ in range(rounds):
        recorded += await asyncio.to_thread(killed_under_load, database_url, loads_of_round(round_), seconds)
    return recorded
