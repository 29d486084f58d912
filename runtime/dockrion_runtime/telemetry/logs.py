"""JSON-lines logging on stdout, stamped with the current request and trace ids."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import traceback
from typing import Any

from .._defaults import OBSERVABILITY_LOG_LEVEL
from ..jsonio import dumps
from .context import request_id_var, trace_id_var

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING,
          "warning": logging.WARNING, "error": logging.ERROR}

logger = logging.getLogger("dockrion")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _iso_utc(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
            entry["trace_id"] = trace_id_var.get()
        fields = getattr(record, "fields", None)
        if fields:
            entry.update(fields)
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            entry["error_type"] = type(exc).__name__
            entry["traceback"] = "".join(traceback.format_exception(exc)).rstrip()
        return dumps(entry).decode()


_second_cache: list[Any] = [None, ""]


def _iso_utc(timestamp: float) -> str:
    # strftime is a visible share of a request's cost; the second part changes once a second.
    second = int(timestamp)
    if _second_cache[0] != second:
        _second_cache[0], _second_cache[1] = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
    return f"{_second_cache[1]}.{int((timestamp - second) * 1000):03d}Z"


class BatchingStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each line at once but flushes once per event-loop iteration: under load the lines
    of many requests leave in one write, and no line waits longer than the current iteration.
    Outside the event loop's thread (agent code in worker threads) every line is flushed."""

    def __init__(self, stream: Any = None):
        super().__init__(stream)
        self._flush_pending = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.write_line(self.format(record))
        except Exception:
            self.handleError(record)

    def _flush_now(self) -> None:
        self._flush_pending = False
        self.flush()

    def write_line(self, line: str) -> None:
        """The emit path for an already formatted line (the per-request log)."""
        self.stream.write(line + self.terminator)
        if self._flush_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self._flush_pending = True
        loop.call_soon(self._flush_now)


class _WebSocketWireFilter(logging.Filter):
    """The `websockets` library logs the handshake headers (Authorization, the API-key header,
    credential subprotocols) and frame payloads at debug through uvicorn's logger, as lines
    starting `< `, `> ` or `= `. They never reach our output, whatever the log level."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.msg
        return not (record.levelno <= logging.DEBUG and isinstance(msg, str) and msg[:2] in ("< ", "> ", "= "))


def configure_logging(level: str = OBSERVABILITY_LOG_LEVEL, stream: Any = None) -> None:
    """Route dockrion and uvicorn loggers to one JSON handler (idempotent)."""
    # The JSON lines carry none of these; not collecting them makes each record much cheaper
    # (the logging docs' "Optimization" section). _srcfile=None skips the caller stack walk.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None
    handler = BatchingStreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter())
    numeric = LEVELS.get(level.lower(), logging.INFO)
    for name in ("dockrion", "uvicorn", "uvicorn.error"):
        target = logging.getLogger(name)
        target.handlers = [handler]
        target.setLevel(numeric)
        target.propagate = False
    uvicorn_error = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _WebSocketWireFilter) for f in uvicorn_error.filters):
        uvicorn_error.addFilter(_WebSocketWireFilter())
    logging.getLogger("uvicorn.access").disabled = True


def log_event(level: int, message: str, **fields: Any) -> None:
    if logger.isEnabledFor(level):
        logger.log(level, message, extra={"fields": fields})


def log_request_line(level: int, fields: dict[str, Any]) -> None:
    """The per-request log line. Same JSON as log_event, but when every handler is ours it skips
    building a LogRecord and the logging dispatch, which were a tenth of a request's CPU."""
    if not logger.isEnabledFor(level):
        return
    handlers = logger.handlers
    if not handlers or not all(type(h) is BatchingStreamHandler and level >= h.level for h in handlers):
        log_event(level, "request", **fields)
        return
    entry: dict[str, Any] = {"ts": _iso_utc(time.time()), "level": logging.getLevelName(level).lower(),
                             "logger": "dockrion", "msg": "request"}
    request_id = request_id_var.get()
    if request_id:
        entry["request_id"] = request_id
        entry["trace_id"] = trace_id_var.get()
    entry.update(fields)
    line = dumps(entry).decode()
    for handler in handlers:
        handler.write_line(line)  # type: ignore[attr-defined]  # every handler is a BatchingStreamHandler (checked above)
