"""Every policy action is counted in /metrics and written to the log."""

from __future__ import annotations

import logging
from typing import Any

from ..telemetry.logs import log_event
from ..telemetry.metrics import Metrics


class PolicyEvents:
    def __init__(self, metrics: Metrics):
        self._metrics = metrics

    def record(self, policy: str, action: str, stage: str, count: int = 1, **fields: Any) -> None:
        """`count` is what the metric grows by: replacements for redact/strip, 1 otherwise."""
        self._metrics.policy_event(policy, action, count)
        level = logging.WARNING if action in ("block", "deny") else logging.INFO
        fields.setdefault("matches", count)
        log_event(level, "policy_event", policy=policy, action=action, stage=stage, **fields)
