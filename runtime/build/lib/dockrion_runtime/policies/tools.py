"""`policies.tools`: gate the tool calls that adapters report (before the tool runs).

A tool is allowed when it is in `allowed`; otherwise it is denied when `deny_by_default`.
Without an `allowed` list there is nothing to gate against, and every tool is allowed.
"""

from __future__ import annotations

from typing import Any

from ..config import ToolPolicyConfig
from ..errors import ToolDenied
from .events import PolicyEvents


class ToolGate:
    def __init__(self, config: ToolPolicyConfig, events: PolicyEvents):
        self._allowed = frozenset(config.allowed) if config.allowed is not None else None
        self._deny_by_default = config.deny_by_default
        self._events = events

    @property
    def active(self) -> bool:
        return self._allowed is not None

    def is_allowed(self, name: str) -> bool:
        if self._allowed is None or name in self._allowed:
            return True
        return not self._deny_by_default

    def check(self, name: str, stage: str = "in-invoke", **fields: Any) -> None:
        if self.is_allowed(name):
            self._events.record("tools", "allow", stage, tool=name, **fields)
            return
        self._events.record("tools", "deny", stage, tool=name, **fields)
        raise ToolDenied(f"tool {name!r} is not allowed by policies.tools",
                         details={"tool": name, "policy": "policies.tools"})
