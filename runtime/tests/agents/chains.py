"""LangChain Runnable test agents (real langchain-core, fake chat models)."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from .fake_models import ScriptedToolCallingModel, UsageReportingModel


def build_summary_chain():
    prompt = ChatPromptTemplate.from_messages([("human", "Summarize: {text}")])
    model = GenericFakeChatModel(messages=iter([AIMessage(content="a short summary")] * 1000))
    return prompt | model | StrOutputParser() | RunnableLambda(lambda text: {"summary": text})


def build_message_chain():
    prompt = ChatPromptTemplate.from_messages([("human", "{text}")])
    model = GenericFakeChatModel(messages=iter([AIMessage(content="streamed reply here")] * 1000))
    return prompt | model


def build_tool_requesting_chain():
    prompt = ChatPromptTemplate.from_messages([("human", "{text}")])
    model = ScriptedToolCallingModel(tool_call={"name": "delete_records", "args": {"table": "x"}, "id": "c9"})
    return prompt | model


def build_usage_chain():
    prompt = ChatPromptTemplate.from_messages([("human", "{text}")])
    return prompt | UsageReportingModel(reply="chain reply here", input_tokens=7, output_tokens=3)
