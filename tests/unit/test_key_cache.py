"""The per-worker memory of valid keys: trusted for its time to live, never longer, bounded."""

from app.auth.cache import KeyCache, ValidKey
from app.auth.policy import Role

KEY = ValidKey(7, Role.WRITE)


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_remembered_for_its_time_to_live_only() -> None:
    clock = Clock()
    cache = KeyCache(1.0, clock=clock)
    assert cache.get(b"h") is None
    cache.put(b"h", KEY)
    clock.now += 0.99
    assert cache.get(b"h") == KEY
    clock.now += 0.01
    assert cache.get(b"h") is None  # looked up again: a revocation is seen from now on


def test_the_memory_is_bounded() -> None:
    cache = KeyCache(1.0, max_keys=2, clock=Clock())
    for secret_hash in (b"a", b"b", b"c"):
        cache.put(secret_hash, KEY)
    assert [cache.get(h) for h in (b"a", b"b", b"c")] == [None, None, KEY]
