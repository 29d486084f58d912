"""Custom-framework test agents: plain callables and generators."""

from __future__ import annotations

import asyncio
import threading
import time

from .models import Question


def echo(payload: dict) -> dict:
    return {"echo": payload.get("text")}


async def async_echo(payload: dict) -> dict:
    return {"echo": payload.get("text")}


def build_echo():
    """A custom factory (entrypoint + framework custom) returning the callable."""
    return async_echo


async def reflect(payload):
    """Returns whatever it was given (after the runtime's input policies ran)."""
    return payload


async def typed(question: Question) -> dict:
    """Declares the io_schema input class on its parameter: receives the model instance."""
    return {"answer": f"{question.text} ({type(question).__name__})", "confidence": 0.5}


async def stream_words(payload: dict):
    for word in str(payload.get("text", "")).split():
        yield word + " "


def sync_stream_words(payload: dict):
    for word in str(payload.get("text", "")).split():
        yield word + " "


async def emits_tool_call(payload: dict):
    """A custom streaming agent that reports its tool use as events."""
    yield {"event": "tool_call", "data": {"name": payload.get("tool", "search"), "id": "t1"}}
    yield "used the tool"


async def structured_output(payload: dict) -> dict:
    return {"title": payload.get("text", ""), "items": ["x" * 30, "y" * 30], "count": 2}


async def wrong_output(payload: dict) -> dict:
    return {"answer": 42}


async def fails(payload: dict) -> dict:
    raise RuntimeError("database password is hunter2")  # must never reach the client


async def nan_output(payload: dict) -> dict:
    return {"value": float("nan")}


# Gated agents: a test releases the gate; no sleeps decide the outcome.
SLOW_GATE = threading.Event()
SLOW_STARTED = threading.Event()


async def waits_for_gate(payload: dict) -> dict:
    SLOW_STARTED.set()
    await asyncio.to_thread(SLOW_GATE.wait, 30)
    return {"released": SLOW_GATE.is_set()}


async def never_finishes(payload: dict) -> dict:
    await asyncio.Event().wait()
    return {}


async def silent_then_word(payload: dict):
    """Streams nothing until the gate opens, so heartbeats must fill the silence."""
    await asyncio.to_thread(SLOW_GATE.wait, 30)
    yield "awake"


LOAD_GATE = threading.Event()


def build_after_gate():
    """A factory that blocks until the test opens LOAD_GATE: /ready must be 503 meanwhile."""
    LOAD_GATE.wait(30)
    return async_echo


def build_broken():
    raise ValueError("factory exploded")


def blocking_echo(payload: dict) -> dict:
    time.sleep(0)  # a sync agent: runs in a worker thread
    return {"echo": payload.get("text"), "thread": threading.current_thread() is not threading.main_thread()}


async def waits_for_file(payload: dict) -> dict:
    """For the shutdown test in another process: marks `started`, finishes once `release` exists."""
    from pathlib import Path

    Path(payload["started"]).write_text("started")
    release = Path(payload["release"])
    while not release.exists():
        await asyncio.sleep(0.01)
    return {"released": True}


class _Responder:
    """A callable object whose async __call__ is the agent."""

    async def __call__(self, payload: dict) -> dict:
        return {"echo": payload.get("text")}


responder = _Responder()
