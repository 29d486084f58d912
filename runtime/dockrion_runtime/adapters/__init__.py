"""Load the user's agent and wrap it in the adapter for its framework."""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

import anyio.to_thread

from ..config import AgentConfig
from ..errors import DockrionRuntimeError
from .base import Adapter, InvocationContext

__all__ = ["Adapter", "AgentLoadError", "InvocationContext", "import_object", "load_adapter"]


class AgentLoadError(DockrionRuntimeError):
    """The agent could not be imported or built; the message is one line."""


def import_object(reference: str, *, allow_dotted: bool = False) -> Any:
    """Import `module.path:attr` (or `module.path.attr` when allow_dotted)."""
    if ":" in reference:
        module_name, _, attr = reference.partition(":")
    elif allow_dotted and "." in reference:
        module_name, _, attr = reference.rpartition(".")
    else:
        raise AgentLoadError(f"{reference!r} is not of the form module.path:name")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise AgentLoadError(f"cannot import module {module_name!r} (from {reference!r})") from exc
        raise AgentLoadError(f"importing {module_name!r} failed: missing dependency {exc.name!r}") from exc
    try:
        return getattr(module, attr)
    except AttributeError:
        raise AgentLoadError(f"module {module_name!r} has no attribute {attr!r}") from None


def add_app_dir(app_dir: str | Path) -> None:
    path = str(Path(app_dir).resolve())
    if path not in sys.path:
        sys.path.insert(0, path)


def _resolve_target(agent: AgentConfig) -> Any:
    if agent.handler:
        return import_object(agent.handler)
    factory = import_object(str(agent.entrypoint))
    if not callable(factory):
        raise AgentLoadError(f"{agent.entrypoint!r} is not callable (it should be a factory)")
    return factory()


async def load_adapter(agent: AgentConfig, input_class: type | None = None) -> Adapter:
    """Import and build the agent. User code runs in a worker thread so that a slow import or
    graph build does not stall /health and /ready on the event loop."""
    framework = agent.effective_framework
    target = await anyio.to_thread.run_sync(_resolve_target, agent)
    if inspect.isawaitable(target):
        target = await target
    try:
        if framework == "langgraph":
            from .langgraph import LangGraphAdapter

            return LangGraphAdapter(target)
        if framework == "langchain":
            from .langchain import LangChainAdapter

            return LangChainAdapter(target)
        from .custom import CustomAdapter

        return CustomAdapter(target, input_class)
    except TypeError as exc:
        raise AgentLoadError(str(exc)) from None
    except ImportError as exc:
        raise AgentLoadError(
            f"framework {framework!r} needs its package: pip install 'dockrion-runtime[{framework}]' ({exc.name})"
        ) from None
