"""`policies.tools`: gate the tool calls that adapters report (before the tool runs).

A tool is allowed when it is in `allowed`; otherwise it is denied when `deny_by_default`. It
fails closed: `deny_by_default: true` (the default) with no `allowed` list, or an empty one,
denies every tool. Only `deny_by_default: false` lets unlisted tools run.
"""

from __future__ import annotations

from typing import Any

from ..config import ToolPolicyConfig
from ..errors import ToolDenied
from .events import PolicyEvents


class ToolGate:
    def __init__(self, config: ToolPolicyConfig, events: PolicyEvents):
        self._allowed = frozenset(config.allowed or ())
        self._deny_by_default = config.deny_by_default
        self._events = events

    @property
    def denies_every_tool(self) -> bool:
        return self._deny_by_default and not self._allowed

    def is_allowed(self, name: str) -> bool:
        return name in self._allowed or not self._deny_by_default

    def check(self, name: str, stage: str = "in-invoke", **fields: Any) -> None:
        if self.is_allowed(name):
            self._events.record("tools", "allow", stage, tool=name, **fields)
            return
        self._events.record("tools", "deny", stage, tool=name, **fields)
        raise ToolDenied(f"tool {name!r} is not allowed by policies.tools",
                         details={"tool": name, "policy": "policies.tools"})
