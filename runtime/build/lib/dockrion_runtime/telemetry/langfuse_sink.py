"""Optional Langfuse traces: used only when the `langfuse` package is installed and both keys are
set. Any failure (import, network, API change) is logged once at warning level and then only at
debug level: telemetry never fails or slows down a request."""

from __future__ import annotations

import logging
from typing import Any

from ..config import LangfuseConfig
from .logs import log_event


class LangfuseSink:
    def __init__(self, client: Any):
        self._client = client
        self._warned = False

    @classmethod
    def create(cls, config: LangfuseConfig | None) -> LangfuseSink | None:
        if config is None or config.enabled is False:
            return None
        if not (config.public_key and config.secret_key) or "${" in config.public_key + config.secret_key:
            log_event(logging.INFO, "langfuse disabled: public_key/secret_key not set")
            return None
        try:
            from langfuse import Langfuse
        except ImportError:
            log_event(logging.INFO, "langfuse disabled: the langfuse package is not installed")
            return None
        try:
            kwargs: dict[str, Any] = {"public_key": config.public_key, "secret_key": config.secret_key}
            if config.host:
                kwargs["host"] = config.host
            return cls(Langfuse(**kwargs))
        except Exception as exc:  # a broken telemetry setup must not stop the agent
            log_event(logging.WARNING, "langfuse disabled: client setup failed", error_type=type(exc).__name__)
            return None

    def record_run(self, *, name: str, request_id: str, trace_id: str, input: Any, output: Any,
                   metadata: dict[str, Any], error: str | None = None) -> None:
        meta = {**metadata, "request_id": request_id}
        level = "ERROR" if error else None
        try:
            client = self._client
            if hasattr(client, "start_observation"):  # SDK v4+ (OpenTelemetry): joins our W3C trace id
                observation = client.start_observation(trace_context={"trace_id": trace_id}, name=name,
                                                       input=input, metadata=meta)
                observation.update(output=output, level=level, status_message=error)
                observation.end()
            elif hasattr(client, "start_span"):  # SDK v3
                span = client.start_span(name=name, input=input, metadata=meta)
                span.update(output=output, level=level, status_message=error)
                span.end()
            else:  # SDK v2
                client.trace(name=name, id=trace_id, input=input, output=output, metadata={**meta, "error": error})
        except Exception as exc:
            self._report(exc)

    def shutdown(self) -> None:
        try:
            flush = getattr(self._client, "flush", None)
            if callable(flush):
                flush()
        except Exception as exc:
            self._report(exc)

    def _report(self, exc: Exception) -> None:
        level = logging.DEBUG if self._warned else logging.WARNING
        self._warned = True
        log_event(level, "langfuse export failed", error_type=type(exc).__name__)
