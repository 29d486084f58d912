"""Token usage (LangChain usage_metadata) → metadata.usage, dockrion_tokens_total, dockrion_cost_usd_total."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import base_config, client_for

CHAT = {"messages": [{"role": "user", "content": "count me"}]}
LABELS = 'agent="test-agent",version="2.0.0"'


def graph_config(**overrides: Any) -> dict[str, Any]:
    return base_config(agent={"handler": None, "entrypoint": "agents.graphs:build_usage_graph",
                              "framework": "langgraph"}, **overrides)


def chain_config(**overrides: Any) -> dict[str, Any]:
    return base_config(agent={"handler": None, "entrypoint": "agents.chains:build_usage_chain",
                              "framework": "langchain"}, **overrides)


PRICES = {"provider": "openai", "name": "gpt-test", "extra": {"input_cost_per_1k": 0.5, "output_cost_per_1k": 1.5}}


def sample(metrics: str, name: str, **labels: str) -> float | None:
    """The value of one sample, or None when the series does not exist."""
    wanted = {"agent": "test-agent", "version": "2.0.0", **labels}
    for line in metrics.splitlines():
        if not line.startswith(name + "{"):
            continue
        label_text, value = line[len(name) + 1:].rsplit("} ", 1)
        found = dict(part.split("=", 1) for part in label_text.split(","))
        if {k: v.strip('"') for k, v in found.items()} == wanted:
            return float(value)
    return None


def sse_end(text: str) -> dict[str, Any]:
    blocks = [b for b in text.split("\n\n") if b.startswith("event: end")]
    assert len(blocks) == 1, text
    return json.loads(blocks[0].split("data: ", 1)[1])


def test_langgraph_usage_is_in_metadata_and_counted_per_kind_with_cost():
    with client_for(graph_config(model=PRICES)) as client:
        first = client.post("/invoke", json=CHAT)
        second = client.post("/invoke", json=CHAT)
        streamed = client.post("/invoke/stream", json=CHAT)
        metrics = client.get("/metrics").text
    assert first.status_code == 200, first.text
    # Two model calls per run, one in an async node and one in a sync (worker-thread) node.
    usage = first.json()["metadata"]["usage"]
    cost = (24 * 0.5 + 10 * 1.5) / 1000
    assert usage == {"input_tokens": 24, "output_tokens": 10, "total_tokens": 34, "cost_usd": pytest.approx(cost)}
    assert second.json()["metadata"]["usage"] == usage
    # Streaming the same graph (models stream for the `messages` mode) counts each call once.
    assert sse_end(streamed.text)["metadata"]["usage"] == usage
    assert sample(metrics, "dockrion_tokens_total", kind="input") == 72
    assert sample(metrics, "dockrion_tokens_total", kind="output") == 30
    assert sample(metrics, "dockrion_cost_usd_total") == pytest.approx(3 * cost)


def test_streamed_model_usage_reaches_the_end_event_and_the_counters():
    with client_for(chain_config()) as client:
        streamed = client.post("/invoke/stream", json={"text": "hi"})
        invoked = client.post("/invoke", json={"text": "hi"})
        metrics = client.get("/metrics").text
    end = sse_end(streamed.text)
    assert end["output"]["content"] == "chain reply here"
    expected = {"input_tokens": 7, "output_tokens": 3, "total_tokens": 10}
    assert end["metadata"]["usage"] == expected  # no prices configured: no cost
    assert invoked.json()["metadata"]["usage"] == expected
    assert sample(metrics, "dockrion_tokens_total", kind="input") == 14
    assert sample(metrics, "dockrion_tokens_total", kind="output") == 6
    assert sample(metrics, "dockrion_cost_usd_total") is None


def test_tokens_flag_off_counts_nothing():
    raw = graph_config(model=PRICES, observability={"metrics": {"tokens": False}})
    with client_for(raw) as client:
        response = client.post("/invoke", json=CHAT)
        metrics = client.get("/metrics").text
    assert response.status_code == 200
    assert "usage" not in response.json()["metadata"]
    assert sample(metrics, "dockrion_tokens_total", kind="input") is None
    assert sample(metrics, "dockrion_cost_usd_total") is None


def test_cost_flag_off_counts_tokens_but_no_cost():
    raw = graph_config(model=PRICES, observability={"metrics": {"tokens": True, "cost": False}})
    with client_for(raw) as client:
        usage = client.post("/invoke", json=CHAT).json()["metadata"]["usage"]
        metrics = client.get("/metrics").text
    assert usage == {"input_tokens": 24, "output_tokens": 10, "total_tokens": 34}
    assert sample(metrics, "dockrion_tokens_total", kind="output") == 10
    assert sample(metrics, "dockrion_cost_usd_total") is None


def test_models_without_usage_add_no_usage_metadata():
    raw = base_config(agent={"handler": None, "entrypoint": "agents.graphs:build_chat_graph", "framework": "langgraph"},
                      model=PRICES)
    with client_for(raw) as client:
        response = client.post("/invoke", json=CHAT)
        metrics = client.get("/metrics").text
    assert response.status_code == 200
    assert "usage" not in response.json()["metadata"]
    assert sample(metrics, "dockrion_tokens_total", kind="input") == 0
