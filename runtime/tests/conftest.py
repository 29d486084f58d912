"""Shared helpers: build an app from a config dict, serve it in-process or on real loopback."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from dockrion_runtime.app import create_app
from dockrion_runtime.config import parse_config
from dockrion_runtime.telemetry.logs import BatchingStreamHandler, JsonFormatter, configure_logging

# The agents in tests/agents are imported as `agents.<module>` with this directory as app dir.
APP_DIR = Path(__file__).parent


def base_config(**overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "version": "1.0",
        "agent": {"name": "test-agent", "handler": "agents.plain:async_echo"},
        "auth": {"mode": "none"},
        "metadata": {"version": "2.0.0"},
    }
    return deep_merge(config, overrides)


def deep_merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def build_app(raw: dict[str, Any], environ: Mapping[str, str] | None = None, *, background: bool = False):
    env = dict(environ or {})
    return create_app(parse_config(raw, env), environ=env, app_dir=str(APP_DIR), load_in_background=background)


@contextlib.contextmanager
def client_for(raw: dict[str, Any], environ: Mapping[str, str] | None = None) -> Iterator[TestClient]:
    """An in-process client; the lifespan (agent load) has completed when it is yielded."""
    with TestClient(build_app(raw, environ), raise_server_exceptions=False) as client:
        yield client


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve `app` with a real uvicorn on a free loopback port; stopped on exit."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None,
                                           access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture(autouse=True, scope="session")
def _json_logs() -> None:
    configure_logging("debug")


@contextlib.contextmanager
def capture_json_logs(logger_name: str) -> Iterator[io.StringIO]:
    """What the named logger writes, as our JSON lines, while the block runs."""
    buffer = io.StringIO()
    handler = BatchingStreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    target = logging.getLogger(logger_name)
    target.addHandler(handler)
    try:
        yield buffer
    finally:
        target.removeHandler(handler)


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """The JSON log lines written while the test runs."""
    with capture_json_logs("dockrion") as buffer:
        yield buffer


INFLIGHT = 'dockrion_inflight_requests{agent="test-agent",version="2.0.0"}'


def inflight(metrics_text: str) -> float:
    line = next(line for line in metrics_text.splitlines() if line.startswith(INFLIGHT))
    return float(line.rsplit(" ", 1)[1])


def inflight_after_teardown(http: Any, url: str) -> float:
    """Polls /metrics (at most 2000 times) until only that request is in flight; the last count.
    Counting the /metrics request itself, 1.0 means the abandoned stream or socket is torn down."""
    counts = [inflight(http.get(f"{url}/metrics").text)]
    while counts[-1] != 1.0 and len(counts) < 2000:
        counts.append(inflight(http.get(f"{url}/metrics").text))
    return counts[-1]


def log_lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def error_of(response: Any) -> dict[str, Any]:
    """Assert the error envelope shape and return its `error` object."""
    body = response.json()
    assert body["success"] is False, body
    assert set(body["error"]) >= {"code", "message", "details"}, body
    return body["error"]
