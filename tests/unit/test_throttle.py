"""Failed authentications per client address: refused past the limit, for the window only."""

from app.auth.throttle import FailureThrottle
from tests.support.clock import FakeClock


def test_an_address_is_refused_after_the_limit_until_its_oldest_failure_ages_out() -> None:
    clock = FakeClock()
    throttle = FailureThrottle(3, 60, clock=clock)
    for _ in range(2):
        throttle.failed("10.0.0.1")
        clock.now += 10
    assert throttle.retry_after("10.0.0.1") == 0
    throttle.failed("10.0.0.1")  # the third, at 1020
    assert throttle.retry_after("10.0.0.1") == 40  # the first (at 1000) leaves the window at 1060
    assert throttle.retry_after("10.0.0.2") == 0  # another client is not affected
    clock.now = 1059.5
    assert throttle.retry_after("10.0.0.1") == 1
    clock.now = 1060
    assert throttle.retry_after("10.0.0.1") == 0
    throttle.failed("10.0.0.1")  # one more failure at once fills the window again
    assert throttle.retry_after("10.0.0.1") == 10


def test_old_failures_do_not_count() -> None:
    clock = FakeClock()
    throttle = FailureThrottle(2, 60, clock=clock)
    throttle.failed("a")
    clock.now += 61
    throttle.failed("a")
    assert throttle.retry_after("a") == 0


def test_memory_is_bounded_by_forgetting_the_least_recent_address() -> None:
    throttle = FailureThrottle(1, 60, max_addresses=2, clock=FakeClock())
    for address in ("a", "b", "c"):
        throttle.failed(address)
    assert throttle.retry_after("a") == 0
    assert throttle.retry_after("b") > 0
    assert throttle.retry_after("c") > 0


def test_lookups_in_flight_count_against_the_limit() -> None:
    throttle = FailureThrottle(2, 60, clock=FakeClock())
    assert throttle.begin("a")
    assert throttle.begin("a")
    assert not throttle.begin("a")  # two reserved: a third would pass the limit
    assert throttle.retry_after("a") == 1
    throttle.end("a", failed=False)  # a valid key: not a failure, its slot is free again
    assert throttle.retry_after("a") == 0
    throttle.end("a", failed=True)
    assert throttle.begin("a")
    throttle.end("a", failed=True)
    assert throttle.retry_after("a") == 60
