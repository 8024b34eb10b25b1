"""Two limiter backends with one interface.

``MemoryLimiter`` suits one worker process. ``RedisLimiter`` shares buckets between
workers and hosts through one atomic Lua script; when Redis does not answer it falls
back to its own in-process buckets (limits then hold per process) and logs a warning,
so a Redis outage never turns into an error for readers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from commentdesk.throttle.buckets import Bucket, Rate, refill, wait_for_token

logger = logging.getLogger("commentdesk.throttle")

Check = tuple[str, Rate]


class Limiter(Protocol):
    def spend(self, checks: Sequence[Check]) -> float:
        """Spends one token from every bucket, or none; returns 0, or seconds to wait."""
        ...  # pragma: no cover - a protocol


class MemoryLimiter:
    """Buckets in a dict under a lock; idle buckets are dropped as they refill."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000):
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def spend(self, checks: Sequence[Check]) -> float:
        with self._lock:
            now = self._clock()
            current = {key: refill(self._buckets.get(key), rate, now) for key, rate in checks}
            wait = max((wait_for_token(current[key], rate) for key, rate in checks), default=0.0)
            if wait > 0:
                return wait
            for key, _ in checks:
                self._buckets[key] = Bucket(current[key].tokens - 1, now)
            if len(self._buckets) > self._max_keys:
                self._prune(now, checks)
            return 0.0

    def _prune(self, now: float, checks: Sequence[Check]) -> None:
        # A bucket that would be full again is the same as no bucket: forget it.
        longest = max(rate.per_seconds for _, rate in checks)
        stale = [k for k, b in self._buckets.items() if now - b.updated > longest]
        for key in stale:
            del self._buckets[key]


# KEYS: bucket keys; ARGV: capacity1, refill_per_second1, capacity2, ... ; TIME from Redis
# so that every host agrees on "now". Returns the wait in milliseconds, 0 when spent.
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local wait = 0
local tokens = {}
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 * i - 1])
  local per_second = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'updated')
  local have = tonumber(state[1])
  local updated = tonumber(state[2])
  if have == nil then
    have = capacity
  else
    have = math.min(capacity, have + math.max(0, now - updated) * per_second)
  end
  tokens[i] = have
  if have < 1 then
    wait = math.max(wait, (1 - have) / per_second)
  end
end
if wait > 0 then
  return math.ceil(wait * 1000)
end
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 * i - 1])
  local per_second = tonumber(ARGV[2 * i])
  redis.call('HSET', key, 'tokens', tokens[i] - 1, 'updated', now)
  redis.call('PEXPIRE', key, math.ceil(capacity / per_second * 1000) + 1000)
end
return 0
"""


class RedisLimiter:
    """Buckets in Redis, shared by every worker; falls back to memory when Redis is down."""

    def __init__(self, url: str, *, prefix: str = "commentdesk:rate:") -> None:
        # Imported here: a server without Redis never loads its client (7 MB a process).
        import redis

        self._unavailable = redis.RedisError
        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._client.register_script(_SCRIPT)
        self._prefix = prefix
        self._fallback = MemoryLimiter()
        self._warned_at = 0.0

    def spend(self, checks: Sequence[Check]) -> float:
        keys = [self._prefix + key for key, _ in checks]
        args: list[float] = []
        for _, rate in checks:
            args += [rate.capacity, rate.refill_per_second]
        try:
            waited = self._script(keys=keys, args=args)
        except self._unavailable as exc:
            self._warn(exc)
            return self._fallback.spend(checks)
        return int(str(waited)) / 1000

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at > 60:  # once a minute is enough to be noticed
            self._warned_at = now
            logger.warning("Redis unavailable (%s); rate limits now hold per process", exc)

    def close(self) -> None:
        self._client.close()


def make_limiter(redis_url: str | None) -> MemoryLimiter | RedisLimiter:
    """Redis when a URL is configured, else in-process buckets."""
    return RedisLimiter(redis_url) if redis_url else MemoryLimiter()
