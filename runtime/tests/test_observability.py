"""Request identity, trace context, JSON logs, metrics accounting and Langfuse containment."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import base_config, client_for, log_lines

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_incoming_request_id_is_honoured_and_echoed(captured_logs):
    with client_for(base_config()) as client:
        response = client.post("/invoke", json={"text": "a"}, headers={"X-Request-ID": "req-123.abc"})
    assert response.headers["x-request-id"] == "req-123.abc"
    assert response.json()["metadata"]["request_id"] == "req-123.abc"
    request_logs = [line for line in log_lines(captured_logs) if line["msg"] == "request"]
    assert request_logs[-1]["request_id"] == "req-123.abc"


def test_traceparent_continues_the_callers_trace(captured_logs):
    incoming = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
    with client_for(base_config()) as client:
        response = client.post("/invoke", json={"text": "a"}, headers={"traceparent": incoming})
    version, trace_id, span_id, flags = response.headers["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", TRACE_ID, "01")
    assert span_id != "00f067aa0ba902b7" and len(span_id) == 16
    assert log_lines(captured_logs)[-1]["trace_id"] == TRACE_ID


def test_invalid_traceparents_start_a_new_trace():
    with client_for(base_config()) as client:
        for bad in ("00-" + "0" * 32 + "-00f067aa0ba902b7-01", "ff-" + TRACE_ID + "-00f067aa0ba902b7-01", "nonsense"):
            header = client.get("/health", headers={"traceparent": bad}).headers["traceparent"]
            assert TRACE_ID not in header and "0" * 32 not in header


def test_every_log_line_of_a_request_carries_its_ids(captured_logs):
    raw = base_config(agent={"handler": "agents.plain:fails"})
    with client_for(raw) as client:
        client.post("/invoke", json={"text": "x"}, headers={"X-Request-ID": "failing-1"})
    lines = [line for line in log_lines(captured_logs) if line.get("request_id") == "failing-1"]
    assert [line["msg"] for line in lines] == ["the agent raised RuntimeError", "request"]
    assert lines[0]["level"] == "error" and lines[0]["error_type"] == "RuntimeError"
    assert all(len(line["trace_id"]) == 32 for line in lines)


def test_metrics_count_statuses_and_return_inflight_to_zero():
    with client_for(base_config(io_schema={"input": {"type": "object", "required": ["text"]}})) as client:
        client.post("/invoke", json={"text": "a"})
        client.post("/invoke", json={})
        client.get("/missing")
        client.request("BREW", "/health")
        text = client.get("/metrics").text
    assert 'route="/invoke",status="200"' in text and 'route="/invoke",status="422"' in text
    assert 'route="other",status="404"' in text  # unknown paths share one label
    assert 'method="other",route="/health"' in text  # and so do unknown methods
    assert 'dockrion_inflight_requests{agent="test-agent",version="2.0.0"} 1.0' in text  # the /metrics call


@contextlib.contextmanager
def rejecting_collector():
    """A loopback endpoint that records what is exported to it and rejects it (HTTP 400)."""
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(self.path)
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_langfuse_exports_but_its_failure_never_fails_a_request():
    with rejecting_collector() as (host, received):
        raw = base_config(secrets={"required": [{"name": "LF_PUBLIC"}, {"name": "LF_SECRET"}]},
                          observability={"langfuse": {"public_key": "${LF_PUBLIC}", "secret_key": "${LF_SECRET}",
                                                      "host": host}})
        with client_for(raw, {"LF_PUBLIC": "pk-lf-test", "LF_SECRET": "sk-lf-test"}) as client:
            assert client.app.state.runtime.langfuse is not None
            responses = [client.post("/invoke", json={"text": str(i)}) for i in range(3)]
            responses.append(client.post("/invoke/stream", json={"text": "streamed"}))
        # Leaving the client ran the lifespan shutdown, which flushes the exporter.
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert "event: end" in responses[-1].text
    assert any("otel" in path or "ingestion" in path for path in received), received


def test_langfuse_stays_off_without_keys():
    raw = base_config(observability={"langfuse": {"project": "p"}})
    with client_for(raw) as client:
        assert client.app.state.runtime.langfuse is None
        assert client.post("/invoke", json={"text": "a"}).status_code == 200
