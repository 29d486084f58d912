"""A LangChain Runnable: prompt | chat model | output parser | shape.

Entrypoint (Dockfile ``agent.entrypoint``): ``app.chain:build_chain`` returns the Runnable.

Input  ``{"text": "...", "style": "bullet"}``  (style: "sentence" | "bullet", default "sentence")
Output ``{"summary": "...", "words": 12}``

``DOCKRION_FAKE_MODEL=1`` selects ``FakeSummaryModel`` (deterministic, offline, langchain-core
only); otherwise ``langchain_openai.ChatOpenAI`` (``pip install langchain-openai``).
"""

from __future__ import annotations

import os
import re
from typing import Any, Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

PROMPT = ChatPromptTemplate.from_messages(
    [
        ("system", "You summarise text. Reply with one {style} of at most 25 words, nothing else."),
        ("human", "Summarise:\n<text>\n{text}\n</text>"),
    ]
)

_TEXT = re.compile(r"<text>\n(.*)\n</text>", re.DOTALL)
_STYLE = re.compile(r"one (sentence|bullet) of")


class FakeSummaryModel(BaseChatModel):
    """Deterministic stand-in for a chat model: "summarises" by keeping the first sentence,
    trimmed to 25 words, in the requested style. Streams word by word."""

    @property
    def _llm_type(self) -> str:
        return "dockrion-fake-summary-model"

    def _reply(self, messages: list[BaseMessage]) -> str:
        prompt = "\n".join(str(m.content) for m in messages)
        text_match, style_match = _TEXT.search(prompt), _STYLE.search(prompt)
        text = " ".join((text_match.group(1) if text_match else prompt).split())
        first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        words = first.split()[:25]
        summary = " ".join(words) or "(empty)"
        return f"- {summary}" if style_match and style_match.group(1) == "bullet" else summary

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for i, word in enumerate(self._reply(messages).split(" ")):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=word if i == 0 else f" {word}"))
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk


def make_model() -> BaseChatModel:
    if os.environ.get("DOCKRION_FAKE_MODEL", "").lower() in {"1", "true", "yes"}:
        return FakeSummaryModel()
    try:
        from langchain_openai import ChatOpenAI  # optional: only the real-provider path needs it
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "langchain-openai is not installed: add it to requirements.txt for the real model, "
            "or set DOCKRION_FAKE_MODEL=1 to use the offline fake model"
        ) from e
    return ChatOpenAI(model=os.environ.get("OPENAI_MODEL", "gpt-4o-mini"), temperature=0)


def _shape(summary: str) -> dict[str, Any]:
    summary = summary.strip()
    return {"summary": summary, "words": len(summary.lstrip("- ").split())}


def build_chain() -> Runnable:
    """Entrypoint factory: ``{text, style?} -> {summary, words}``."""
    with_defaults = RunnablePassthrough.assign(style=lambda d: d.get("style") or "sentence")
    return with_defaults | PROMPT | make_model() | StrOutputParser() | RunnableLambda(_shape)


if __name__ == "__main__":  # python -m app.chain "Some long text. More text."
    import json
    import sys

    print(json.dumps(build_chain().invoke({"text": " ".join(sys.argv[1:]) or "Dockrion ships agents. It is fast."})))
