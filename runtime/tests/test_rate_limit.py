"""Rate limits per role and caller: token buckets, 429 with Retry-After."""

from __future__ import annotations

import pytest

from conftest import base_config, client_for, error_of
from dockrion_runtime.auth.principal import Principal
from dockrion_runtime.ratelimit import RateLimit, RateLimiter, RateLimitSyntaxError, parse_rate_limit


@pytest.mark.parametrize(("text", "expected"), [
    ("10/s", RateLimit(10, 1)), ("10/sec", RateLimit(10, 1)), ("10/second", RateLimit(10, 1)),
    ("100/m", RateLimit(100, 60)), ("100/min", RateLimit(100, 60)), ("100 / minute", RateLimit(100, 60)),
    ("5/h", RateLimit(5, 3600)), ("5/hr", RateLimit(5, 3600)), ("5/hour", RateLimit(5, 3600)),
    ("7/d", RateLimit(7, 86400)), ("7/day", RateLimit(7, 86400)),
])
def test_parse_every_unit(text, expected):
    assert parse_rate_limit(text) == expected


@pytest.mark.parametrize("text", ["0/m", "ten/m", "10/week", "10", "10/", "-1/s"])
def test_reject_malformed_limits(text):
    with pytest.raises(RateLimitSyntaxError, match="N/unit"):
        parse_rate_limit(text)


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_refills_over_time_and_is_per_caller():
    clock = ManualClock()
    limiter = RateLimiter({"dev": "2/m"}, clock=clock)
    alice = Principal("alice", frozenset({"dev"}), "jwt")
    bob = Principal("bob", frozenset({"dev"}), "jwt")
    assert limiter.acquire(alice) is None
    assert limiter.acquire(alice) is None
    assert limiter.acquire(alice) == pytest.approx(30.0)  # one token refills every 30 s
    assert limiter.acquire(bob) is None  # bob has his own bucket
    clock.now += 30
    assert limiter.acquire(alice) is None
    assert limiter.acquire(alice) == pytest.approx(30.0)


def test_most_generous_role_applies_and_unlimited_roles_pass():
    limiter = RateLimiter({"viewer": "1/m", "admin": "100/m"}, clock=ManualClock())
    both = Principal("carol", frozenset({"viewer", "admin"}), "jwt")
    assert all(limiter.acquire(both) is None for _ in range(100))
    assert limiter.acquire(both) is not None
    other = Principal("dave", frozenset({"ops"}), "jwt")
    assert all(limiter.acquire(other) is None for _ in range(1000))


def test_tracked_callers_are_bounded():
    limiter = RateLimiter({"dev": "1/d"}, clock=ManualClock(), max_tracked_callers=10)
    for index in range(50):
        limiter.acquire(Principal(f"user-{index}", frozenset({"dev"}), "api_key"))
    assert len(limiter._buckets) == 10


def test_http_429_with_retry_after_per_role_and_key():
    raw = base_config(auth={"mode": "api_key", "api_keys": {"prefix": "KEY"},
                            "roles": [{"name": "viewer", "permissions": ["invoke", "view_metrics"]},
                                      {"name": "admin", "permissions": ["invoke", "view_metrics"]}],
                            "rate_limits": {"viewer": "2/hour", "admin": "1000/m"}})
    env = {"KEY_VIEWER": "viewer-key-abcdef123", "KEY_ADMIN": "admin-key-abcdef123"}
    with client_for(raw, env) as client:
        viewer = {"X-API-Key": env["KEY_VIEWER"]}
        statuses = [client.post("/invoke", json={"text": "a"}, headers=viewer).status_code for _ in range(3)]
        limited = client.post("/invoke", json={"text": "a"}, headers=viewer)
        stream_limited = client.post("/invoke/stream", json={"text": "a"}, headers=viewer)
        admin = client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": env["KEY_ADMIN"]})
        viewer_metrics_is_not_metered = [client.get("/metrics", headers=viewer).status_code for _ in range(3)]
        metrics = client.get("/metrics", headers={"X-API-Key": env["KEY_ADMIN"]}).text
    assert statuses == [200, 200, 429]
    assert limited.status_code == 429 and stream_limited.status_code == 429
    error = error_of(limited)
    assert error["code"] == "RateLimitExceeded"
    retry_after = int(limited.headers["retry-after"])
    assert 1700 <= retry_after <= 1800  # half an hour until the next of 2 tokens per hour
    assert error["details"]["retry_after_seconds"] == retry_after
    assert admin.status_code == 200
    assert viewer_metrics_is_not_metered == [200, 200, 200]
    assert 'reason="rate_limited"' in metrics
