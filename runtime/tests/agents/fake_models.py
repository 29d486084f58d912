"""Deterministic chat models built on langchain-core's real BaseChatModel (no network, no keys)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult


class ScriptedToolCallingModel(BaseChatModel):
    """Asks for `tool_call` until a tool result is in the conversation, then answers `final`.
    Stateless across requests, and never streams, so the tool call reaches the graph as given."""

    tool_call: dict
    final: str = "done"

    @property
    def _llm_type(self) -> str:
        return "scripted-tool-calling"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedToolCallingModel:
        return self

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        if any(m.type == "tool" for m in messages):
            message = AIMessage(content=self.final)
        else:
            message = AIMessage(content="", tool_calls=[self.tool_call])
        return ChatResult(generations=[ChatGeneration(message=message)])


class GatedTokenModel(BaseChatModel):
    """Streams `tokens`; after the first one it waits until `gate` is set. `produced` records
    every token at the moment it is produced, so a test can prove the first token reached the
    client while the last one did not exist yet."""

    tokens: list[str]
    gate: Any  # threading.Event
    produced: Any  # the caller's list, shared by reference (a list[str] field would be copied)

    @property
    def _llm_type(self) -> str:
        return "gated-tokens"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        self.gate.wait(10)
        self.produced.extend(self.tokens)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="".join(self.tokens)))])

    async def _astream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                       run_manager: AsyncCallbackManagerForLLMRun | None = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        for index, token in enumerate(self.tokens):
            if index == 1:
                await asyncio.to_thread(self.gate.wait, 10)
            self.produced.append(token)
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
            if run_manager is not None:
                await run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk


def new_gate() -> threading.Event:
    return threading.Event()


class UsageReportingModel(BaseChatModel):
    """Answers `reply` and reports token usage the way provider integrations do: `usage_metadata`
    on the AIMessage, and, when streaming, on the last chunk only (as OpenAI's stream_usage does).
    (GenericFakeChatModel sets no usage_metadata.)"""

    reply: str
    input_tokens: int
    output_tokens: int

    @property
    def _llm_type(self) -> str:
        return "usage-reporting"

    def _usage(self) -> dict:
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
                "total_tokens": self.input_tokens + self.output_tokens}

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        message = AIMessage(content=self.reply, usage_metadata=self._usage())
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _astream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                       run_manager: AsyncCallbackManagerForLLMRun | None = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        words = self.reply.split(" ")
        for index, word in enumerate(words):
            last = index == len(words) - 1
            text = word if last else word + " "
            chunk = ChatGenerationChunk(message=AIMessageChunk(
                content=text, usage_metadata=self._usage() if last else None))
            if run_manager is not None:
                await run_manager.on_llm_new_token(text, chunk=chunk)
            yield chunk
