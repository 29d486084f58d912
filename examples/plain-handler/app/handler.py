"""A plain-Python agent: no framework, no model. It triages a support message.

Dockfile ``agent.handler``:
* ``app.handler:handle``  – a sync callable ``dict -> dict`` (``Dockfile.yaml``);
* ``app.handler:stream``  – an async generator that yields the reply word by word, for
  ``POST /invoke/stream`` (``Dockfile.streaming.yaml``).

Input  ``{"message": "My invoice is wrong and I was charged twice!"}``
Output ``{"category": "billing", "priority": "high", "reply": "...", "ticket_ref": "TCK-1a2b3c4d5e6f"}``

``HELPDESK_API_TOKEN`` (a required secret) keys the ticket reference, so the same message gets
the same reference on every replica; ``HELPDESK_QUEUE`` (optional, default ``general``) names the
queue. Both are read from the environment at call time: nothing secret lives in the code.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
from typing import Any, AsyncIterator

CATEGORIES: dict[str, tuple[str, ...]] = {
    "billing": ("invoice", "charge", "charged", "refund", "payment", "bill"),
    "outage": ("down", "outage", "unavailable", "error 500", "not loading", "timeout"),
    "account": ("password", "login", "log in", "sign in", "2fa", "locked"),
}
URGENT = ("urgent", "asap", "immediately", "twice", "!", "down", "outage")

REPLIES = {
    "billing": "Thanks, our billing team will review your charges within one business day.",
    "outage": "We are sorry for the disruption; the on-call engineer has been paged.",
    "account": "You can reset your access from the sign-in page; we have sent you a link.",
    "general": "Thanks for reaching out; a support agent will get back to you shortly.",
}


def triage(message: str) -> dict[str, Any]:
    text = message.lower()
    category = next((c for c, words in CATEGORIES.items() if any(w in text for w in words)), "general")
    priority = "high" if any(w in text for w in URGENT) else "normal"
    token = os.environ.get("HELPDESK_API_TOKEN", "")
    digest = hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()[:12]
    queue = os.environ.get("HELPDESK_QUEUE") or "general"
    return {
        "category": category,
        "priority": priority,
        "queue": queue if category == "general" else category,
        "reply": REPLIES[category],
        "ticket_ref": f"TCK-{digest}",
    }


def handle(payload: dict[str, Any]) -> dict[str, Any]:
    """Sync handler: ``{"message": str}`` → triage result."""
    return triage(str(payload.get("message", "")))


async def stream(payload: dict[str, Any]) -> AsyncIterator[dict[str, Any] | str]:
    """Async-generator handler. The runtime turns each yielded ``str`` into an SSE ``token``
    event, ``{"event": kind, "data": ...}`` into a ``kind`` event, and ``{"event": "output"}``
    into the final output (the ``end`` event and the ``/invoke`` response)."""
    result = triage(str(payload.get("message", "")))
    yield {"event": "triage", "data": {"category": result["category"], "priority": result["priority"]}}
    for i, word in enumerate(result["reply"].split(" ")):
        yield word if i == 0 else f" {word}"
        await asyncio.sleep(0)
    yield {"event": "output", "data": result}


if __name__ == "__main__":  # python -m app.handler "my invoice is wrong"
    import json
    import sys

    print(json.dumps(handle({"message": " ".join(sys.argv[1:]) or "My invoice is wrong!"})))
