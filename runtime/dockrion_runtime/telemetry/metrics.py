"""Prometheus metrics, in a registry owned by one app (tests build many apps per process)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST as PROMETHEUS_CONTENT_TYPE
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["PROMETHEUS_CONTENT_TYPE", "Metrics"]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class InflightCount:
    """The in-flight gauge's value, read when /metrics renders. Every request changes it twice,
    and a Gauge child takes a lock and checks its labels on each change; this is one integer."""

    __slots__ = ("_count",)

    def __init__(self) -> None:
        self._count = 0

    def inc(self) -> None:
        self._count += 1

    def dec(self) -> None:
        self._count -= 1

    def value(self) -> float:
        return float(self._count)


class Metrics:
    def __init__(self, agent: str, version: str):
        self.registry = CollectorRegistry(auto_describe=True)
        self._labels = (agent, version)
        self.requests = Counter(
            "dockrion_requests_total", "HTTP requests handled.",
            ["agent", "version", "route", "method", "status"], registry=self.registry)
        self.duration = Histogram(
            "dockrion_request_duration_seconds", "Time from request start to the last response byte.",
            ["agent", "version", "route"], buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.inflight = InflightCount()
        Gauge("dockrion_inflight_requests", "Requests being handled right now.",
              ["agent", "version"], registry=self.registry).labels(agent, version).set_function(self.inflight.value)
        self.policy_events = Counter(
            "dockrion_policy_events_total", "Policy actions (redact, truncate, strip, block, deny, allow).",
            ["agent", "version", "policy", "action"], registry=self.registry)
        self.auth_failures = Counter(
            "dockrion_auth_failures_total", "Rejected requests by reason.",
            ["agent", "version", "reason"], registry=self.registry)
        self.tokens = Counter(
            "dockrion_tokens_total", "Model tokens reported by the agent's LangChain chat models (usage_metadata).",
            ["agent", "version", "kind"], registry=self.registry)
        self.cost_usd = Counter(
            "dockrion_cost_usd_total", "Estimated model cost in USD (model.extra.*_cost_per_1k prices).",
            ["agent", "version"], registry=self.registry)
        self._request_children: dict[tuple[str, str, int], Counter] = {}
        self._duration_children: dict[str, Histogram] = {}

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, status)
        counter = self._request_children.get(key)
        if counter is None:
            counter = self.requests.labels(*self._labels, route, method, str(status))
            self._request_children[key] = counter
        counter.inc()
        histogram = self._duration_children.get(route)
        if histogram is None:
            histogram = self.duration.labels(*self._labels, route)
            self._duration_children[route] = histogram
        histogram.observe(seconds)

    def policy_event(self, policy: str, action: str, count: int = 1) -> None:
        self.policy_events.labels(*self._labels, policy, action).inc(count)

    def auth_failure(self, reason: str) -> None:
        self.auth_failures.labels(*self._labels, reason).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
