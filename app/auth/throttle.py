"""Refuse guessing: a client address with too many failed keys in a window is answered 429.

The limit is exact under concurrency: an address may have at most `limit` failures in the window
*plus* lookups still in flight (`begin` reserves one before the database is asked, `end` settles
it), so 8 clients guessing at once from one address get exactly `limit` answers of 401, never
more. A throttled address is not barred from a valid key: the middleware still looks the key up
and lets it pass (keys carry 256 bits; the throttle spares the database the malformed and
missing keys and slows guessing, it is not what makes guessing hopeless).

In-process: each worker process counts on its own, so with N workers an address gets at most
N times the limit before every worker refuses it. Memory is bounded: at most `max_addresses`
addresses are tracked (the least recently failing is forgotten first), each with at most
`limit` timestamps.
"""

import math
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable


class FailureThrottle:
    """Counts failed authentications (and lookups in flight) per client address in a sliding window."""

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
        self._pending: Counter[str] = Counter()

    def _recent(self, address: str) -> deque[float]:
        """The address's failures still in the window (older ones dropped)."""
        failures = self._failures.get(address) or deque(maxlen=self.limit)
        horizon = self.clock() - self.window_seconds
        while failures and failures[0] <= horizon:
            failures.popleft()
        return failures

    def retry_after(self, address: str) -> int:
        """Whole seconds until `address` may try again; 0 when it may try now."""
        failures = self._recent(address)
        if len(failures) + self._pending[address] < self.limit:
            return 0
        if not failures:  # only lookups in flight fill the window: they settle within a second
            return 1
        return max(1, math.ceil(failures[0] + self.window_seconds - self.clock()))

    def begin(self, address: str) -> bool:
        """Reserve one attempt for a lookup about to run; False (nothing reserved) when full."""
        if self.retry_after(address):
            return False
        self._pending[address] += 1
        return True

    def end(self, address: str, *, failed: bool) -> None:
        """Settle a reserved attempt: a failure is counted in the window, a success is not."""
        self._pending[address] -= 1
        if self._pending[address] <= 0:
            del self._pending[address]
        if failed:
            self.failed(address)

    def failed(self, address: str) -> None:
        failures = self._recent(address)
        self._failures.pop(address, None)
        failures.append(self.clock())
        self._failures[address] = failures
        if len(self._failures) > self.max_addresses:
            self._failures.popitem(last=False)
