"""Token buckets: the pure arithmetic and the in-process limiter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentdesk.throttle import MemoryLimiter, Rate
from commentdesk.throttle.buckets import refill


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_rate_reads_count_per_seconds() -> None:
    assert Rate.parse("5/300") == Rate(5, 300.0)
    assert Rate.parse(" 10 / 0.5 ") == Rate(10, 0.5)


@pytest.mark.parametrize("text", ["5", "0/10", "5/0", "a/b", "-1/3"])
def test_a_malformed_rate_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a rate"):
        Rate.parse(text)


def test_a_new_key_may_spend_its_whole_capacity_at_once() -> None:
    limiter = MemoryLimiter(Ticks())
    rate = Rate(3, 60)
    assert [limiter.spend([("k", rate)]) for _ in range(4)][:3] == [0.0, 0.0, 0.0]


def test_an_empty_bucket_says_how_long_to_wait() -> None:
    ticks = Ticks()
    limiter = MemoryLimiter(ticks)
    rate = Rate(2, 60)
    limiter.spend([("k", rate)])
    limiter.spend([("k", rate)])
    assert limiter.spend([("k", rate)]) == pytest.approx(30.0)
    ticks.now += 30
    assert limiter.spend([("k", rate)]) == 0.0


def test_a_refused_submission_spends_from_no_bucket() -> None:
    limiter = MemoryLimiter(Ticks())
    roomy, tight = Rate(10, 60), Rate(1, 60)
    assert limiter.spend([("roomy", roomy), ("tight", tight)]) == 0.0
    for _ in range(5):
        assert limiter.spend([("roomy", roomy), ("tight", tight)]) > 0
    for _ in range(9):
        assert limiter.spend([("roomy", roomy)]) == 0.0


def test_keys_do_not_share_buckets() -> None:
    limiter = MemoryLimiter(Ticks())
    rate = Rate(1, 60)
    assert limiter.spend([("a", rate)]) == 0.0
    assert limiter.spend([("b", rate)]) == 0.0


def test_idle_buckets_are_forgotten_when_there_are_too_many() -> None:
    ticks = Ticks()
    limiter = MemoryLimiter(ticks, max_keys=10)
    rate = Rate(1, 60)
    for n in range(10):
        limiter.spend([(f"k{n}", rate)])
    ticks.now += 61
    limiter.spend([("fresh", rate)])
    assert limiter.spend([("k0", rate)]) == 0.0


@given(
    capacity=st.integers(1, 20),
    per_seconds=st.floats(1, 600),
    gaps=st.lists(st.floats(0, 30), min_size=1, max_size=80),
)
def test_never_more_than_capacity_plus_refill_over_any_run(
    capacity: int, per_seconds: float, gaps: list[float]
) -> None:
    ticks = Ticks()
    limiter = MemoryLimiter(ticks)
    rate = Rate(capacity, per_seconds)
    start = ticks.now
    allowed = 0
    for gap in gaps:
        ticks.now += gap
        allowed += limiter.spend([("k", rate)]) == 0.0
    elapsed = ticks.now - start
    assert allowed <= capacity + elapsed * rate.refill_per_second + 1e-9


@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_refill_never_exceeds_capacity(tokens: float, elapsed: float) -> None:
    from commentdesk.throttle.buckets import Bucket

    rate = Rate(5, 60)
    assert refill(Bucket(min(tokens, 5), 0.0), rate, elapsed).tokens <= 5
