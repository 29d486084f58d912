"""Strict JSON in, always-valid JSON out (pydantic-core's Rust parser and serializer: the request
path's JSON work is a visible share of its cost)."""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import PydanticSerializationError, from_json, to_json

from .errors import InvalidJson

MAX_JSON_DEPTH = 64
_UTF8_BOM = b"\xef\xbb\xbf"


def parse_json(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM):]
    if not raw.strip():
        raise InvalidJson("the request body is empty; send a JSON object")
    try:
        # JSON on the wire is UTF-8 (RFC 8259 §8.1); checked first for a precise message.
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidJson("the request body is not valid UTF-8") from None
    try:
        # Rejects NaN/Infinity, trailing commas, raw control characters and lone surrogates.
        value = from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        if "recursion limit" in str(exc):
            raise InvalidJson(f"JSON nesting is deeper than {max_depth} levels") from None
        raise InvalidJson(f"the request body is not valid JSON: {_short(str(exc))}") from None
    # Nesting needs one bracket per level: a body with few brackets needs no walk.
    if raw.count(b"[") + raw.count(b"{") > max_depth and _depth_exceeds(value, max_depth):
        raise InvalidJson(f"JSON nesting is deeper than {max_depth} levels")
    return value


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _depth_exceeds(value: Any, max_depth: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            if depth > max_depth:
                return True
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            if depth > max_depth:
                return True
            stack.extend((child, depth + 1) for child in node)
    return False


def dumps(value: Any) -> bytes:
    """Serialize for a response body or log line. NaN/Infinity become null, unknown objects
    their str(); never fails, not even on lone surrogates (legal in Python str, not in UTF-8)."""
    try:
        return to_json(value, inf_nan_mode="null", fallback=str)
    except (PydanticSerializationError, ValueError):
        # \u-escaping keeps a lone surrogate representable as valid JSON.
        return json.dumps(_finite(value), ensure_ascii=True, separators=(",", ":"), default=str).encode()


def _finite(value: Any) -> Any:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
