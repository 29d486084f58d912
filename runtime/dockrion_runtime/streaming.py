"""POST /invoke/stream: Server-Sent Events straight from the adapter's `astream`. run_events()
is the transport-neutral run that /invoke/ws (websocket.py) sends as JSON messages.

Events: `start`, `token` and adapter events (`tool_call`, `update`, `chunk`, custom), then
`end` {output, metadata} or `error` {code, message}. A `: heartbeat` comment is sent whenever
the agent is silent for `streaming.events.heartbeat_interval` seconds.

Errors after `start` cannot change the HTTP status (already 200), so they arrive as an `error`
event with the same code the JSON API would use (e.g. ToolDeniedError).

Safety on streamed text: with redact_patterns, text is released at whitespace boundaries so a
pattern inside one word is never split across two events; a match spanning whitespace is caught
in the `end` output, which is always screened as a whole. max_output_chars stops the tokens.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

from .adapters import Adapter, InvocationContext
from .adapters.base import to_jsonable
from .errors import AgentFailed, AgentTimeout, ApiError
from .io_contract import IoContract
from .runtime import Runtime
from .telemetry.logs import logger

_DONE = object()


def sse_event(kind: str, data: Any) -> bytes:
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"), default=str)
    return f"event: {kind}\ndata: {payload}\n\n".encode()


HEARTBEAT = b": heartbeat\n\n"


class _TextReleaser:
    """Holds back streamed text until a whitespace boundary, then redacts and budgets it."""

    def __init__(self, runtime: Runtime):
        self._screener = runtime.screener
        self._redacts = runtime.safety.redacts
        self._pending = ""
        self._budget = runtime.safety.max_output_chars
        self.exhausted = False

    async def feed(self, text: str) -> str:
        if not self._redacts:
            return self._spend(text)
        self._pending += text
        cut = max(self._pending.rfind(" "), self._pending.rfind("\n"), self._pending.rfind("\t"))
        if cut < 0:
            return ""
        ready, self._pending = self._pending[: cut + 1], self._pending[cut + 1:]
        return self._spend(await self._screener.redact_text(ready, "stream"))

    async def flush(self) -> str:
        rest, self._pending = self._pending, ""
        if rest and self._redacts:
            rest = await self._screener.redact_text(rest, "stream")
        return self._spend(rest)

    def _spend(self, text: str) -> str:
        if self._budget is None or not text:
            return text
        if self.exhausted:
            return ""
        if len(text) >= self._budget:
            text, self._budget, self.exhausted = text[: self._budget], 0, True
            return text
        self._budget -= len(text)
        return text


async def stream_run(runtime: Runtime, adapter: Adapter, io: IoContract, payload: Any,
                     ctx: InvocationContext, started: float,
                     on_end: Callable[[Any, dict[str, Any]], None] | None = None) -> AsyncGenerator[bytes, None]:
    """The SSE encoding of run_events()."""
    async with aclosing(run_events(runtime, adapter, io, payload, ctx, started, on_end)) as events:
        async for kind, data in events:
            if kind == "heartbeat":
                yield HEARTBEAT
            elif kind == "error":
                yield sse_event("error", data.envelope(ctx.request_id))
            else:
                yield sse_event(kind, data)


async def run_events(runtime: Runtime, adapter: Adapter, io: IoContract, payload: Any,
                     ctx: InvocationContext, started: float,
                     on_end: Callable[[Any, dict[str, Any]], None] | None = None) -> AsyncGenerator[tuple[str, Any], None]:
    """One streamed run as (kind, data) pairs, shared by SSE and WebSocket: ("start", ...),
    ("token", ...), adapter events, then ("end", {...}) or ("error", ApiError); ("heartbeat",
    None) whenever the agent is silent for streaming.events.heartbeat_interval."""
    yield ("start", {"agent": runtime.agent_name, "version": runtime.version, "request_id": ctx.request_id})
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=256)

    async def pump() -> None:
        try:
            async for event in adapter.stream(payload, ctx):
                await queue.put(event)
            await queue.put(_DONE)
        except Exception as exc:  # handed to the consumer, which owns reporting
            await queue.put(exc)

    producer = asyncio.create_task(pump())
    limit = runtime.stream_time_limit
    deadline = None if limit is None else time.monotonic() + limit
    releaser = _TextReleaser(runtime)
    final: Any = None
    try:
        while True:
            wait = runtime.heartbeat_seconds
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AgentTimeout(f"the agent did not finish within {limit:g} s")
                wait = remaining if wait is None else min(wait, remaining)
            try:
                item = await asyncio.wait_for(queue.get(), wait)
            except TimeoutError:
                if deadline is None or time.monotonic() < deadline:
                    yield ("heartbeat", None)
                continue
            if item is _DONE:
                break
            if isinstance(item, ApiError):
                raise item
            if isinstance(item, BaseException):
                logger.error("the agent raised %s while streaming", type(item).__name__, exc_info=item)
                raise AgentFailed()
            kind, data = item
            if kind == "output":
                final = data
            elif kind == "token":
                text = await releaser.feed(data.get("text", ""))
                if text:
                    yield ("token", {**data, "text": text})
            else:
                yield (kind, to_jsonable(data))
        tail = await releaser.flush()
        if tail:
            yield ("token", {"text": tail})
        output, truncated = await runtime.screener.screen_output(io.shape_output(final))
        metadata = runtime.run_metadata(ctx, started, truncated)
        if on_end is not None:
            on_end(output, metadata)
        yield ("end", {"success": True, "output": output, "metadata": metadata})
    except ApiError as error:
        log_level = logging.WARNING if error.status < 500 else logging.ERROR
        logger.log(log_level, "stream ended with %s", error.code)
        yield ("error", error)
    finally:
        if not producer.done():
            producer.cancel()
        # wait() never raises the task's own exception (already reported through the queue).
        await asyncio.wait({producer})
