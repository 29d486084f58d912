"""JSON-lines logging on stdout, stamped with the current request and trace ids."""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from typing import Any

from .context import request_id_var, trace_id_var

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING,
          "warning": logging.WARNING, "error": logging.ERROR}

logger = logging.getLogger("dockrion")
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


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
        return _ENCODER.encode(entry)


_second_cache: list = [None, ""]


def _iso_utc(timestamp: float) -> str:
    # strftime is a visible share of a request's cost; the second part changes once a second.
    second = int(timestamp)
    if _second_cache[0] != second:
        _second_cache[0], _second_cache[1] = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
    return f"{_second_cache[1]}.{int((timestamp - second) * 1000):03d}Z"


def configure_logging(level: str = "info", stream: Any = None) -> None:
    """Route dockrion and uvicorn loggers to one JSON handler (idempotent)."""
    # The JSON lines carry none of these; not collecting them makes each record much cheaper
    # (the logging docs' "Optimization" section). _srcfile=None skips the caller stack walk.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter())
    numeric = LEVELS.get(level.lower(), logging.INFO)
    for name in ("dockrion", "uvicorn", "uvicorn.error"):
        target = logging.getLogger(name)
        target.handlers = [handler]
        target.setLevel(numeric)
        target.propagate = False
    logging.getLogger("uvicorn.access").disabled = True


def log_event(level: int, message: str, **fields: Any) -> None:
    if logger.isEnabledFor(level):
        logger.log(level, message, extra={"fields": fields})
