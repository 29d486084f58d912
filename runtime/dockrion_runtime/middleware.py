"""Outermost ASGI layer: request identity, body-size pre-check, metrics, access log, last-resort 500.

Pure ASGI (not BaseHTTPMiddleware): it adds no task or stream copy per request, which matters
for the overhead budget, and it does not buffer streaming responses.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, MutableMapping
from typing import Any

from .errors import ApiError, BadRequest, PayloadTooLarge
from .jsonio import dumps
from .telemetry.context import request_id_from, request_id_var, trace_context_from, trace_id_var
from .telemetry.logs import log_request_line, logger
from .telemetry.metrics import Metrics

ROUTE_LABELS = frozenset({"/invoke", "/invoke/stream", "/invoke/ws", "/health", "/ready", "/schema", "/metrics",
                          "/docs", "/openapi.json", "/docs/oauth2-redirect"})
_QUIET_ROUTES = frozenset({"/health", "/ready", "/metrics"})
# Clients choose the method token: unknown ones share a label so they cannot grow the series.
_METHOD_LABELS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
# A client that sends its whole body before reading the answer (urllib, requests, most SDKs)
# sees a connection reset instead of our 413 if we close while it is still sending. So the rest
# of an oversized body is read and dropped first, up to these bounds; beyond them the
# connection is closed at once.
DRAIN_LIMIT_BYTES = 16 * 1024 * 1024
DRAIN_LIMIT_SECONDS = 5.0


async def drain_body(receive: Any, already_read: int = 0) -> None:
    """Read and discard the request body until it ends or a drain bound is reached."""

    async def discard() -> None:
        size = already_read
        while size <= DRAIN_LIMIT_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    try:
        await asyncio.wait_for(discard(), DRAIN_LIMIT_SECONDS)
    except TimeoutError:
        pass


class RequestContextMiddleware:
    def __init__(self, app: Any, *, metrics: Metrics, max_body_bytes: int,
                 direct_routes: Mapping[tuple[str, str], Any] | None = None):
        self.app = app
        self._metrics = metrics
        self._max_body_bytes = max_body_bytes
        # (method, path) → the ASGI app that serves it instead of `app` (app.AgentApp).
        self._direct_routes = dict(direct_routes or {})

    def serves_directly(self, scope: Mapping[str, Any]) -> bool:
        return not scope.get("root_path") and (scope["method"], scope["path"]) in self._direct_routes

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await self._websocket(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        incoming_id = traceparent = content_length = None
        expects_continue = False
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming_id = value.decode("latin-1")
            elif name == b"traceparent":
                traceparent = value.decode("latin-1")
            elif name == b"content-length":
                content_length = value
            elif name == b"expect":
                expects_continue = value.lower() == b"100-continue"
        request_id = request_id_from(incoming_id)
        trace = trace_context_from(traceparent)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["trace"] = trace
        request_token = request_id_var.set(request_id)
        trace_token = trace_id_var.set(trace.trace_id)
        identity_headers = [(b"x-request-id", request_id.encode()), (b"traceparent", trace.traceparent.encode())]
        status = 500
        started_response = False

        async def send_with_identity(message: dict[str, Any]) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *identity_headers]
            await send(message)

        started = time.perf_counter()
        self._metrics.inflight.inc()
        try:
            early_error = self._check_declared_length(content_length)
            if early_error is not None:
                # A client waiting for `100 Continue` has not sent the body: answer at once.
                if (isinstance(early_error, PayloadTooLarge) and not expects_continue
                        and int(content_length or 0) <= DRAIN_LIMIT_BYTES):
                    await drain_body(receive)
                await send_error(send_with_identity, early_error, request_id)
            else:
                target = self._direct_routes.get((scope["method"], scope["path"]), self.app)
                await target(scope, receive, send_with_identity)
        except Exception:
            logger.exception("unhandled error while serving the request")
            if not started_response:
                await send_error(send_with_identity, ApiError(), request_id)
        finally:
            elapsed = time.perf_counter() - started
            self._metrics.inflight.dec()
            path = scope["path"]
            route = path if path in ROUTE_LABELS else "other"
            method = scope["method"] if scope["method"] in _METHOD_LABELS else "other"
            self._metrics.observe_request(route, method, status, elapsed)
            principal = state.get("principal")
            log_request_line(logging.DEBUG if path in _QUIET_ROUTES else logging.INFO,
                             {"method": method, "path": route, "status": status,
                              "latency_ms": round(elapsed * 1000, 3),
                              "subject": principal.subject if principal is not None else None})
            request_id_var.reset(request_token)
            trace_id_var.reset(trace_token)

    async def _websocket(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """The same identity, metrics and access line for a WebSocket. Its `status` is the close
        code (ours, else the one the app received: the client's, or uvicorn's 1009/1012; 1006
        when none is known), or the HTTP status of a handshake refused before accepting."""
        incoming_id = traceparent = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming_id = value.decode("latin-1")
            elif name == b"traceparent":
                traceparent = value.decode("latin-1")
        request_id = request_id_from(incoming_id)
        trace = trace_context_from(traceparent)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["trace"] = trace
        request_token = request_id_var.set(request_id)
        trace_token = trace_id_var.set(trace.trace_id)
        identity_headers = [(b"x-request-id", request_id.encode()), (b"traceparent", trace.traceparent.encode())]
        status = 1006  # closed without a close frame from us (the client went away)
        accepted = closed = False

        async def send_with_identity(message: dict[str, Any]) -> None:
            nonlocal status, accepted, closed
            kind = message["type"]
            if kind == "websocket.accept":
                accepted = True
                message["headers"] = [*message.get("headers", ()), *identity_headers]
            elif kind == "websocket.close":
                closed = True
                status = message.get("code", 1000) if accepted else 403
            await send(message)

        async def receive_tracking() -> dict[str, Any]:
            nonlocal status
            message: dict[str, Any] = await receive()
            if message["type"] == "websocket.disconnect" and not closed:
                status = message.get("code") or 1006  # closed by the client, or by uvicorn (1009, 1012)
            return message

        started = time.perf_counter()
        self._metrics.inflight.inc()
        try:
            await self.app(scope, receive_tracking, send_with_identity)
        except Exception:
            logger.exception("unhandled error while serving the websocket")
            if not closed:
                try:
                    await send_with_identity({"type": "websocket.close", "code": 1011, "reason": "InternalError"})
                except Exception:  # the connection is already gone
                    pass
                if not accepted:
                    status = 500
        finally:
            elapsed = time.perf_counter() - started
            self._metrics.inflight.dec()
            path = scope["path"]
            route = path if path in ROUTE_LABELS else "other"
            self._metrics.observe_request(route, "GET", status, elapsed)
            principal = state.get("principal")
            log_request_line(logging.INFO, {"method": "GET", "path": route, "status": status,
                                            "latency_ms": round(elapsed * 1000, 3), "websocket": True,
                                            "subject": principal.subject if principal is not None else None})
            request_id_var.reset(request_token)
            trace_id_var.reset(trace_token)

    def _check_declared_length(self, raw: bytes | None) -> ApiError | None:
        if raw is None:
            return None
        if not raw.isdigit():
            return BadRequest("the Content-Length header is not a number")
        if int(raw) > self._max_body_bytes:
            return PayloadTooLarge(f"the request body exceeds {self._max_body_bytes} bytes",
                                   details={"max_body_bytes": self._max_body_bytes})
        return None


async def send_error(send: Any, error: ApiError, request_id: str | None) -> None:
    body = dumps(error.envelope(request_id))
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in error.headers.items()]
    # The body was read only up to a bound (or not at all): the connection cannot be reused.
    if error.status == 413 and b"connection" not in {name for name, _ in headers}:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
