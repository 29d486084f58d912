"""Strict JSON in, always-valid JSON out."""

from __future__ import annotations

import json
import math
from typing import Any

from .errors import InvalidJson

MAX_JSON_DEPTH = 64


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    if not raw.strip():
        raise InvalidJson("the request body is empty; send a JSON object")
    try:
        # JSON on the wire is UTF-8 (RFC 8259 §8.1); json.loads(bytes) would also guess UTF-16/32.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidJson("the request body is not valid UTF-8") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise InvalidJson(f"JSON nesting is deeper than {max_depth} levels") from None
    except ValueError as exc:
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
    """Serialize for a response body. Never fails on lone surrogates or NaN."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str).encode()
    except UnicodeEncodeError:
        # A lone surrogate (legal in a JSON string, not in UTF-8): \u-escaping keeps it valid.
        return json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False, default=str).encode()
    except ValueError:
        return dumps(_finite(value))


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
