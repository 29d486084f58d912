"""Where safety screening runs, and for how long.

Screening a small value (at most INLINE_TEXT_CHARS of text) costs microseconds and runs inline;
anything bigger runs on a small dedicated thread pool, so the event loop (and `/health`, and
every other request) never waits for it. RE2 releases the GIL while it scans.

Each pass (a request's input, its output, a piece of streamed text) has SCREEN_TIME_LIMIT_SECONDS,
or `arguments.timeout_sec` when that is shorter. Past it the request fails with 504 `Timeout`;
the worker notices the deadline between two matches or two strings and stops, and a pass still
queued behind others is dropped without starting.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ..errors import ScreeningTimeout
from .patterns import ScreeningDeadline
from .safety import SafetyPolicy
from .walk import iter_strings

SCREEN_TIME_LIMIT_SECONDS = 2.0
INLINE_TEXT_CHARS = 512
_WORKERS = 2

T = TypeVar("T")


def text_size_exceeds(value: Any, limit: int) -> bool:
    size = 0
    for text in iter_strings(value):
        size += len(text)
        if size > limit:
            return True
    return False


class Screener:
    def __init__(self, safety: SafetyPolicy, agent_timeout: float | None):
        self.safety = safety
        self.time_limit = min(SCREEN_TIME_LIMIT_SECONDS, agent_timeout or SCREEN_TIME_LIMIT_SECONDS)
        self._pool: ThreadPoolExecutor | None = None

    async def screen_input(self, payload: Any) -> Any:
        if not self.safety.screens_input:
            return payload
        return await self._run(payload, "pre-invoke", self.safety.screen_input, payload)

    async def screen_output(self, output: Any) -> tuple[Any, bool]:
        if not self.safety.redacts:
            return self.safety.screen_output(output)
        result: tuple[Any, bool] = await self._run(output, "post-invoke", self.safety.screen_output, output)
        return result

    async def redact_text(self, text: str, stage: str) -> str:
        result: str = await self._run(text, stage, self.safety.redact_text, text, stage)
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    async def _run(self, value: Any, stage: str, work: Callable[..., T], *args: Any) -> T:
        deadline = time.monotonic() + self.time_limit
        try:
            if not text_size_exceeds(value, INLINE_TEXT_CHARS):
                return work(*args, deadline=deadline)
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="dockrion-screen")
            # The worker logs policy events: it needs this request's id and trace context.
            context = contextvars.copy_context()
            job = asyncio.get_running_loop().run_in_executor(
                self._pool, lambda: context.run(work, *args, deadline=deadline))
            return await asyncio.wait_for(job, self.time_limit)
        except (ScreeningDeadline, TimeoutError):
            self.safety.record_deadline(stage, self.time_limit)
            side = "input" if stage == "pre-invoke" else "output"
            raise ScreeningTimeout(f"screening the {side} took longer than {self.time_limit:g} s",
                                   details={"policy": "policies.safety", "stage": stage}) from None
