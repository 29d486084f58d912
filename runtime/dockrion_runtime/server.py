"""uvicorn with draining: on SIGTERM/SIGINT /ready turns 503 at once, in-flight requests get
DOCKRION_SHUTDOWN_GRACE_SECONDS (default 25, under Kubernetes' 30 s) to finish."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import uvicorn

from .runtime import Runtime
from .telemetry.logs import log_event

DEFAULT_GRACE_SECONDS = 25.0


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, runtime: Runtime):
        super().__init__(config)
        self._runtime = runtime
        self.exit_code = 0
        runtime.on_load_failed = self._stop_after_load_failure

    def handle_exit(self, sig: int, frame: Any) -> None:
        if not self._runtime.draining:
            self._runtime.draining = True
            log_event(logging.INFO, "shutting down: draining in-flight requests", signal=int(sig))
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn re-raises the captured signal after shutdown, so a drained stop would end as
        # "killed by SIGTERM". Once every request has finished, the stop is a clean exit (0).
        with super().capture_signals():
            try:
                yield
            finally:
                captured = getattr(self, "_captured_signals", None)
                if isinstance(captured, list):
                    captured.clear()

    def _stop_after_load_failure(self, _message: str) -> None:
        self.exit_code = 1
        self.should_exit = True


def serve(app: Any, runtime: Runtime, *, host: str, port: int, grace_seconds: float) -> int:
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                            # uvicorn annotates int but waits with asyncio.wait_for: a fraction works.
                            timeout_graceful_shutdown=grace_seconds,  # type: ignore[arg-type]
                            lifespan="on",
                            server_header=False, date_header=True,
                            # /invoke/ws input is one message: refuse bigger frames before buffering them.
                            ws_max_size=runtime.max_body_bytes + 1024)
    server = DrainingServer(config, runtime)
    server.run()
    if not server.started and server.exit_code == 0:
        return 1  # could not bind or start-up failed; uvicorn has logged why
    return server.exit_code
