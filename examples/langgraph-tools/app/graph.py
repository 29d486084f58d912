"""A LangGraph agent with two tools: a safe arithmetic calculator and a unit-price lookup.

Entrypoint (Dockfile ``agent.entrypoint``): ``app.graph:build_graph`` returns a compiled graph.

Input  ``{"question": "what is 12 * (3 + 4)?"}``
Output ``{"answer": "12 * (3 + 4) = 84", "tool_calls": ["calculator"]}``

The chat model is chosen at start-up:

* ``DOCKRION_FAKE_MODEL=1`` → :class:`app.fake_model.ScriptedToolModel`, a deterministic model that
  calls the tools itself (no network, no provider SDK; needs only langgraph + langchain-core);
* otherwise ``langchain_openai.ChatOpenAI`` (``pip install langchain-openai``), configured from
  ``OPENAI_API_KEY`` / ``OPENAI_MODEL`` / ``OPENAI_BASE_URL``.
"""

from __future__ import annotations

import ast
import operator
import os
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode

SYSTEM_PROMPT = (
    "You are a careful assistant. Use the `calculator` tool for any arithmetic and the "
    "`price_lookup` tool for product prices. Answer in one short sentence."
)

# --------------------------------------------------------------------------------------- tools

_BIN_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY_OPS = {ast.UAdd: operator.pos, ast.USub: operator.neg}


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _eval(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BIN_OPS:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 64:
            raise ValueError("exponent too large")
        return _BIN_OPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY_OPS:
        return _UNARY_OPS[type(node.op)](_eval(node.operand))
    raise ValueError("only numbers and + - * / // % ** ( ) are allowed")


def evaluate(expression: str) -> str:
    """Evaluate an arithmetic expression without ``eval`` (AST walk, numbers and operators only)."""
    if len(expression) > 200:
        raise ValueError("expression too long")
    value = _eval(ast.parse(expression.replace("^", "**"), mode="eval"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(round(value, 6) if isinstance(value, float) else value)


@tool
def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression such as '12 * (3 + 4)'."""
    try:
        return evaluate(expression)
    except (ValueError, SyntaxError, ZeroDivisionError) as e:
        return f"error: {e}"


PRICES = {"widget": 2.5, "gadget": 12.0, "gizmo": 7.25}


@tool
def price_lookup(product: str) -> str:
    """Look up the unit price in USD of a product (widget, gadget or gizmo)."""
    price = PRICES.get(product.strip().lower())
    return f"{price:.2f}" if price is not None else f"unknown product: {product}"


TOOLS = [calculator, price_lookup]

# --------------------------------------------------------------------------------------- model


def make_model() -> Any:
    """The chat model, bound to the tools. Fake when ``DOCKRION_FAKE_MODEL`` is set to 1/true."""
    if os.environ.get("DOCKRION_FAKE_MODEL", "").lower() in {"1", "true", "yes"}:
        from app.fake_model import ScriptedToolModel

        return ScriptedToolModel().bind_tools(TOOLS)
    try:
        from langchain_openai import ChatOpenAI  # optional: only the real-provider path needs it
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "langchain-openai is not installed: add it to requirements.txt for the real model, "
            "or set DOCKRION_FAKE_MODEL=1 to use the offline fake model"
        ) from e
    kwargs: dict[str, Any] = {"model": os.environ.get("OPENAI_MODEL", "gpt-4o-mini"), "temperature": 0}
    if os.environ.get("OPENAI_BASE_URL"):
        kwargs["base_url"] = os.environ["OPENAI_BASE_URL"]
    return ChatOpenAI(**kwargs).bind_tools(TOOLS)


# --------------------------------------------------------------------------------------- graph


class InputState(TypedDict):
    question: str


class OutputState(TypedDict):
    answer: str
    tool_calls: list[str]


class State(InputState, OutputState, total=False):
    messages: Annotated[list[AnyMessage], add_messages]


def build_graph():
    """Entrypoint factory: a compiled graph ``{question} -> {answer, tool_calls}``."""
    model = make_model()

    def start(state: State) -> dict:
        return {
            "messages": [SystemMessage(SYSTEM_PROMPT), HumanMessage(state["question"])],
            "tool_calls": [],
        }

    def agent(state: State) -> dict:
        reply = model.invoke(state["messages"])
        called = [c["name"] for c in getattr(reply, "tool_calls", None) or []]
        return {"messages": [reply], "tool_calls": state.get("tool_calls", []) + called}

    def route(state: State) -> str:
        last = state["messages"][-1]
        return "tools" if isinstance(last, AIMessage) and last.tool_calls else "finish"

    def finish(state: State) -> dict:
        last = state["messages"][-1]
        text = last.content if isinstance(last.content, str) else str(last.content)
        return {"answer": text}

    builder = StateGraph(State, input_schema=InputState, output_schema=OutputState)
    builder.add_node("start", start)
    builder.add_node("agent", agent)
    builder.add_node("tools", ToolNode(TOOLS))
    builder.add_node("finish", finish)
    builder.add_edge(START, "start")
    builder.add_edge("start", "agent")
    builder.add_conditional_edges("agent", route, {"tools": "tools", "finish": "finish"})
    builder.add_edge("tools", "agent")
    builder.add_edge("finish", END)
    return builder.compile()


if __name__ == "__main__":  # python -m app.graph "what is 6 * 7?"
    import json
    import sys

    question = " ".join(sys.argv[1:]) or "what is 6 * 7?"
    print(json.dumps(build_graph().invoke({"question": question})))
