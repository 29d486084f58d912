"""Model token usage and cost (`observability.metrics.tokens` / `cost`).

The LangChain/LangGraph adapters attach a callback that reads `usage_metadata` (input/output
tokens) from every chat model result (`on_llm_end`, streamed or not). Each model call is counted
in Prometheus as it ends, so tokens spent by a run that later fails are counted too, and summed
per run for `metadata.usage` in the `/invoke` response and the stream's `end` event.
"""

from __future__ import annotations

import threading
from typing import Any

from ..config import RuntimeConfig
from .metrics import Metrics


class UsageMeter:
    """Per process: the Prometheus children and the prices. `enabled` is False when
    `observability.metrics.tokens` is off; cost is counted only with `cost` on and a price set."""

    def __init__(self, config: RuntimeConfig, metrics: Metrics):
        flags = config.observability.metrics
        self.enabled = flags.tokens
        self.prices: tuple[float, float] | None = None
        self._cost = None
        if not self.enabled:
            return  # no series at all, not even zeros
        labels = (config.agent.name, config.agent_version)
        self._input = metrics.tokens.labels(*labels, "input")
        self._output = metrics.tokens.labels(*labels, "output")
        input_price = config.model.price_per_1k("input")
        output_price = config.model.price_per_1k("output")
        if flags.cost and (input_price is not None or output_price is not None):
            self.prices = (input_price or 0.0, output_price or 0.0)
            self._cost = metrics.cost_usd.labels(*labels)

    def new_run(self) -> RunUsage:
        return RunUsage(self)

    def _record(self, input_tokens: int, output_tokens: int) -> float | None:
        if input_tokens:
            self._input.inc(input_tokens)
        if output_tokens:
            self._output.inc(output_tokens)
        if self.prices is None or self._cost is None:
            return None
        cost = (input_tokens * self.prices[0] + output_tokens * self.prices[1]) / 1000.0
        if cost:
            self._cost.inc(cost)
        return cost


class RunUsage:
    """The usage of one run. Model calls may end on worker threads (sync graph nodes), hence the lock."""

    __slots__ = ("_lock", "_meter", "calls", "cost_usd", "input_tokens", "output_tokens")

    def __init__(self, meter: UsageMeter):
        self._meter = meter
        self._lock = threading.Lock()
        self.calls = 0
        self.input_tokens = 0
        self.output_tokens = 0
        self.cost_usd: float | None = None

    def add_usage_metadata(self, usage: Any) -> None:
        if not isinstance(usage, dict):
            return
        input_tokens = _count(usage.get("input_tokens"))
        output_tokens = _count(usage.get("output_tokens"))
        cost = self._meter._record(input_tokens, output_tokens)
        with self._lock:
            self.calls += 1
            self.input_tokens += input_tokens
            self.output_tokens += output_tokens
            if cost is not None:
                self.cost_usd = (self.cost_usd or 0.0) + cost

    def as_metadata(self) -> dict[str, Any] | None:
        """`metadata.usage`, or None when no model reported usage in this run."""
        if not self.calls:
            return None
        usage: dict[str, Any] = {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
                                 "total_tokens": self.input_tokens + self.output_tokens}
        if self.cost_usd is not None:
            usage["cost_usd"] = round(self.cost_usd, 8)
        return usage


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return 0
    return value
