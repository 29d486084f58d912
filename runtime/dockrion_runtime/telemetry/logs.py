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
        return json.dumps(entry, ensure_ascii=False, default=str)


def _iso_utc(timestamp: float) -> str:
    millis = int((timestamp % 1) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(timestamp)) + f".{millis:03d}Z"


def configure_logging(level: str = "info", stream: Any = None) -> None:
    """Route dockrion and uvicorn loggers to one JSON handler (idempotent)."""
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
