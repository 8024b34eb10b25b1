"""The Redis limiter, against the real Redis server, and its fallback when Redis is down."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator

import pytest
import redis

from commentdesk.throttle import Rate, RedisLimiter, make_limiter
from commentdesk.throttle.limiter import MemoryLimiter
from tests.livesrv import free_port

REDIS_ENV = "COMMENTDESK_TEST_REDIS_URL"


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    reason = None
    if not url:
        reason = f"Redis tests skipped: {REDIS_ENV} is not set"
    else:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.RedisError:
            reason = f"Redis tests skipped: nothing answers at {REDIS_ENV}"
    if reason is None:
        assert url is not None
        return url
    if os.environ.get("COMMENTDESK_REQUIRE_REDIS") == "1":
        pytest.fail(reason.replace("skipped", "required but unavailable"))
    pytest.skip(reason)


@pytest.fixture
def limiter(redis_url: str) -> Iterator[RedisLimiter]:
    limiter = RedisLimiter(redis_url, prefix=f"test:{uuid.uuid4().hex}:")
    yield limiter
    limiter.close()


def test_redis_buckets_hold_their_capacity(limiter: RedisLimiter) -> None:
    rate = Rate(3, 60)
    waits = [limiter.spend([("k", rate)]) for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert 19 < waits[3] <= 20.001


def test_two_limiters_on_one_redis_share_their_buckets(
    limiter: RedisLimiter, redis_url: str
) -> None:
    other = RedisLimiter(redis_url, prefix=limiter._prefix)
    rate = Rate(2, 60)
    assert limiter.spend([("k", rate)]) == 0.0
    assert other.spend([("k", rate)]) == 0.0
    assert limiter.spend([("k", rate)]) > 0
    other.close()


def test_a_refused_submission_spends_nothing_in_redis(limiter: RedisLimiter) -> None:
    roomy, tight = Rate(5, 60), Rate(1, 60)
    limiter.spend([("roomy", roomy), ("tight", tight)])
    assert limiter.spend([("roomy", roomy), ("tight", tight)]) > 0
    assert [limiter.spend([("roomy", roomy)]) for _ in range(4)] == [0.0] * 4


def test_buckets_expire_from_redis(limiter: RedisLimiter, redis_url: str) -> None:
    limiter.spend([("k", Rate(2, 10))])
    ttl = redis.Redis.from_url(redis_url).pttl(limiter._prefix + "k")
    assert 0 < ttl <= 11_000


def test_when_redis_is_down_limits_hold_per_process(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisLimiter(f"redis://127.0.0.1:{free_port()}/0")
    rate = Rate(1, 60)
    with caplog.at_level(logging.WARNING, logger="commentdesk.throttle"):
        assert limiter.spend([("k", rate)]) == 0.0
        assert limiter.spend([("k", rate)]) > 0
    assert "rate limits now hold per process" in caplog.text
    limiter.close()


def test_the_backend_follows_the_configuration() -> None:
    assert isinstance(make_limiter(None), MemoryLimiter)
    assert isinstance(make_limiter("redis://127.0.0.1:1/0"), RedisLimiter)
