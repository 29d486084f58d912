"""`python -m dockrion_runtime` as a real process: start-up errors, JSON logs, graceful SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import APP_DIR, base_config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(tmp_path: Path, raw: dict) -> Path:
    path = tmp_path / "dockrion.json"
    path.write_text(json.dumps(raw))
    return path


def runtime_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKRION_")}
    env.update(extra)
    return env


def run_once(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dockrion_runtime", *args], env=env, capture_output=True,
                          text=True, timeout=60)


def test_missing_required_secret_exits_78_with_one_line(tmp_path):
    raw = base_config(secrets={"required": [{"name": "OPENAI_API_KEY"}, {"name": "OTHER_TOKEN"}]})
    result = run_once(["--config", str(write_config(tmp_path, raw))], runtime_env(OTHER_TOKEN="set"))
    assert result.returncode == 78
    assert result.stderr == "missing required secret: OPENAI_API_KEY\n"


def test_missing_api_key_exits_78_naming_the_variable(tmp_path):
    raw = base_config(auth={"mode": "api_key"})
    result = run_once(["--config", str(write_config(tmp_path, raw))], runtime_env())
    assert result.returncode == 78
    assert result.stderr == "missing required secret: DOCKRION_API_KEY\n"


@pytest.mark.parametrize(("content", "message"), [
    (None, "config file not found"),
    ("{not json", "is not valid JSON"),
    ("[]", "config must be a JSON object"),
    (json.dumps({"agent": {"name": "x"}}), "invalid config at agent"),
    (json.dumps(base_config(auth={"mode": "none", "rate_limits": {"dev": "lots"}})), "is not 'N/unit'"),
    (json.dumps(base_config(policies={"safety": {"redact_patterns": ["(["]}})), "is not a valid RE2 pattern"),
])
def test_unusable_config_exits_78_with_one_line(tmp_path, content, message):
    path = tmp_path / "dockrion.json"
    if content is not None:
        path.write_text(content)
    result = run_once(["--config", str(path)], runtime_env())
    assert result.returncode == 78
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_dockrion_config_env_overrides_the_flag(tmp_path):
    result = run_once(["--config", str(tmp_path / "absent.json")],
                      runtime_env(DOCKRION_CONFIG=str(tmp_path / "also-absent.json")))
    assert result.returncode == 78
    assert "also-absent.json" in result.stderr


class RuntimeProcess:
    def __init__(self, config: Path, port: int, env: dict[str, str]):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dockrion_runtime", "--config", str(config), "--port", str(port),
             "--host", "127.0.0.1", "--app-dir", str(APP_DIR)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"runtime exited early: {self.proc.stderr.read()}")
            try:
                if httpx.get(f"{self.url}/ready", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.02)
        raise AssertionError("runtime did not become ready")

    def stop(self) -> tuple[str, str]:
        if self.proc.poll() is None:
            self.proc.kill()
        out, err = self.proc.communicate(timeout=30)
        return out, err


def test_sigterm_lets_in_flight_requests_finish_and_logs_are_json(tmp_path):
    raw = base_config(agent={"handler": "agents.plain:waits_for_file"}, observability={"log_level": "info"})
    runtime = RuntimeProcess(write_config(tmp_path, raw), free_port(),
                             runtime_env(DOCKRION_SHUTDOWN_GRACE_SECONDS="30"))
    started, release = tmp_path / "started", tmp_path / "release"
    result: dict = {}
    try:
        runtime.wait_ready()

        def call() -> None:
            response = httpx.post(f"{runtime.url}/invoke", timeout=60, headers={"X-Request-ID": "drain-test-1"},
                                  json={"started": str(started), "release": str(release)})
            result["status"] = response.status_code
            result["body"] = response.json()

        caller = threading.Thread(target=call)
        caller.start()
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert started.exists()
        runtime.proc.send_signal(signal.SIGTERM)
        # New connections are refused while the in-flight request is still running.
        refused = False
        while not refused and time.monotonic() < deadline:
            try:
                httpx.get(f"{runtime.url}/health", timeout=1)
            except httpx.ConnectError:
                refused = True
        assert refused
        assert runtime.proc.poll() is None and "status" not in result
        release.write_text("go")
        caller.join(30)
        assert runtime.proc.wait(timeout=30) == 0
    finally:
        release.write_text("go")
        out, err = runtime.stop()
    assert result["status"] == 200 and result["body"]["output"] == {"released": True}
    lines = [json.loads(line) for line in out.splitlines()]
    messages = [line["msg"] for line in lines]
    assert "shutting down: draining in-flight requests" in messages
    request_line = next(line for line in lines if line["msg"] == "request" and line.get("path") == "/invoke")
    assert request_line["request_id"] == "drain-test-1" and len(request_line["trace_id"]) == 32
    assert request_line["status"] == 200
    assert messages.index("shutting down: draining in-flight requests") < lines.index(request_line)
    assert all(line["level"] != "debug" for line in lines)  # log_level info is honoured
    assert err == ""


def test_log_level_error_silences_info(tmp_path):
    raw = base_config(observability={"log_level": "error"})
    runtime = RuntimeProcess(write_config(tmp_path, raw), free_port(), runtime_env())
    try:
        runtime.wait_ready()
        assert httpx.post(f"{runtime.url}/invoke", json={"text": "a"}).status_code == 200
        runtime.proc.send_signal(signal.SIGTERM)
        assert runtime.proc.wait(timeout=30) == 0
    finally:
        out, _ = runtime.stop()
    assert out == ""


def test_agent_load_failure_exits_1_with_the_reason_logged(tmp_path):
    raw = base_config(agent={"handler": "agents.plain:does_not_exist"})
    runtime = RuntimeProcess(write_config(tmp_path, raw), free_port(), runtime_env())
    try:
        assert runtime.proc.wait(timeout=30) == 1
    finally:
        out, _ = runtime.stop()
    errors = [line for line in map(json.loads, out.splitlines()) if line["level"] == "error"]
    assert errors[0]["msg"] == "agent failed to load: module 'agents.plain' has no attribute 'does_not_exist'"


def test_websocket_in_the_real_process_frame_limit_debug_logs_and_shutdown(tmp_path):
    import base64

    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    key = "process-owner-key-0123456789"
    raw = base_config(agent={"handler": "agents.plain:waits_for_file"}, auth={"mode": "api_key"},
                      expose={"streaming": "websocket", "max_body_bytes": 256},
                      observability={"log_level": "debug"})
    runtime = RuntimeProcess(write_config(tmp_path, raw), free_port(),
                             runtime_env(DOCKRION_API_KEY=key, DOCKRION_SHUTDOWN_GRACE_SECONDS="30"))
    started, release = tmp_path / "started", tmp_path / "release"
    credential = "dockrion.api-key." + base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")
    ws_url = f"ws://127.0.0.1:{runtime.port}/invoke/ws"
    try:
        runtime.wait_ready()
        # A frame over expose.max_body_bytes is refused by the server (ws_max_size) with 1009.
        with connect(ws_url, proxy=None, subprotocols=["dockrion.v1", credential]) as ws:
            ws.send(json.dumps({"text": "x" * 4096}))
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=20)
            assert ws.close_code == 1009
        # An open run at SIGTERM is closed with 1012 (uvicorn does not drain WebSockets) and the
        # process still stops cleanly.
        with connect(ws_url, proxy=None, additional_headers={"X-API-Key": key}) as ws:
            ws.send(json.dumps({"started": str(started), "release": str(release)}))
            assert json.loads(ws.recv(timeout=20))["event"] == "start"
            deadline = time.monotonic() + 30
            while not started.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            assert started.exists()
            runtime.proc.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=20)
            assert ws.close_code == 1012
        release.write_text("go")
        assert runtime.proc.wait(timeout=30) == 0
    finally:
        release.write_text("go")
        out, err = runtime.stop()
    lines = [json.loads(line) for line in out.splitlines()]
    assert any(line["level"] == "debug" for line in lines)
    ws_lines = [line for line in lines if line["msg"] == "request" and line.get("path") == "/invoke/ws"]
    assert [line["status"] for line in ws_lines] == [1009, 1012]
    assert key not in out and credential not in out and key not in err
