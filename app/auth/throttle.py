"""Refuse guessing: a client address with too many failed keys in a window is answered 429.

In-process: each worker process counts on its own, so with N workers an address gets at most
N times the limit before every worker refuses it. Memory is bounded: at most `max_addresses`
addresses are tracked (the least recently failing is forgotten first), each with at most
`limit` timestamps.
"""

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class FailureThrottle:
    """Counts failed authentications per client address in a sliding window."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self.max_addresses = max_addresses
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, address: str) -> int:
        """Whole seconds until `address` may try again; 0 when it may try now."""
        failures = self._failures.get(address)
        if failures is None or len(failures) < self.limit:
            return 0
        wait = failures[0] + self.window_seconds - self.clock()
        if wait <= 0:
            failures.popleft()
            return 0
        return max(1, math.ceil(wait))

    def failed(self, address: str) -> None:
        now = self.clock()
        failures = self._failures.pop(address, None) or deque(maxlen=self.limit)
        while failures and failures[0] <= now - self.window_seconds:
            failures.popleft()
        failures.append(now)
        self._failures[address] = failures
        if len(self._failures) > self.max_addresses:
            self._failures.popitem(last=False)
