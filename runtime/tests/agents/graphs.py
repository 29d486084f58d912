"""LangGraph test agents built with the real langgraph package and fake chat models."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from .fake_models import GatedTokenModel, ScriptedToolCallingModel, UsageReportingModel, new_gate

# Every tool execution is recorded here: tests assert a denied tool never ran.
TOOL_RUNS: list[str] = []


@tool
def search(query: str) -> str:
    """Search the knowledge base."""
    TOOL_RUNS.append("search")
    return f"results for {query}"


@tool
def delete_records(table: str) -> str:
    """Delete every record of a table."""
    TOOL_RUNS.append("delete_records")
    return f"deleted {table}"


def _chat_graph(model) -> StateGraph:
    async def respond(state: MessagesState) -> dict:
        return {"messages": [await model.ainvoke(state["messages"])]}

    builder = StateGraph(MessagesState)
    builder.add_node("respond", respond)
    builder.add_edge(START, "respond")
    builder.add_edge("respond", END)
    return builder


def build_chat_graph():
    """Compiled graph: one node that answers with a fixed, whitespace-tokenized reply."""
    model = GenericFakeChatModel(messages=iter([AIMessage(content="hello from the graph")] * 1000))
    return _chat_graph(model).compile()


def build_chat_builder():
    """Uncompiled StateGraph: the runtime must compile it."""
    model = GenericFakeChatModel(messages=iter([AIMessage(content="built by the runtime")] * 1000))
    return _chat_graph(model)


def _tool_graph(tool_name: str, args: dict):
    model = ScriptedToolCallingModel(tool_call={"name": tool_name, "args": args, "id": "call-1"})
    model = model.bind_tools([search, delete_records])

    def agent(state: MessagesState) -> dict:
        return {"messages": [model.invoke(state["messages"])]}

    builder = StateGraph(MessagesState)
    builder.add_node("agent", agent)
    builder.add_node("tools", ToolNode([search, delete_records]))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition)
    builder.add_edge("tools", "agent")
    return builder.compile()


def build_search_agent():
    return _tool_graph("search", {"query": "invoices"})


def build_deleting_agent():
    return _tool_graph("delete_records", {"table": "customers"})


# The streaming proof: the test releases GATE after it has received the first token.
GATE = new_gate()
PRODUCED: list[str] = []


def build_gated_graph():
    model = GatedTokenModel(tokens=["first ", "second ", "third ", "last"], gate=GATE, produced=PRODUCED)
    return _chat_graph(model).compile()


def build_usage_graph():
    """Two model calls per run (12+5 and 12+5 tokens), so per-run sums are visible."""
    model = UsageReportingModel(reply="counted reply", input_tokens=12, output_tokens=5)

    async def first(state: MessagesState) -> dict:
        return {"messages": [await model.ainvoke(state["messages"])]}

    def second(state: MessagesState) -> dict:  # sync node: its model call ends on a worker thread
        return {"messages": [model.invoke(state["messages"])]}

    builder = StateGraph(MessagesState)
    builder.add_node("first", first)
    builder.add_node("second", second)
    builder.add_edge(START, "first")
    builder.add_edge("first", "second")
    builder.add_edge("second", END)
    return builder.compile()


def build_output_schema_graph():
    """A graph whose `output_schema` hides its working state (messages, scratch)."""
    from typing import TypedDict

    class Question(TypedDict):
        question: str

    class Answer(TypedDict):
        answer: str

    class Working(Question, Answer, total=False):
        scratch: str

    def think(state: Working) -> dict:
        return {"scratch": f"thinking about {state['question']}"}

    def answer(state: Working) -> dict:
        return {"answer": state["scratch"].replace("thinking about", "answered:")}

    builder = StateGraph(Working, input_schema=Question, output_schema=Answer)
    builder.add_node("think", think)
    builder.add_node("answer", answer)
    builder.add_edge(START, "think")
    builder.add_edge("think", "answer")
    builder.add_edge("answer", END)
    return builder.compile()
