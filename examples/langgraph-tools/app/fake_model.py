"""A deterministic, offline chat model that *calls tools* like a real function-calling model.

It reads the latest user question and the tool results so far, and either emits the next tool
call (``AIMessage.tool_calls``) or the final answer. Used when ``DOCKRION_FAKE_MODEL=1`` so the
example runs in CI and in the demo without a provider account or network access.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

PRODUCT = re.compile(r"\b(widget|gadget|gizmo)s?\b", re.IGNORECASE)
QUANTITY = re.compile(r"\b(\d+)\s+(?:x\s+)?(?:widget|gadget|gizmo)s?\b", re.IGNORECASE)
EXPRESSION = re.compile(r"[-+*/%^().\d\s]+")


def find_expression(text: str) -> str | None:
    """The longest run of digits/operators that contains at least one digit and one operator."""
    candidates = [m.group().strip() for m in EXPRESSION.finditer(text)]
    candidates = [c for c in candidates if re.search(r"\d", c) and re.search(r"[\d)]\s*(?:\*\*|//|[-+*/%^])\s*[-\d(]", c)]
    return max(candidates, key=len) if candidates else None


class ScriptedToolModel(BaseChatModel):
    """Plans calculator / price_lookup calls from the question; answers from the tool results."""

    @property
    def _llm_type(self) -> str:
        return "dockrion-scripted-tool-model"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> "ScriptedToolModel":
        # The script only knows `calculator` and `price_lookup`; binding is a no-op.
        return self

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        question = next((m.content for m in reversed(messages) if isinstance(m, HumanMessage)), "")
        question = question if isinstance(question, str) else str(question)
        results = {m.name: str(m.content) for m in messages if isinstance(m, ToolMessage)}
        calls = sum(1 for m in messages if isinstance(m, ToolMessage))

        def call(name: str, args: dict[str, Any]) -> AIMessage:
            return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call_{calls + 1}", "type": "tool_call"}])

        product_match = PRODUCT.search(question)
        if product_match:
            product = product_match.group(1).lower()
            qty_match = QUANTITY.search(question)
            if "price_lookup" not in results:
                return call("price_lookup", {"product": product})
            price = results["price_lookup"]
            if price.startswith("unknown"):
                return AIMessage(content=f"Sorry, I have no price for {product}.")
            if qty_match:
                qty = int(qty_match.group(1))
                if "calculator" not in results:
                    return call("calculator", {"expression": f"{qty} * {price}"})
                return AIMessage(content=f"{qty} x {product} at ${price} each = ${float(results['calculator']):.2f}")
            return AIMessage(content=f"A {product} costs ${price}.")

        expression = find_expression(question)
        if expression:
            if "calculator" not in results:
                return call("calculator", {"expression": expression})
            return AIMessage(content=f"{expression} = {results['calculator']}")
        return AIMessage(content="I can do arithmetic and look up the prices of widgets, gadgets and gizmos.")
