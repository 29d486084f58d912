"""`custom` framework: a plain callable, sync or async, or a (async) generator that streams."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.to_thread

from .base import AgentEvent, InvocationContext


class CustomAdapter:
    framework = "custom"

    def __init__(self, fn: Any, input_class: Any = None):
        if not callable(fn):
            raise TypeError(f"the custom agent must be callable, got {type(fn).__name__}")
        self._fn = fn
        # For a callable object, its __call__ says whether it is async or a generator.
        target = fn if inspect.isroutine(fn) or isinstance(fn, functools.partial) else fn.__call__
        self._is_async_gen = inspect.isasyncgenfunction(target)
        self._is_sync_gen = inspect.isgeneratorfunction(target)
        self._is_coroutine = inspect.iscoroutinefunction(target)
        self.streams = self._is_async_gen or self._is_sync_gen
        self._wants_context, self._wants_model = _signature_traits(target, input_class)
        self._input_class = input_class

    def _args(self, payload: Any, ctx: InvocationContext) -> tuple[tuple[Any, ...], dict[str, Any]]:
        if self._wants_model and self._input_class is not None and isinstance(payload, dict):
            payload = self._input_class.model_validate(payload)
        kwargs = {"context": {"request_id": ctx.request_id, "arguments": ctx.arguments}} if self._wants_context else {}
        return (payload,), kwargs

    async def invoke(self, payload: Any, ctx: InvocationContext) -> Any:
        if self.streams:
            output: Any = None
            async for kind, data in self.stream(payload, ctx):
                if kind == "output":
                    output = data
            return output
        args, kwargs = self._args(payload, ctx)
        if self._is_coroutine:
            return await self._fn(*args, **kwargs)
        result = await anyio.to_thread.run_sync(lambda: self._fn(*args, **kwargs))
        if inspect.isawaitable(result):
            result = await result
        return result

    async def stream(self, payload: Any, ctx: InvocationContext) -> AsyncIterator[AgentEvent]:
        args, kwargs = self._args(payload, ctx)
        if not self.streams:
            yield ("output", await self.invoke(payload, ctx))
            return
        tokens: list[str] = []
        last: Any = None
        explicit_output: list[Any] = []
        async for item in self._items(args, kwargs):
            event = _event_for(item, ctx)
            if event[0] == "output":
                explicit_output[:] = [event[1]]
                continue
            if event[0] == "token":
                tokens.append(event[1]["text"])
            elif event[0] == "chunk":
                last = event[1]["data"]
            yield event
        if explicit_output:
            yield ("output", explicit_output[0])
        else:
            yield ("output", "".join(tokens) if tokens else last)

    async def _items(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> AsyncIterator[Any]:
        if self._is_async_gen:
            async for item in self._fn(*args, **kwargs):
                yield item
            return
        # A sync generator may block between items: pull each one in a worker thread.
        generator = self._fn(*args, **kwargs)
        sentinel = object()
        try:
            while True:
                item = await anyio.to_thread.run_sync(next, generator, sentinel)
                if item is sentinel:
                    return
                yield item
        finally:
            generator.close()


_RESERVED_KINDS = frozenset({"start", "end", "error", "token"})


def _event_for(item: Any, ctx: InvocationContext) -> AgentEvent:
    """str → token; {"event": kind, "data": ...} → that event (kind "output" sets the final
    output); anything else → chunk."""
    if isinstance(item, str):
        return ("token", {"text": item})
    if isinstance(item, dict) and isinstance(item.get("event"), str) and item["event"] not in _RESERVED_KINDS:
        kind = item["event"]
        data = item.get("data")
        if kind == "tool_call":
            name = (data or {}).get("name") if isinstance(data, dict) else None
            if not isinstance(name, str):
                raise ValueError("a tool_call event needs data.name")
            ctx.report_tool_call(name, (data or {}).get("id"))
        return (kind, data)
    return ("chunk", {"data": item})


def _signature_traits(fn: Callable[..., Any], input_class: type | None) -> tuple[bool, bool]:
    try:
        signature = inspect.signature(fn, eval_str=True)
    except Exception:  # annotations that do not evaluate: fall back to the raw signature
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):
            return False, False
    params = list(signature.parameters.values())
    wants_context = "context" in signature.parameters
    first = params[0] if params else None
    wants_model = bool(first is not None and input_class is not None and first.annotation is input_class)
    return wants_context, wants_model
