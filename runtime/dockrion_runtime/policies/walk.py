"""Rewrite the strings inside a JSON value without changing its shape (so it stays valid JSON)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def map_strings(value: Any, rewrite: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, dict):
        return {key: map_strings(item, rewrite) for key, item in value.items()}
    if isinstance(value, list):
        return [map_strings(item, rewrite) for item in value]
    return value


def iter_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from iter_strings(item)


def truncate_strings(value: Any, budget: int) -> tuple[Any, bool]:
    """Cut string leaves, in document order, so their total length is at most `budget`."""
    remaining = budget
    truncated = False

    def cut(node: Any) -> Any:
        nonlocal remaining, truncated
        if isinstance(node, str):
            if len(node) <= remaining:
                remaining -= len(node)
                return node
            truncated = True
            kept = node[: max(remaining, 0)]
            remaining = 0
            return kept
        if isinstance(node, dict):
            return {key: cut(item) for key, item in node.items()}
        if isinstance(node, list):
            return [cut(item) for item in node]
        return node

    return cut(value), truncated
