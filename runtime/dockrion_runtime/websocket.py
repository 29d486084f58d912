"""`/invoke/ws` (expose.streaming: websocket): one agent run per connection, as JSON messages.

Protocol:
1. Handshake (GET with `Upgrade: websocket`). Credentials exactly like HTTP: the API-key header
   or `Authorization: Bearer`. Browsers cannot set headers, so they may instead offer the
   credential as a subprotocol next to `dockrion.v1`:
       new WebSocket(url, ["dockrion.v1", "dockrion.api-key." + b64url(key)])   // the API-key header
       new WebSocket(url, ["dockrion.v1", "dockrion.bearer." + b64url(token)])  // Authorization: Bearer
   (base64url without padding, so any key is a valid subprotocol token). The server only ever
   selects `dockrion.v1`; the credential is never echoed, logged, or accepted in the query string.
   A browser `Origin` must be the server's own host or listed in `expose.cors.origins`.
2. Admission (auth → `invoke` permission → rate limit) happens at the handshake. A refusal is
   sent after accepting, as an `error` message and a close frame (1008), because browsers hide
   the HTTP status of a refused handshake.
3. The client sends one message (text or binary): the JSON input, exactly the `/invoke` body
   (same parser, `expose.max_body_bytes`, input schema, input policies).
4. The server sends `{"event": kind, "data": ...}` messages: `start`, `token`, `tool_call`,
   `update`, `chunk` or custom events, then `end` or `error` (the error envelope); and
   `{"event": "heartbeat"}` while the agent is silent. Then it closes:
   1000 after `end`; 1007 invalid input (400/422); 1008 auth, permission, rate limit, input
   timeout, policy or tool denial (401/403/429); 1009 input too large (413); 1011 agent failure,
   timeout or internal error (500/504); 1013 agent not ready (503). The close reason is the
   error code. A client that disconnects cancels the run.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import time
from collections.abc import Mapping
from contextlib import aclosing
from typing import Any
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from .auth import HeaderList, Permission
from .errors import ApiError, BadRequest, Forbidden, PayloadTooLarge
from .jsonio import parse_json
from .runtime import Runtime
from .streaming import run_events
from .telemetry.logs import logger

SUBPROTOCOL = "dockrion.v1"
_API_KEY_PREFIX = "dockrion.api-key."
_BEARER_PREFIX = "dockrion.bearer."
# How long the server waits for the input message after the handshake.
INPUT_TIMEOUT_SECONDS = 30.0

NORMAL, INVALID_DATA, POLICY, TOO_BIG, INTERNAL, TRY_AGAIN = 1000, 1007, 1008, 1009, 1011, 1013
HEARTBEAT_MESSAGE = '{"event":"heartbeat"}'


def close_code_for(error: ApiError) -> int:
    if error.status in (400, 415, 422):
        return INVALID_DATA
    if error.status == 413:
        return TOO_BIG
    if error.status == 503:
        return TRY_AGAIN
    if 400 <= error.status < 500:
        return POLICY
    return INTERNAL


def event_message(kind: str, data: Any) -> str:
    # The same JSON encoding as the SSE `data:` lines.
    return json.dumps({"event": kind, "data": data}, ensure_ascii=True, separators=(",", ":"), default=str)


def handshake_credentials(headers: Mapping[str, str], api_key_header: str) -> tuple[str | None, HeaderList]:
    """The subprotocol to select, and the headers auth should read: the request's own (repeats
    kept, so auth can refuse them), plus a credential offered as a subprotocol when the matching
    header is absent."""
    offered = [p.strip() for p in headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    selected = SUBPROTOCOL if SUBPROTOCOL in offered else None
    pairs = [(name, value) for name, value in headers.items() if name in ("authorization", api_key_header)]
    present = {name for name, _ in pairs}
    for protocol in offered:
        if protocol.startswith(_API_KEY_PREFIX):
            name, value = api_key_header, _b64url(protocol[len(_API_KEY_PREFIX):])
        elif protocol.startswith(_BEARER_PREFIX):
            token = _b64url(protocol[len(_BEARER_PREFIX):])
            name, value = "authorization", None if token is None else "Bearer " + token
        else:
            continue
        if value is not None and name not in present:
            pairs.append((name, value))
            present.add(name)
    return selected, HeaderList(pairs)


def _b64url(text: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def origin_allowed(headers: Mapping[str, str], cors_origins: list[str]) -> bool:
    """Non-browser clients send no Origin. A browser's must be this host or a CORS origin: there
    is no CORS for WebSockets, so this is what keeps other sites' pages out."""
    origin = headers.get("origin")
    if origin is None:
        return True
    if "*" in cors_origins or origin in cors_origins:
        return True
    host = headers.get("host")
    return host is not None and urlsplit(origin).netloc.lower() == host.lower()


async def serve_websocket(websocket: WebSocket, runtime: Runtime) -> None:
    request_id = websocket.scope["state"]["request_id"]
    cors = runtime.config.expose.cors
    subprotocol, auth_headers = handshake_credentials(websocket.headers, runtime.auth.api_key_header.lower())
    try:
        if not origin_allowed(websocket.headers, cors.origins if cors is not None else []):
            runtime.metrics.auth_failure("forbidden")
            raise Forbidden("this Origin may not open a WebSocket here (see expose.cors.origins)")
        await runtime.admit(websocket, Permission.INVOKE, headers=auth_headers)
    except ApiError as error:
        await websocket.accept(subprotocol=subprotocol)
        await _fail(websocket, error, request_id)
        return
    await websocket.accept(subprotocol=subprotocol)
    try:
        raw = await _receive_input(websocket, runtime.max_body_bytes)
        if raw is None:
            return  # the client left before sending its input
        adapter, io, payload = await runtime.accept_input(parse_json(raw))
    except ApiError as error:
        await _fail(websocket, error, request_id)
        return

    def traced(output: Any, metadata: dict[str, Any]) -> None:
        runtime.record_trace(request=websocket, payload=payload, output=output, metadata=metadata)

    ctx = runtime.invocation_context(request_id)
    sender = asyncio.ensure_future(_send_run(websocket, runtime, adapter, io, payload, ctx, traced))
    watcher = asyncio.ensure_future(_until_disconnect(websocket))
    try:
        await asyncio.wait({sender, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sender, watcher):
            if not task.done():
                task.cancel()
        await asyncio.wait({sender, watcher})
    if watcher.done() and not watcher.cancelled() and watcher.exception() is None:
        if not sender.done() or sender.cancelled():
            logger.info("websocket client disconnected; the run was cancelled")
        return
    failure = None if sender.cancelled() else sender.exception()
    if failure is not None and not isinstance(failure, WebSocketDisconnect):
        raise failure  # the middleware logs it and closes with 1011


async def _send_run(websocket: WebSocket, runtime: Runtime, adapter: Any, io: Any, payload: Any, ctx: Any,
                    traced: Any) -> None:
    async with aclosing(run_events(runtime, adapter, io, payload, ctx, time.perf_counter(), on_end=traced)) as events:
        async for kind, data in events:
            if kind == "heartbeat":
                await websocket.send_text(HEARTBEAT_MESSAGE)
            elif kind == "error":
                await _fail(websocket, data, ctx.request_id, accepted_log=False)
                return
            else:
                await websocket.send_text(event_message(kind, data))
    await websocket.close(NORMAL)


async def _until_disconnect(websocket: WebSocket) -> None:
    """Messages after the input are ignored; returns when the client goes away."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _receive_input(websocket: WebSocket, max_bytes: int) -> bytes | None:
    try:
        message = await asyncio.wait_for(websocket.receive(), INPUT_TIMEOUT_SECONDS)
    except TimeoutError:
        raise _InputTimeout(f"no input message within {INPUT_TIMEOUT_SECONDS:g} s of the handshake") from None
    if message["type"] == "websocket.disconnect":
        return None
    raw = message.get("bytes")
    if raw is None:
        raw = (message.get("text") or "").encode("utf-8", "surrogatepass")
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"the input message exceeds {max_bytes} bytes", details={"max_body_bytes": max_bytes})
    return raw


class _InputTimeout(BadRequest):
    code = "InputTimeout"


async def _fail(websocket: WebSocket, error: ApiError, request_id: str, accepted_log: bool = True) -> None:
    if accepted_log:
        level = logging.WARNING if error.status < 500 else logging.ERROR
        logger.log(level, "websocket run refused with %s", error.code)
    code = POLICY if isinstance(error, _InputTimeout) else close_code_for(error)
    if websocket.application_state != WebSocketState.CONNECTED:
        return
    try:
        await websocket.send_text(event_message("error", error.envelope(request_id)))
        await websocket.close(code, reason=error.code)
    except (WebSocketDisconnect, OSError, RuntimeError):
        pass  # the client is gone
