"""Per-role, per-caller rate limits (`auth.rate_limits: {role: "N/unit"}`) as token buckets.

The buckets live in this process. With several replicas each enforces its own share; a shared
store (Redis INCR+EXPIRE, or a GCRA script) would replace `_buckets` behind `RateLimiter.acquire`
without changing callers.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .auth.principal import Principal
from .errors import DockrionRuntimeError

_UNIT_SECONDS = {
    "s": 1, "sec": 1, "second": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hr": 3600, "hour": 3600,
    "d": 86400, "day": 86400,
}
_RATE = re.compile(r"^\s*([1-9][0-9]*)\s*/\s*([a-z]+)\s*$")


class RateLimitSyntaxError(DockrionRuntimeError, ValueError):
    pass


@dataclass(frozen=True, slots=True)
class RateLimit:
    requests: int
    per_seconds: int

    @property
    def refill_per_second(self) -> float:
        return self.requests / self.per_seconds


def parse_rate_limit(text: str) -> RateLimit:
    match = _RATE.match(text.lower())
    if not match or match.group(2) not in _UNIT_SECONDS:
        raise RateLimitSyntaxError(
            f"rate limit {text!r} is not 'N/unit' with unit one of s, sec, second, m, min, minute, h, hr, hour, d, day")
    return RateLimit(int(match.group(1)), _UNIT_SECONDS[match.group(2)])


class _Bucket:
    __slots__ = ("tokens", "updated")

    def __init__(self, tokens: float, updated: float):
        self.tokens = tokens
        self.updated = updated


class RateLimiter:
    """acquire() returns None when the call may proceed, else the seconds to wait."""

    def __init__(self, limits: Mapping[str, str], clock: Callable[[], float] = time.monotonic,
                 max_tracked_callers: int = 100_000):
        self._limits = {role: parse_rate_limit(text) for role, text in limits.items()}
        self._clock = clock
        self._max_tracked = max_tracked_callers
        self._buckets: OrderedDict[tuple[str, str], _Bucket] = OrderedDict()

    @property
    def active(self) -> bool:
        return bool(self._limits)

    def limit_for(self, principal: Principal) -> tuple[str, RateLimit] | None:
        best: tuple[str, RateLimit] | None = None
        for role in principal.roles:
            limit = self._limits.get(role)
            if limit is not None and (best is None or limit.refill_per_second > best[1].refill_per_second):
                best = (role, limit)
        return best

    def acquire(self, principal: Principal) -> float | None:
        chosen = self.limit_for(principal)
        if chosen is None:
            return None
        role, limit = chosen
        now = self._clock()
        key = (role, principal.subject)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(float(limit.requests), now)
            self._buckets[key] = bucket
            if len(self._buckets) > self._max_tracked:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            elapsed = now - bucket.updated
            bucket.tokens = min(float(limit.requests), bucket.tokens + elapsed * limit.refill_per_second)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return (1.0 - bucket.tokens) / limit.refill_per_second


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
