"""/invoke/stream over a real uvicorn on loopback: real incremental delivery, heartbeats, timeouts."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx

from agents import graphs, plain
from conftest import base_config, build_app, client_for, error_of, inflight_after_teardown, live_server

CHAT = {"messages": [{"role": "user", "content": "go"}]}


def iter_sse(response: httpx.Response) -> Iterator[tuple[str, object]]:
    """Yields (event, data) as each block arrives; heartbeats come through as ("heartbeat", None)."""
    kind = data = None
    for line in response.iter_lines():
        if line.startswith(": heartbeat"):
            yield ("heartbeat", None)
        elif line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            data = json.loads(line[6:])
        elif line == "" and kind is not None:
            yield (kind, data)
            kind = data = None


def test_first_token_arrives_before_the_last_is_produced():
    graphs.GATE.clear()
    graphs.PRODUCED.clear()
    raw = base_config(agent={"handler": None, "entrypoint": "agents.graphs:build_gated_graph", "framework": "langgraph"})
    try:
        with live_server(build_app(raw)) as url, httpx.Client(timeout=20) as http:
            with http.stream("POST", f"{url}/invoke/stream", json=CHAT) as response:
                assert response.status_code == 200
                assert response.headers["content-type"].startswith("text/event-stream")
                events = iter_sse(response)
                assert next(events)[0] == "start"
                kind, first = next(events)
                assert kind == "token" and first["text"] == "first "
                # The client holds the first token while the model has not produced the rest.
                assert graphs.PRODUCED == ["first "]
                graphs.GATE.set()
                rest = list(events)
        tokens = [data["text"] for kind, data in rest if kind == "token"]
        assert tokens == ["second ", "third ", "last"]
        assert rest[-1][0] == "end"
        assert rest[-1][1]["output"]["messages"][-1]["content"] == "first second third last"
    finally:
        graphs.GATE.set()


def test_heartbeats_fill_silence():
    plain.SLOW_GATE.clear()
    raw = base_config(agent={"handler": "agents.plain:silent_then_word"},
                      streaming={"events": {"heartbeat_interval": 0.02}})
    try:
        with live_server(build_app(raw)) as url, httpx.Client(timeout=20) as http:
            with http.stream("POST", f"{url}/invoke/stream", json={}) as response:
                events = iter_sse(response)
                assert next(events)[0] == "start"
                assert next(events) == ("heartbeat", None)
                plain.SLOW_GATE.set()
                rest = [event for event in events if event[0] != "heartbeat"]
        assert rest[0] == ("token", {"text": "awake"})
        assert rest[-1][0] == "end" and rest[-1][1]["output"] == "awake"
    finally:
        plain.SLOW_GATE.set()


def test_streamed_tokens_are_redacted_at_word_boundaries_and_capped():
    raw = base_config(agent={"handler": "agents.plain:stream_words"},
                      policies={"safety": {"redact_patterns": [r"\b\d{4}-\d{4}\b"], "max_output_chars": 22}})
    with live_server(build_app(raw)) as url, httpx.Client(timeout=20) as http:
        with http.stream("POST", f"{url}/invoke/stream", json={"text": "card 1234-5678 is mine, really"}) as response:
            events = list(iter_sse(response))
    text = "".join(data["text"] for kind, data in events if kind == "token")
    assert text == "card [REDACTED] is min"
    end = events[-1][1]
    assert end["output"] == "card [REDACTED] is min"
    assert end["metadata"]["truncated"] is True


def test_timeouts_are_504_for_invoke_and_an_error_event_for_streams():
    raw = base_config(agent={"handler": "agents.plain:never_finishes"}, arguments={"timeout_sec": 0.05})
    with client_for(raw) as client:
        response = client.post("/invoke", json={})
    assert response.status_code == 504
    assert error_of(response)["code"] == "Timeout"
    # For streams, streaming.events.max_run_duration applies too (the shorter limit wins).
    raw = base_config(agent={"handler": "agents.plain:silent_then_word"}, arguments={"timeout_sec": 60},
                      streaming={"events": {"max_run_duration": 0.05}})
    plain.SLOW_GATE.clear()
    try:
        with live_server(build_app(raw)) as url, httpx.Client(timeout=20) as http:
            with http.stream("POST", f"{url}/invoke/stream", json={}) as response:
                events = [event for event in iter_sse(response) if event[0] != "heartbeat"]
            # The abandoned agent thread must be released before the server stops.
            plain.SLOW_GATE.set()
    finally:
        plain.SLOW_GATE.set()
    assert [kind for kind, _ in events] == ["start", "error"]
    assert events[-1][1]["error"]["code"] == "Timeout"


def test_client_disconnect_cancels_the_agent_run():
    graphs.GATE.clear()
    graphs.PRODUCED.clear()
    raw = base_config(agent={"handler": None, "entrypoint": "agents.graphs:build_gated_graph", "framework": "langgraph"})
    try:
        with live_server(build_app(raw)) as url:
            with httpx.Client(timeout=20) as http, http.stream("POST", f"{url}/invoke/stream", json=CHAT) as response:
                events = iter_sse(response)
                next(events)
                next(events)  # the first token; now hang up mid-stream
            with httpx.Client(timeout=20) as http:
                # Counting the /metrics request itself, 1.0 means the stream has been torn down.
                assert inflight_after_teardown(http, url) == 1.0
                # Only now let the model continue: a cancelled run must not produce more tokens.
                graphs.GATE.set()
                assert http.get(f"{url}/health").status_code == 200
        assert graphs.PRODUCED == ["first "]
    finally:
        graphs.GATE.set()
