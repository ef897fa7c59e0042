"""The per-worker memory of valid keys: trusted for its time to live, never longer, bounded."""

from app.auth.cache import KeyCache, ValidKey
from app.core.access import Role
from tests.support.clock import FakeClock

KEY = ValidKey(7, Role.WRITE)


def test_a_key_is_remembered_for_its_time_to_live_only() -> None:
    clock = FakeClock(50.0)
    cache = KeyCache(1.0, clock=clock)
    assert cache.get(b"h") is None
    cache.put(b"h", KEY)
    clock.now += 0.99
    assert cache.get(b"h") == KEY
    clock.now += 0.01
    assert cache.get(b"h") is None  # looked up again: a revocation is seen from now on


def test_the_memory_is_bounded() -> None:
    cache = KeyCache(1.0, max_keys=2, clock=FakeClock())
    for secret_hash in (b"a", b"b", b"c"):
        cache.put(secret_hash, KEY)
    assert [cache.get(h) for h in (b"a", b"b", b"c")] == [None, None, KEY]
