"""`langchain` framework: the factory returns a Runnable (`ainvoke` / `astream`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from .base import AgentEvent, InvocationContext, text_of, to_jsonable, tool_calls_in
from .lc_callbacks import ToolGateCallback


class LangChainAdapter:
    framework = "langchain"
    streams = True

    def __init__(self, runnable: Any):
        if not (hasattr(runnable, "ainvoke") and hasattr(runnable, "astream")):
            raise TypeError(f"the langchain entrypoint must return a Runnable, got {type(runnable).__name__}")
        self._runnable = runnable

    def _config(self, ctx: InvocationContext) -> dict[str, Any]:
        return {"callbacks": [ToolGateCallback(ctx), *ctx.callbacks], "run_name": "dockrion",
                "metadata": {"request_id": ctx.request_id}}

    async def invoke(self, payload: Any, ctx: InvocationContext) -> Any:
        result = await self._runnable.ainvoke(payload, self._config(ctx))
        for call in tool_calls_in(result):
            ctx.report_tool_call(call["name"], call.get("id"))
        return result

    async def stream(self, payload: Any, ctx: InvocationContext) -> AsyncIterator[AgentEvent]:
        accumulated: Any = None
        async for chunk in self._runnable.astream(payload, self._config(ctx)):
            if isinstance(chunk, str):
                if chunk:
                    yield ("token", {"text": chunk})
            elif getattr(chunk, "type", None) == "AIMessageChunk":
                text = text_of(chunk.content)
                if text:
                    yield ("token", {"text": text})
            else:
                yield ("chunk", {"data": to_jsonable(chunk)})
            accumulated = _accumulate(accumulated, chunk)
        # Tool-call chunks only form complete calls once merged; gate them on the whole message.
        for call in tool_calls_in(accumulated):
            if ctx.report_tool_call(call["name"], call.get("id")):
                yield ("tool_call", {"name": call["name"], "args": call.get("args"), "id": call.get("id")})
        yield ("output", accumulated)


def _accumulate(total: Any, chunk: Any) -> Any:
    if total is None:
        return chunk
    try:
        return total + chunk
    except TypeError:
        return chunk
