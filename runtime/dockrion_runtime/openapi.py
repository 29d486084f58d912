"""OpenAPI document with the agent's real input/output schemas and the auth schemes in force."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from .runtime import Runtime

_ERROR_STATUSES = {
    "400": "Malformed request (invalid JSON, too deep)",
    "401": "Missing or invalid credentials",
    "403": "Missing permission, or blocked by a policy (ToolDeniedError, PolicyViolationError)",
    "413": "Body larger than expose.max_body_bytes",
    "415": "Body is not JSON",
    "422": "Input does not match the input schema",
    "429": "Rate limit exceeded (see Retry-After)",
    "500": "The agent failed, or its output broke the output schema",
    "503": "The agent is not loaded yet",
    "504": "The agent timed out (arguments.timeout_sec)",
}

WEBSOCKET_DESCRIPTION = (
    "**WebSocket `/invoke/ws`** (one run per connection). Authenticate at the handshake like HTTP "
    "(API-key header or `Authorization: Bearer`); browsers offer the credential as a subprotocol "
    "next to `dockrion.v1`: `dockrion.api-key.<base64url(key)>` or `dockrion.bearer.<base64url(token)>` "
    "(never in the query string). Send one message with the JSON input (the `/invoke` body); receive "
    "`{\"event\", \"data\"}` messages: `start`, `token`, `tool_call`, `update`, `chunk`, then `end` or "
    "`error` (the error envelope), and `{\"event\": \"heartbeat\"}` while the agent is silent. Close codes: "
    "1000 after `end`, 1007 invalid input, 1008 auth/permission/rate limit/policy/tool denial, "
    "1009 input too large, 1011 agent failure or timeout, 1013 agent not ready; the reason is the error code."
)

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["success", "error"],
    "properties": {
        "success": {"const": False},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {},
                           "request_id": {"type": "string"}},
        },
    },
}


def _metadata_schema() -> dict[str, Any]:
    return {"type": "object", "properties": {
        "agent": {"type": "string"}, "version": {"type": "string"}, "latency_ms": {"type": "number"},
        "request_id": {"type": "string"}, "truncated": {"type": "boolean"},
        "usage": {"type": "object", "description": "Model token usage (LangChain usage_metadata) of this run",
                  "properties": {"input_tokens": {"type": "integer"}, "output_tokens": {"type": "integer"},
                                 "total_tokens": {"type": "integer"}, "cost_usd": {"type": "number"}}}}}


def _hoist(schema: dict[str, Any] | None, components: dict[str, Any]) -> dict[str, Any]:
    """Move a Pydantic schema's `$defs` into components so its `$ref`s resolve in OpenAPI."""
    if not schema:
        return {"type": "object"}
    schema = copy.deepcopy(schema)
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    _rewrite_refs(schema)
    for definition in components.values():
        _rewrite_refs(definition)
    return schema


def _rewrite_refs(node: Any) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node["$ref"] = "#/components/schemas/" + ref[len("#/$defs/"):]
        for value in node.values():
            _rewrite_refs(value)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value)


def build_openapi(app: FastAPI, runtime: Runtime) -> dict[str, Any]:
    from fastapi.openapi.utils import get_openapi  # only when someone asks: keeps start-up light

    document = get_openapi(title=f"{runtime.agent_name} (dockrion agent)", version=runtime.version,
                           description=runtime.config.agent.description or "An agent served by dockrion.",
                           routes=app.routes)
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    io = runtime.io
    schemas["AgentInput"] = _hoist(io.input_schema if io else None, schemas)
    schemas["AgentOutput"] = _hoist(io.output_schema if io else None, schemas)
    schemas["InvokeResponse"] = {
        "type": "object", "required": ["success", "output", "metadata"],
        "properties": {"success": {"const": True}, "output": {"$ref": "#/components/schemas/AgentOutput"},
                       "metadata": _metadata_schema()}}
    schemas["ErrorResponse"] = _ERROR_SCHEMA
    security_schemes = runtime.auth.security_schemes()
    if security_schemes:
        components["securitySchemes"] = security_schemes
    requirement: list[dict[str, list[str]]] = [{name: []} for name in security_schemes]

    error_responses = {status: {"description": text, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorResponse"}}}} for status, text in _ERROR_STATUSES.items()}
    request_body = {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/AgentInput"}}}}
    paths = document.setdefault("paths", {})
    expose = runtime.config.expose
    if expose.rest:
        paths["/invoke"] = {"post": {
            "tags": ["agent"], "summary": "Run the agent and return its output", "operationId": "invoke",
            "requestBody": request_body,
            "responses": {"200": {"description": "The agent's output", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/InvokeResponse"}}}}, **error_responses}}}
    if expose.streaming in ("sse", "websocket"):
        paths["/invoke/stream"] = {"post": {
            "tags": ["agent"], "summary": "Run the agent and stream events (SSE)", "operationId": "invoke_stream",
            "requestBody": request_body,
            "responses": {"200": {"description": "SSE: start, token, tool_call, update, end, error; "
                                                 "`: heartbeat` comments while the agent is silent",
                                  "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                          **error_responses}}}
    if expose.streaming == "websocket":
        paths["/invoke/ws"] = {"get": {
            "tags": ["agent"], "summary": "Run the agent and stream events over a WebSocket",
            "operationId": "invoke_ws", "description": WEBSOCKET_DESCRIPTION,
            "responses": {"101": {"description": "Switching Protocols: the WebSocket is open"}}}}
        document["info"]["description"] += "\n\n" + WEBSOCKET_DESCRIPTION
    if requirement:
        for path in ("/invoke", "/invoke/stream", "/invoke/ws", "/metrics"):
            for operation in paths.get(path, {}).values():
                operation["security"] = requirement
    return document
