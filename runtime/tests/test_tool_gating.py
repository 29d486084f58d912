"""Tool gating through a real LangGraph tool-calling graph (ToolNode) and LangChain Runnables."""

from __future__ import annotations

import json

import pytest

from agents import graphs
from conftest import base_config, client_for, error_of

MESSAGES = {"messages": [{"role": "user", "content": "find invoices"}]}


def graph_config(entrypoint: str, tools: dict | None):
    return base_config(agent={"handler": None, "entrypoint": f"agents.graphs:{entrypoint}", "framework": "langgraph"},
                       policies={"tools": tools} if tools is not None else None)


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith(":")]
        kind = next((line[7:] for line in lines if line.startswith("event: ")), None)
        data = next((line[6:] for line in lines if line.startswith("data: ")), None)
        if kind:
            events.append((kind, json.loads(data)))
    return events


@pytest.fixture(autouse=True)
def _reset_tool_runs():
    graphs.TOOL_RUNS.clear()


def test_allowed_tool_runs_and_the_graph_finishes():
    with client_for(graph_config("build_search_agent", {"allowed": ["search"], "deny_by_default": True})) as client:
        response = client.post("/invoke", json=MESSAGES)
        metrics = client.get("/metrics").text
    assert response.status_code == 200, response.text
    messages = response.json()["output"]["messages"]
    assert [m["type"] for m in messages] == ["human", "ai", "tool", "ai"]
    assert messages[1]["tool_calls"] == [{"name": "search", "args": {"query": "invoices"}, "id": "call-1"}]
    assert messages[2]["content"] == "results for invoices"
    assert graphs.TOOL_RUNS == ["search"]
    assert 'action="allow",agent="test-agent",policy="tools"' in metrics


def test_denied_tool_is_403_and_never_executes():
    with client_for(graph_config("build_deleting_agent", {"allowed": ["search"], "deny_by_default": True})) as client:
        response = client.post("/invoke", json=MESSAGES)
        metrics = client.get("/metrics").text
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "ToolDeniedError"
    assert error["details"] == {"tool": "delete_records", "policy": "policies.tools"}
    assert graphs.TOOL_RUNS == []
    assert 'dockrion_policy_events_total{action="deny",agent="test-agent",policy="tools",version="2.0.0"} 1.0' in metrics


def test_deny_by_default_false_lets_unlisted_tools_run():
    with client_for(graph_config("build_deleting_agent", {"allowed": ["search"], "deny_by_default": False})) as client:
        response = client.post("/invoke", json=MESSAGES)
    assert response.status_code == 200
    assert graphs.TOOL_RUNS == ["delete_records"]


@pytest.mark.parametrize("tools", [None, {"deny_by_default": True}, {"allowed": [], "deny_by_default": True},
                                   {"allowed": None}])
def test_tool_gating_fails_closed_deny_by_default_without_an_allow_list_denies_every_tool(tools):
    # Issue 12 #4: with no allow-list, deny_by_default (also the default) used to gate nothing.
    with client_for(graph_config("build_deleting_agent", tools)) as client:
        response = client.post("/invoke", json=MESSAGES)
    assert response.status_code == 403
    assert error_of(response)["code"] == "ToolDeniedError"
    assert graphs.TOOL_RUNS == []


def test_without_an_allow_list_tools_run_only_when_deny_by_default_is_false():
    with client_for(graph_config("build_deleting_agent", {"deny_by_default": False})) as client:
        assert client.post("/invoke", json=MESSAGES).status_code == 200
    assert graphs.TOOL_RUNS == ["delete_records"]


def test_denied_tool_in_a_stream_ends_with_an_error_event():
    with client_for(graph_config("build_deleting_agent", {"allowed": ["search"]})) as client:
        response = client.post("/invoke/stream", json=MESSAGES)
    events = sse_events(response.text)
    assert events[0][0] == "start"
    assert events[-1][0] == "error"
    assert events[-1][1]["error"]["code"] == "ToolDeniedError"
    assert "end" not in [kind for kind, _ in events]
    assert graphs.TOOL_RUNS == []


def test_allowed_tool_call_is_reported_as_a_stream_event():
    with client_for(graph_config("build_search_agent", {"allowed": ["search"]})) as client:
        response = client.post("/invoke/stream", json=MESSAGES)
    events = sse_events(response.text)
    tool_events = [data for kind, data in events if kind == "tool_call"]
    assert tool_events == [{"name": "search", "args": {"query": "invoices"}, "id": "call-1"}]
    assert [data["node"] for kind, data in events if kind == "update"] == ["agent", "tools", "agent"]
    assert events[-1][0] == "end"


def test_langchain_runnable_requesting_a_denied_tool_is_403():
    raw = base_config(agent={"handler": None, "entrypoint": "agents.chains:build_tool_requesting_chain",
                             "framework": "langchain"}, policies={"tools": {"allowed": ["search"]}})
    with client_for(raw) as client:
        response = client.post("/invoke", json={"text": "wipe"})
        streamed = client.post("/invoke/stream", json={"text": "wipe"})
    assert response.status_code == 403 and error_of(response)["code"] == "ToolDeniedError"
    assert sse_events(streamed.text)[-1][1]["error"]["code"] == "ToolDeniedError"


def test_custom_agent_tool_call_events_are_gated():
    raw = base_config(agent={"handler": "agents.plain:emits_tool_call"}, policies={"tools": {"allowed": ["search"]}})
    with client_for(raw) as client:
        allowed = client.post("/invoke", json={"tool": "search"})
        denied = client.post("/invoke", json={"tool": "shell"})
    assert allowed.json()["output"] == "used the tool"
    assert denied.status_code == 403 and error_of(denied)["details"]["tool"] == "shell"


def test_tool_gate_callback_stops_a_tool_run_directly_by_a_runnable():
    """A Runnable that runs a tool without any model tool call is gated via on_tool_start."""
    import asyncio

    from langchain_core.runnables import RunnableLambda

    from dockrion_runtime.adapters.base import InvocationContext
    from dockrion_runtime.adapters.langchain import LangChainAdapter
    from dockrion_runtime.config import ToolPolicyConfig
    from dockrion_runtime.errors import ToolDenied
    from dockrion_runtime.policies.events import PolicyEvents
    from dockrion_runtime.policies.tools import ToolGate
    from dockrion_runtime.telemetry.metrics import Metrics

    chain = RunnableLambda(lambda payload, config: graphs.delete_records.invoke({"table": "t"}, config))
    gate = ToolGate(ToolPolicyConfig(allowed=["search"]), PolicyEvents(Metrics("a", "1")))
    ctx = InvocationContext(request_id="r1", arguments={}, check_tool=gate.check)
    with pytest.raises(ToolDenied):
        asyncio.run(LangChainAdapter(chain).invoke({}, ctx))
    assert graphs.TOOL_RUNS == []
