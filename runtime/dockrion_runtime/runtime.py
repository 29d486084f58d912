"""The request pipeline shared by /invoke and /invoke/stream, and the agent's load state.

Order per call: authenticate → authorize → rate-limit → read body (415/413/400) → ready? →
validate input (422) → pre-invoke safety → agent (timeout, tool gating) → output contract →
post-invoke safety → envelope.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import ClientDisconnect, HTTPConnection, Request

from .adapters import Adapter, AgentLoadError, InvocationContext, add_app_dir, load_adapter
from .auth import AuthGate, Permission, Principal
from .config import RuntimeConfig
from .errors import (
    AgentFailed,
    AgentNotReady,
    AgentTimeout,
    ApiError,
    PayloadTooLarge,
    RateLimited,
    UnsupportedMediaType,
)
from .io_contract import IoContract, IoSchemaError
from .jsonio import parse_json
from .middleware import drain_body
from .policies.events import PolicyEvents
from .policies.safety import SafetyPolicy
from .policies.screening import Screener
from .policies.tools import ToolGate
from .ratelimit import RateLimiter, retry_after_header
from .telemetry.langfuse_sink import LangfuseSink
from .telemetry.logs import log_event, logger
from .telemetry.metrics import Metrics
from .telemetry.usage import UsageMeter


async def read_declared_body(receive: Any) -> bytes:
    """The whole request body, as Request.body() reads it, without its stream generator."""
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        return bytes(message.get("body", b""))  # the whole body in one message: the usual case
    chunks: list[bytes] = []
    while True:
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
        message = await receive()


class Runtime:
    def __init__(self, config: RuntimeConfig, environ: Mapping[str, str] | None = None,
                 app_dir: str | None = None):
        environ = os.environ if environ is None else environ
        self.config = config
        self.agent_name = config.agent.name
        self.version = config.agent_version
        self.app_dir = app_dir
        self.metrics = Metrics(self.agent_name, self.version)
        self.usage = UsageMeter(config, self.metrics)
        # Set at load for LangChain-based frameworks when token counting is on: builds the
        # per-run callback that reads usage_metadata.
        self._usage_callback: Callable[[Any], Any] | None = None
        self.auth = AuthGate(config.auth, environ, config.secrets.names)
        self.rate_limiter = RateLimiter(config.auth.rate_limits)
        events = PolicyEvents(self.metrics)
        self.safety = SafetyPolicy(config.policies.safety, events)
        self.tools = ToolGate(config.policies.tools, events)
        self.timeout = config.timeout_seconds
        self.screener = Screener(self.safety, self.timeout)
        self.max_body_bytes = config.expose.max_body_bytes
        self.heartbeat_seconds = config.streaming.events.heartbeat_interval or None
        # A stream ends at arguments.timeout_sec or streaming.events.max_run_duration, whichever is first.
        limits = [t for t in (self.timeout, config.streaming.events.max_run_duration) if t]
        self.stream_time_limit: float | None = min(limits) if limits else None
        self.langfuse: LangfuseSink | None = None
        self.adapter: Adapter | None = None
        self.io: IoContract | None = None
        self.load_error: str | None = None
        self.draining = False
        self.on_load_failed: Callable[[str], None] | None = None
        # Inline schemas need no import: build them now so /schema works while the agent loads.
        if not (config.io_schema.input_class or config.io_schema.output_class):
            self.io = IoContract(config.io_schema)
        if self.tools.denies_every_tool:
            log_event(logging.INFO, "every tool call is denied: policies.tools.deny_by_default is true "
                                    "and policies.tools.allowed lists no tool")

    # ---- load state -------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self.adapter is not None and self.io is not None and not self.draining

    async def load(self) -> None:
        started = time.perf_counter()
        try:
            if self.app_dir:
                add_app_dir(self.app_dir)
            if self.io is None:
                self.io = await asyncio.to_thread(IoContract, self.config.io_schema)
            self.langfuse = LangfuseSink.create(self.config.observability.langfuse)
            self.adapter = await load_adapter(self.config.agent, self.io.input_class)
            if self.usage.enabled and self.config.agent.effective_framework in ("langgraph", "langchain"):
                from .adapters.lc_callbacks import UsageCallback

                self._usage_callback = UsageCallback
        except (AgentLoadError, IoSchemaError) as exc:
            self._load_failed(str(exc), exc)
            return
        except Exception as exc:
            self._load_failed(f"the agent factory raised {type(exc).__name__}: {exc}", exc)
            return
        # Everything built so far lives as long as the process: keep the collector from rescanning
        # it on every collection that request garbage triggers.
        gc.freeze()
        log_event(logging.INFO, "agent loaded", agent=self.agent_name, version=self.version,
                  framework=self.config.agent.effective_framework,
                  load_ms=round((time.perf_counter() - started) * 1000, 1))

    def _load_failed(self, message: str, exc: BaseException) -> None:
        self.load_error = message
        logger.error("agent failed to load: %s", message, exc_info=exc)
        if self.on_load_failed is not None:
            self.on_load_failed(message)

    def require_ready(self) -> tuple[Adapter, IoContract]:
        if self.adapter is None or self.io is None:
            if self.load_error:
                raise AgentNotReady("the agent failed to load; see the server log")
            raise AgentNotReady("the agent is still loading", headers={"Retry-After": "1"})
        return self.adapter, self.io

    # ---- admission ----------------------------------------------------------------------------
    async def admit(self, request: HTTPConnection, permission: str,
                    headers: Mapping[str, str] | None = None) -> Principal:
        """`headers` replaces the request's own (the WebSocket handshake adds subprotocol credentials)."""
        try:
            principal = await self.auth.authenticate(request.headers if headers is None else headers)
        except ApiError:
            self.metrics.auth_failure("unauthenticated")
            raise
        request.scope["state"]["principal"] = principal
        try:
            self.auth.authorize(principal, permission)
        except ApiError:
            self.metrics.auth_failure("forbidden")
            raise
        # Limits meter agent runs; a Prometheus scrape of /metrics must not eat a caller's quota.
        if self.rate_limiter.active and permission == "invoke":
            wait = self.rate_limiter.acquire(principal)
            if wait is not None:
                self.metrics.auth_failure("rate_limited")
                retry_after = retry_after_header(wait)
                raise RateLimited(f"rate limit exceeded; retry after {retry_after} s",
                                  details={"retry_after_seconds": int(retry_after)},
                                  headers={"Retry-After": retry_after})
        return principal

    async def read_payload(self, request: Request) -> Any:
        content_type = request.headers.get("content-type", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != "application/json" and not (media_type.startswith("application/") and media_type.endswith("+json")):
            raise UnsupportedMediaType(details={"received": media_type[:100] or None})
        if request.headers.get("content-length") is not None:
            # The middleware has already refused a declared length over the limit, and the HTTP
            # parser never delivers more than the declared length.
            return parse_json(await read_declared_body(request.receive))
        chunks: list[bytes] = []
        size = 0
        stream = request.stream()
        async for chunk in stream:
            size += len(chunk)
            if size > self.max_body_bytes:
                # Read and drop the rest (within bounds) so the client sees this answer rather
                # than a reset connection; the connection is then closed.
                await drain_body(request.receive, size)
                raise PayloadTooLarge(f"the request body exceeds {self.max_body_bytes} bytes",
                                      details={"max_body_bytes": self.max_body_bytes},
                                      headers={"Connection": "close"})
            chunks.append(chunk)
        return parse_json(b"".join(chunks))

    async def accept_input(self, payload: Any) -> tuple[Adapter, IoContract, Any]:
        """The gate every transport's input passes: agent readiness, the input schema, input screening."""
        adapter, io = self.require_ready()
        return adapter, io, await self.screener.screen_input(io.validate_input(payload))

    async def admit_invocation(self, request: Request) -> tuple[Adapter, IoContract, Any]:
        """An HTTP agent run: the caller may invoke, then its JSON body passes `accept_input`."""
        await self.admit(request, Permission.INVOKE)
        return await self.accept_input(await self.read_payload(request))

    # ---- invocation ---------------------------------------------------------------------------
    def invocation_context(self, request_id: str) -> InvocationContext:
        ctx = InvocationContext(request_id=request_id, arguments=self.config.arguments,
                                check_tool=self.tools.check)
        if self._usage_callback is not None:
            ctx.usage = self.usage.new_run()
            ctx.callbacks.append(self._usage_callback(ctx.usage))
        return ctx

    async def run_agent(self, call: Any) -> Any:
        """Await the adapter call with the configured timeout; map failures to API errors."""
        try:
            if self.timeout is None:
                return await call
            return await self._with_deadline(call, self.timeout)
        except ApiError:
            raise
        except Exception as exc:
            logger.error("the agent raised %s", type(exc).__name__, exc_info=exc)
            raise AgentFailed() from None

    @staticmethod
    async def _with_deadline(call: Any, seconds: float) -> Any:
        # asyncio.timeout() without its bookkeeping: one timer handle per call, and a flag that
        # tells our cancellation apart from a client disconnect or a shutdown.
        task = asyncio.current_task()
        assert task is not None
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            task.cancel()

        timer = asyncio.get_running_loop().call_later(seconds, expire)
        try:
            return await call
        except asyncio.CancelledError:
            if not expired:
                raise
            task.uncancel()
            raise AgentTimeout(f"the agent did not finish within {seconds:g} s") from None
        finally:
            timer.cancel()

    def metadata(self, request_id: str, started: float, **extra: Any) -> dict[str, Any]:
        return {"agent": self.agent_name, "version": self.version,
                "latency_ms": round((time.perf_counter() - started) * 1000, 3),
                "request_id": request_id, **extra}

    def run_metadata(self, ctx: InvocationContext, started: float, truncated: bool) -> dict[str, Any]:
        """`metadata` of a finished run: `truncated` when max_output_chars cut it, `usage` when a
        model reported token usage."""
        metadata = self.metadata(ctx.request_id, started)
        if truncated:
            metadata["truncated"] = True
        if ctx.usage is not None:
            usage = ctx.usage.as_metadata()
            if usage is not None:
                metadata["usage"] = usage
        return metadata

    def record_trace(self, *, request: HTTPConnection, payload: Any, output: Any, metadata: dict[str, Any],
                     error: str | None = None) -> None:
        if self.langfuse is None:
            return
        state = request.scope["state"]
        self.langfuse.record_run(name=self.agent_name, request_id=state["request_id"],
                                 trace_id=state["trace"].trace_id, input=payload, output=output,
                                 metadata=metadata, error=error)
