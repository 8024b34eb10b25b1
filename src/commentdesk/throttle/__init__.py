"""Rate limits as token buckets, in process or shared through Redis.

The desk asks one question before it stores a submission: may these keys (commenter,
hashed address, article, site) each spend one token now? All or nothing: a refused
submission spends no token anywhere.
"""

from commentdesk.throttle.buckets import Rate
from commentdesk.throttle.limiter import Limiter, MemoryLimiter, RedisLimiter, make_limiter

__all__ = ["Limiter", "MemoryLimiter", "Rate", "RedisLimiter", "make_limiter"]
