"""A per-worker memory of keys found valid in the last second, so that a busy client costs one
database lookup a second instead of one per request.

Only valid, unrevoked keys are remembered, each for `ttl` seconds from its lookup: a revocation
therefore takes effect within `ttl` (one second) in every worker process. Unknown and revoked
keys are never remembered (each such attempt is looked up and counted by the throttle).
"""

import time
from collections.abc import Callable
from typing import NamedTuple

from app.core.access import Role


class ValidKey(NamedTuple):
    id: int
    role: Role


class KeyCache:
    def __init__(
        self, ttl: float, *, max_keys: int = 1024, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_keys = max_keys
        self.clock = clock
        self._keys: dict[bytes, tuple[float, ValidKey]] = {}

    def get(self, secret_hash: bytes) -> ValidKey | None:
        entry = self._keys.get(secret_hash)
        if entry is None:
            return None
        if entry[0] <= self.clock():
            del self._keys[secret_hash]
            return None
        return entry[1]

    def put(self, secret_hash: bytes, key: ValidKey) -> None:
        if len(self._keys) >= self.max_keys:
            self._keys.clear()  # a bounded, cheap forget-all; each key costs one lookup again
        self._keys[secret_hash] = (self.clock() + self.ttl, key)
