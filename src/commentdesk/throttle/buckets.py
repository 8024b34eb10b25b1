"""Token-bucket arithmetic: pure, no clock of its own, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*")


@dataclass(frozen=True, slots=True)
class Rate:
    """``capacity`` submissions at once, refilled evenly over ``per_seconds``."""

    capacity: int
    per_seconds: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Reads ``"N/SECONDS"``, e.g. ``"5/300"``: five at once, one more every minute."""
        match = _RATE.fullmatch(text)
        if not match or int(match[1]) < 1 or float(match[2]) <= 0:
            raise ValueError(f"{text!r} is not a rate like '5/300' (count/seconds)")
        return cls(int(match[1]), float(match[2]))

    @property
    def refill_per_second(self) -> float:
        return self.capacity / self.per_seconds


@dataclass(frozen=True, slots=True)
class Bucket:
    tokens: float
    updated: float


def refill(bucket: Bucket | None, rate: Rate, now: float) -> Bucket:
    """The bucket as it stands at ``now``; a new key starts full."""
    if bucket is None:
        return Bucket(float(rate.capacity), now)
    elapsed = max(0.0, now - bucket.updated)
    return Bucket(min(rate.capacity, bucket.tokens + elapsed * rate.refill_per_second), now)


def wait_for_token(bucket: Bucket, rate: Rate) -> float:
    """Seconds until ``bucket`` holds one whole token (0 when it does)."""
    missing = 1.0 - bucket.tokens
    return 0.0 if missing <= 0 else missing / rate.refill_per_second
