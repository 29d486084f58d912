"""Per-request identity: request id and W3C trace context, carried in contextvars for logs."""

from __future__ import annotations

import random
import re
from contextvars import ContextVar
from dataclasses import dataclass

request_id_var: ContextVar[str | None] = ContextVar("dockrion_request_id", default=None)
trace_id_var: ContextVar[str | None] = ContextVar("dockrion_trace_id", default=None)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


@dataclass(frozen=True, slots=True)
class TraceContext:
    trace_id: str
    span_id: str
    flags: str

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"


def request_id_from(header_value: str | None) -> str:
    """Honour a caller's X-Request-ID when it is a sane token; otherwise mint one."""
    if header_value and _REQUEST_ID.match(header_value):
        return header_value
    return _random_hex(128)


def trace_context_from(traceparent: str | None) -> TraceContext:
    """Continue the caller's trace (same trace id, new span for this server) or start one."""
    span_id = _random_hex(64)
    if traceparent:
        match = _TRACEPARENT.match(traceparent.strip().lower())
        if match:
            version, trace_id, parent_span, flags = match.groups()
            if version != "ff" and trace_id != "0" * 32 and parent_span != "0" * 16:
                return TraceContext(trace_id, span_id, flags)
    return TraceContext(_random_hex(128), span_id, "01")


def _random_hex(bits: int) -> str:
    # Identifiers, not secrets: the W3C spec asks for randomness, not unpredictability, and the
    # Mersenne Twister avoids a getrandom() system call per id on the request path.
    value = 0
    while value == 0:  # all-zero trace and span ids are invalid
        value = random.getrandbits(bits)
    return f"{value:0{bits // 4}x}"
