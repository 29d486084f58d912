"""What every framework adapter provides, and the event vocabulary they share."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

# (kind, data). Kinds sent to SSE clients: "token" {text}, "tool_call" {name, args, id},
# "update" {node}, "chunk" {data}, plus custom kinds from custom generators. "output" carries
# the final output and is consumed by the runtime (it becomes the `end` event).
AgentEvent = tuple[str, Any]


@dataclass
class InvocationContext:
    request_id: str
    arguments: dict[str, Any]
    # Raises ToolDenied for a tool outside policies.tools; called before the tool executes.
    check_tool: Callable[[str], None]
    # Extra LangChain callback handlers (e.g. Langfuse's) for frameworks that take them.
    callbacks: list[Any] = field(default_factory=list)
    # The run's token usage (telemetry.usage.RunUsage) when token counting is on.
    usage: Any = None
    _seen_tool_calls: set[str] = field(default_factory=set)

    def report_tool_call(self, name: str, call_id: str | None = None) -> bool:
        """Gate a tool call once per call id; returns False if it was already reported."""
        key = call_id or f"{name}#{len(self._seen_tool_calls)}"
        if key in self._seen_tool_calls:
            return False
        self._seen_tool_calls.add(key)
        self.check_tool(name)
        return True


class Adapter(Protocol):
    framework: str
    streams: bool

    async def invoke(self, payload: Any, ctx: InvocationContext) -> Any: ...

    def stream(self, payload: Any, ctx: InvocationContext) -> AsyncIterator[AgentEvent]: ...


def to_jsonable(value: Any, _depth: int = 0) -> Any:
    """Turn agent output (LangChain messages, Pydantic models, dataclasses...) into JSON values."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if _depth > 64:
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v, _depth + 1) for v in value]
    message = _message_dict(value)
    if message is not None:
        return to_jsonable(message, _depth + 1)
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        try:
            return to_jsonable(model_dump(mode="json"), _depth + 1)
        except Exception:  # a model that cannot dump itself is shown as text
            return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value), _depth + 1)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _message_dict(value: Any) -> dict[str, Any] | None:
    """LangChain BaseMessage → the stable subset clients need (duck-typed: no import)."""
    msg_type = getattr(value, "type", None)
    if not isinstance(msg_type, str) or not hasattr(value, "content") or not hasattr(value, "additional_kwargs"):
        return None
    result: dict[str, Any] = {"type": msg_type, "content": value.content}
    for attr in ("name", "id", "tool_call_id"):
        attr_value = getattr(value, attr, None)
        if attr_value:
            result[attr] = attr_value
    tool_calls = getattr(value, "tool_calls", None)
    if tool_calls:
        result["tool_calls"] = [
            {"name": c.get("name"), "args": c.get("args"), "id": c.get("id")} for c in tool_calls
        ]
    return result


def text_of(content: Any) -> str:
    """The text in a message's content (a string, or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)
    return ""


def tool_calls_in(value: Any) -> list[dict[str, Any]]:
    """Complete tool calls requested by any AI message inside `value` (a state update, a message...)."""
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
        else:
            calls = getattr(node, "tool_calls", None)
            if calls and getattr(node, "type", None) in ("ai", "AIMessageChunk"):
                found.extend(c for c in calls if isinstance(c, dict) and c.get("name"))
    return found
