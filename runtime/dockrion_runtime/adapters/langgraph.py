"""`langgraph` framework: the factory returns a compiled graph, or a StateGraph we compile.

/invoke also runs through `astream`, so that the tool calls a model requests are gated in the
`updates` of the step that produced them, before the tools node of the next step starts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from .base import AgentEvent, InvocationContext, text_of, tool_calls_in
from .lc_callbacks import ToolGateCallback


class LangGraphAdapter:
    framework = "langgraph"
    streams = True

    def __init__(self, graph: Any):
        if not hasattr(graph, "astream") and callable(getattr(graph, "compile", None)):
            graph = graph.compile()
        if not hasattr(graph, "astream"):
            raise TypeError(
                f"the langgraph entrypoint must return a compiled graph or a StateGraph, got {type(graph).__name__}")
        self._graph = graph
        # `values` chunks carry every state channel; what `graph.invoke` returns is only the
        # graph's output channels (its `output_schema`), so the answer is cut to those.
        channels = getattr(graph, "output_channels", None)
        self._output_keys: tuple[str, ...] | None = (
            tuple(channels) if isinstance(channels, (list, tuple)) else None)

    def _output(self, state: Any) -> Any:
        if self._output_keys is None or not isinstance(state, dict):
            return state
        return {key: state[key] for key in self._output_keys if key in state}

    def _config(self, ctx: InvocationContext) -> dict[str, Any]:
        config: dict[str, Any] = {"callbacks": [ToolGateCallback(ctx), *ctx.callbacks],
                                  "run_name": "dockrion", "metadata": {"request_id": ctx.request_id}}
        if getattr(self._graph, "checkpointer", None) is not None:
            config["configurable"] = {"thread_id": ctx.request_id}
        recursion_limit = ctx.arguments.get("recursion_limit")
        if isinstance(recursion_limit, int) and recursion_limit > 0:
            config["recursion_limit"] = recursion_limit
        return config

    async def invoke(self, payload: Any, ctx: InvocationContext) -> Any:
        final: Any = None
        async for mode, chunk in self._graph.astream(payload, self._config(ctx), stream_mode=["updates", "values"]):
            if mode == "updates":
                for _ in self._tool_calls(chunk, ctx):
                    pass
            elif mode == "values":
                final = chunk
        return self._output(final)

    async def stream(self, payload: Any, ctx: InvocationContext) -> AsyncIterator[AgentEvent]:
        final: Any = None
        modes = ["messages", "updates", "values"]
        async for mode, chunk in self._graph.astream(payload, self._config(ctx), stream_mode=modes):
            if mode == "messages":
                message, metadata = chunk
                if getattr(message, "type", None) == "AIMessageChunk":
                    text = text_of(message.content)
                    if text:
                        node = metadata.get("langgraph_node") if isinstance(metadata, dict) else None
                        yield ("token", {"text": text, "node": node})
            elif mode == "updates":
                for event in self._tool_calls(chunk, ctx):
                    yield event
                if isinstance(chunk, dict):
                    for node in chunk:
                        yield ("update", {"node": node})
            elif mode == "values":
                final = chunk
        yield ("output", self._output(final))

    @staticmethod
    def _tool_calls(update: Any, ctx: InvocationContext) -> list[AgentEvent]:
        events: list[AgentEvent] = []
        for call in tool_calls_in(update):
            if ctx.report_tool_call(call["name"], call.get("id")):
                events.append(("tool_call", {"name": call["name"], "args": call.get("args"), "id": call.get("id")}))
        return events
