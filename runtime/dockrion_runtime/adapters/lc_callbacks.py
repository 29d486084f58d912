"""A LangChain callback that gates tools at execution time (on_tool_start, before the tool runs).

This is the second line for tool gating: adapters first gate on the tool calls a model
requests. The callback catches tools run by code paths that never surface a tool call
(a Runnable that calls a tool directly, an AgentExecutor...).
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler

from .base import InvocationContext


class ToolGateCallback(BaseCallbackHandler):
    raise_error = True  # an exception here must abort the tool, not be logged and ignored

    def __init__(self, ctx: InvocationContext):
        self._ctx = ctx

    def on_tool_start(self, serialized: dict[str, Any] | None, input_str: str, **kwargs: Any) -> None:
        name = kwargs.get("name") or (serialized or {}).get("name")
        if not isinstance(name, str):
            return
        call_id = None
        inputs = kwargs.get("inputs")
        if isinstance(inputs, dict):
            call_id = inputs.get("tool_call_id")
        self._ctx.report_tool_call(name, call_id or kwargs.get("tool_call_id"))


class UsageCallback(BaseCallbackHandler):
    """Feeds each chat model result's `usage_metadata` to the run's usage (see telemetry/usage.py).
    Inline (no executor hop per event) and deaf to everything but model events."""

    run_inline = True
    ignore_chain = True
    ignore_agent = True
    ignore_retriever = True
    ignore_retry = True
    ignore_custom_event = True

    def __init__(self, usage: Any):
        self._usage = usage

    def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        for generations in getattr(response, "generations", None) or ():
            for generation in generations:
                message = getattr(generation, "message", None)
                usage = getattr(message, "usage_metadata", None)
                if usage:
                    self._usage.add_usage_metadata(usage)
