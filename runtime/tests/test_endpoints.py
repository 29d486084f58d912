"""Every endpoint: health, ready, schema, metrics, docs/openapi, invoke envelope, routing errors."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from agents import plain
from conftest import base_config, build_app, client_for, error_of

INLINE_IO = {
    "input": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "description": "Say it"}}},
    "output": {"type": "object", "properties": {"echo": {"type": "string"}}},
}


def test_health_is_always_ok():
    with client_for(base_config()) as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "agent": "test-agent", "version": "2.0.0"}


def test_ready_is_503_until_the_agent_has_loaded_then_200():
    plain.LOAD_GATE.clear()
    app = build_app(base_config(agent={"handler": None, "entrypoint": "agents.plain:build_after_gate",
                                       "framework": "custom"}), background=True)
    with TestClient(app, raise_server_exceptions=False) as client:
        loading = client.get("/ready")
        assert loading.status_code == 503
        assert error_of(loading)["code"] == "AgentNotReady"
        assert client.get("/health").status_code == 200
        invoke_early = client.post("/invoke", json={"text": "x"})
        assert invoke_early.status_code == 503
        plain.LOAD_GATE.set()
        deadline = time.monotonic() + 10
        while client.get("/ready").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert client.get("/ready").json()["status"] == "ready"
        assert client.post("/invoke", json={"text": "x"}).json()["output"] == {"echo": "x"}


def test_ready_is_503_while_draining_but_in_flight_work_is_still_served():
    with client_for(base_config()) as client:
        client.app.state.runtime.draining = True
        draining = client.get("/ready")
        still_serving = client.post("/invoke", json={"text": "late"})
    assert draining.status_code == 503
    assert error_of(draining)["message"] == "the server is shutting down"
    assert still_serving.status_code == 200


def test_ready_stays_503_when_the_factory_fails():
    with client_for(base_config(agent={"handler": None, "entrypoint": "agents.plain:build_broken",
                                       "framework": "custom"})) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    error = error_of(response)
    assert "failed to load" in error["message"]
    assert "exploded" not in response.text


def test_invoke_returns_the_success_envelope():
    with client_for(base_config(io_schema=INLINE_IO)) as client:
        response = client.post("/invoke", json={"text": "hello"})
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["output"] == {"echo": "hello"}
    meta = body["metadata"]
    assert meta["agent"] == "test-agent" and meta["version"] == "2.0.0"
    assert isinstance(meta["latency_ms"], float | int) and meta["latency_ms"] >= 0
    assert meta["request_id"] == response.headers["x-request-id"]


def test_schema_returns_inline_input_and_output():
    with client_for(base_config(io_schema=INLINE_IO)) as client:
        body = client.get("/schema").json()
    assert body["input"] == INLINE_IO["input"]
    assert body["output"] == INLINE_IO["output"]
    assert body["framework"] == "custom" and body["streaming"] is True


def test_metrics_exposes_the_four_dockrion_metrics_with_agent_and_version_labels():
    with client_for(base_config()) as client:
        client.post("/invoke", json={"text": "a"})
        text = client.get("/metrics").text
    assert 'dockrion_requests_total{agent="test-agent",method="POST",route="/invoke",status="200",version="2.0.0"} 1.0' in text
    assert 'dockrion_request_duration_seconds_count{agent="test-agent",route="/invoke",version="2.0.0"} 1.0' in text
    assert 'dockrion_inflight_requests{agent="test-agent",version="2.0.0"}' in text
    assert "# TYPE dockrion_policy_events_total counter" in text


def test_openapi_carries_real_schemas_and_security_schemes():
    raw = base_config(io_schema=INLINE_IO, auth={"mode": "api_key", "api_keys": {"allow_bearer": True}})
    with client_for(raw, {"DOCKRION_API_KEY": "k" * 24}) as client:
        doc = client.get("/openapi.json").json()
        docs_page = client.get("/docs")
    assert docs_page.status_code == 200 and "swagger" in docs_page.text.lower()
    schemas = doc["components"]["schemas"]
    assert schemas["AgentInput"] == INLINE_IO["input"]
    assert schemas["AgentOutput"] == INLINE_IO["output"]
    invoke = doc["paths"]["/invoke"]["post"]
    assert invoke["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/AgentInput"}
    assert {"401", "403", "413", "415", "422", "429", "500", "504"} <= set(invoke["responses"])
    assert doc["components"]["securitySchemes"] == {
        "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        "BearerAuth": {"type": "http", "scheme": "bearer"},
    }
    assert invoke["security"] == [{"ApiKeyAuth": []}, {"BearerAuth": []}]
    assert doc["paths"]["/metrics"]["get"]["security"] == invoke["security"]
    assert "security" not in doc["paths"]["/health"]["get"]


def test_openapi_hoists_pydantic_class_schemas():
    raw = base_config(agent={"handler": "agents.plain:typed"},
                      io_schema={"input_class": "agents.models:Question", "output_class": "agents.models.Answer"})
    with client_for(raw) as client:
        doc = client.get("/openapi.json").json()
        schema = client.get("/schema").json()
    assert doc["components"]["schemas"]["AgentInput"]["properties"]["text"]["description"] == "What to ask"
    assert doc["components"]["schemas"]["AgentOutput"]["required"] == ["answer", "confidence"]
    assert schema["input"]["title"] == "Question" and schema["output"]["title"] == "Answer"
    assert "securitySchemes" not in doc["components"]


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/nope", 404, "NotFound"),
    ("GET", "/invoke", 405, "MethodNotAllowed"),
    ("DELETE", "/health", 405, "MethodNotAllowed"),
])
def test_routing_errors_use_the_envelope(method, path, status, code):
    with client_for(base_config()) as client:
        response = client.request(method, path)
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_rest_false_unmounts_invoke_and_streaming_none_unmounts_stream():
    with client_for(base_config(expose={"rest": False, "streaming": "sse"})) as client:
        assert client.post("/invoke", json={}).status_code == 404
        assert client.post("/invoke/stream", json={"text": "a"}).status_code == 200
    with client_for(base_config(expose={"streaming": "none"})) as client:
        assert client.post("/invoke/stream", json={}).status_code == 404
        assert client.post("/invoke", json={"text": "a"}).status_code == 200


def test_cors_preflight_allows_declared_origins_only():
    raw = base_config(expose={"cors": {"origins": ["https://app.example"], "methods": ["POST"]}})
    with client_for(raw) as client:
        allowed = client.options("/invoke", headers={"Origin": "https://app.example",
                                                     "Access-Control-Request-Method": "POST"})
        denied = client.options("/invoke", headers={"Origin": "https://evil.example",
                                                    "Access-Control-Request-Method": "POST"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in denied.headers


def test_cors_headers_on_invoke_answers():
    raw = base_config(expose={"cors": {"origins": ["https://app.example"], "methods": ["POST"]}})
    with client_for(raw) as client:
        allowed = client.post("/invoke", json={"text": "a"}, headers={"Origin": "https://app.example"})
        denied = client.post("/invoke", json={"text": "a"}, headers={"Origin": "https://evil.example"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "x-request-id" in allowed.headers["access-control-expose-headers"]
    assert "access-control-allow-origin" not in denied.headers


SHORTCUT_CASES = [
    ("/invoke", {"X-API-Key": "owner-key-0123456789abcdef"}, {"text": "hi"}),  # 200
    ("/invoke", {}, {"text": "hi"}),  # 401, WWW-Authenticate
    ("/invoke", {"X-API-Key": "wrong-key-0123456789abcdef"}, {"text": "hi"}),  # 401
    ("/invoke", {"X-API-Key": "owner-key-0123456789abcdef", "Content-Type": "text/plain"}, None),  # 415
    ("/invoke", {"X-API-Key": "owner-key-0123456789abcdef"}, {"text": 5}),  # 422 (input schema)
    ("/invoke", {"X-API-Key": "owner-key-0123456789abcdef"}, {"text": "x" * 5000}),  # 413
    ("/invoke/stream", {"X-API-Key": "owner-key-0123456789abcdef"}, {"text": "hi"}),  # 200, SSE
    ("/invoke/stream", {}, {"text": "hi"}),  # 401
]


@pytest.mark.parametrize(("path", "headers", "body"), SHORTCUT_CASES)
def test_agent_routes_answer_the_same_with_and_without_the_shortcut(path, headers, body):
    """AgentApp serves POST /invoke and /invoke/stream without FastAPI's stack and router; with
    the shortcut off, the same request goes through them. Every answer must be the same."""
    raw = base_config(auth={"mode": "api_key"}, expose={"streaming": "sse", "max_body_bytes": 4096},
                      io_schema={"input": {"type": "object", "properties": {"text": {"type": "string"}}}})
    environ = {"DOCKRION_API_KEY": "owner-key-0123456789abcdef"}
    answers = []
    for shortcut in (True, False):
        app = build_app(raw, environ)
        assert app.direct is not None
        if not shortcut:
            app.direct = None
        with TestClient(app, raise_server_exceptions=False) as client:
            if body is None:
                response = client.post(path, content=b"hello", headers=headers)
            else:
                response = client.post(path, json=body, headers=headers)
        # The ids are random and content-length follows latency_ms's digits; the body is compared below.
        headers_seen = {k: v for k, v in response.headers.items()
                        if k not in ("x-request-id", "traceparent", "content-length")}
        text = response.text
        for volatile in ("request_id", "latency_ms"):
            text = _blank_json_field(text, volatile)
        answers.append((response.status_code, headers_seen, text, "x-request-id" in response.headers))
    assert answers[0] == answers[1]
    assert answers[0][3]


def _blank_json_field(text: str, field: str) -> str:
    import re

    return re.sub(rf'"{field}":\s*("[^"]*"|[0-9.]+)', f'"{field}":"-"', text)
