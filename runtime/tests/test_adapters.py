"""Each framework adapter against the real packages: langgraph, langchain, custom."""

from __future__ import annotations

import pytest
from test_tool_gating import sse_events

from conftest import base_config, build_app, client_for, error_of

CHAT = {"messages": [{"role": "user", "content": "hi"}]}


def agent(**fields):
    return base_config(agent={"handler": None, **fields})


def test_langgraph_compiled_graph_invoke_and_stream():
    raw = agent(entrypoint="agents.graphs:build_chat_graph", framework="langgraph")
    with client_for(raw) as client:
        invoked = client.post("/invoke", json=CHAT).json()["output"]
        streamed = sse_events(client.post("/invoke/stream", json=CHAT).text)
    assert invoked["messages"][-1] == {"type": "ai", "content": "hello from the graph",
                                       "id": invoked["messages"][-1]["id"]}
    tokens = [data["text"] for kind, data in streamed if kind == "token"]
    assert "".join(tokens) == "hello from the graph"
    assert tokens == ["hello", " ", "from", " ", "the", " ", "graph"]  # real per-token streaming
    assert all(data["node"] == "respond" for kind, data in streamed if kind == "token")
    end = streamed[-1]
    assert end[0] == "end" and end[1]["output"]["messages"][-1]["content"] == "hello from the graph"


def test_langgraph_state_graph_builder_is_compiled_for_you():
    raw = agent(entrypoint="agents.graphs:build_chat_builder", framework="langgraph")
    with client_for(raw) as client:
        output = client.post("/invoke", json=CHAT).json()["output"]
    assert output["messages"][-1]["content"] == "built by the runtime"


def test_langgraph_output_schema_limits_the_answer_like_graph_invoke_does():
    raw = agent(entrypoint="agents.graphs:build_output_schema_graph", framework="langgraph")
    question = {"question": "tides"}
    with client_for(raw) as client:
        invoked = client.post("/invoke", json=question).json()["output"]
        streamed = sse_events(client.post("/invoke/stream", json=question).text)
    assert invoked == {"answer": "answered: tides"}
    end = streamed[-1]
    assert end[0] == "end" and end[1]["output"] == {"answer": "answered: tides"}


def test_langchain_runnable_invoke_and_stream():
    raw = agent(entrypoint="agents.chains:build_summary_chain", framework="langchain")
    with client_for(raw) as client:
        invoked = client.post("/invoke", json={"text": "long text"}).json()["output"]
    assert invoked == {"summary": "a short summary"}
    raw = agent(entrypoint="agents.chains:build_message_chain", framework="langchain")
    with client_for(raw) as client:
        events = sse_events(client.post("/invoke/stream", json={"text": "x"}).text)
    tokens = [data["text"] for kind, data in events if kind == "token"]
    assert tokens == ["streamed", " ", "reply", " ", "here"]
    assert events[-1][1]["output"]["content"] == "streamed reply here"


@pytest.mark.parametrize("handler", ["agents.plain:echo", "agents.plain:async_echo", "agents.plain:blocking_echo",
                                     "agents.plain:responder"])
def test_custom_sync_and_async_callables(handler):
    with client_for(base_config(agent={"handler": handler})) as client:
        output = client.post("/invoke", json={"text": "yo"}).json()["output"]
    assert output["echo"] == "yo"


def test_sync_agents_run_off_the_event_loop():
    with client_for(base_config(agent={"handler": "agents.plain:blocking_echo"})) as client:
        assert client.post("/invoke", json={"text": "t"}).json()["output"]["thread"] is True


def test_custom_factory_with_framework_custom():
    with client_for(agent(entrypoint="agents.plain:build_echo", framework="custom")) as client:
        assert client.post("/invoke", json={"text": "f"}).json()["output"] == {"echo": "f"}


@pytest.mark.parametrize("handler", ["agents.plain:stream_words", "agents.plain:sync_stream_words"])
def test_custom_generators_stream_and_invoke_joins_tokens(handler):
    with client_for(base_config(agent={"handler": handler})) as client:
        events = sse_events(client.post("/invoke/stream", json={"text": "one two three"}).text)
        invoked = client.post("/invoke", json={"text": "one two"}).json()["output"]
    assert [d["text"] for k, d in events if k == "token"] == ["one ", "two ", "three "]
    assert events[-1][1]["output"] == "one two three "
    assert invoked == "one two "


def test_non_streaming_custom_agent_on_the_stream_endpoint_sends_start_and_end():
    with client_for(base_config()) as client:
        events = sse_events(client.post("/invoke/stream", json={"text": "x"}).text)
    assert [kind for kind, _ in events] == ["start", "end"]
    assert events[1][1]["output"] == {"echo": "x"}
    assert events[0][1]["request_id"] == events[1][1]["metadata"]["request_id"]


@pytest.mark.parametrize(("agent_fields", "message"), [
    ({"handler": "agents.nowhere:fn"}, "cannot import module 'agents.nowhere'"),
    ({"handler": "agents.plain:missing"}, "has no attribute 'missing'"),
    ({"entrypoint": "agents.plain:build_echo", "framework": "langgraph"}, "compiled graph or a StateGraph"),
    ({"entrypoint": "agents.plain:build_echo", "framework": "langchain"}, "must return a Runnable"),
    ({"entrypoint": "agents.plain:build_broken", "framework": "custom"}, "ValueError: factory exploded"),
])
def test_load_failures_are_one_clear_line(agent_fields, message):
    app = build_app(agent(**agent_fields))
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as client:
        ready = client.get("/ready")
    assert ready.status_code == 503
    assert message in app.state.runtime.load_error
    assert "\n" not in app.state.runtime.load_error
    assert message not in ready.text  # details stay in the server log


def test_agent_exception_is_500_without_details():
    with client_for(base_config(agent={"handler": "agents.plain:fails"})) as client:
        response = client.post("/invoke", json={"text": "x"})
        streamed = sse_events(client.post("/invoke/stream", json={"text": "x"}).text)
    assert response.status_code == 500
    assert error_of(response)["code"] == "AgentError"
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert streamed[-1][1]["error"]["code"] == "AgentError"
    assert "hunter2" not in str(streamed)


def test_nan_in_output_still_gives_valid_json():
    with client_for(base_config(agent={"handler": "agents.plain:nan_output"}, io_schema={"strict": False})) as client:
        response = client.post("/invoke", json={})
    assert response.json()["output"] == {"value": None}
