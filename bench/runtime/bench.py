"""Runtime overhead vs a bare FastAPI app and vs calling the agent directly, same machine, same run.

Load generator: wrk (C, keep-alive) on loopback, pinned to another core than the server when
two cores exist. Both servers: uvicorn, one worker, no access log, the same auto-selected
loop/http implementations (uvloop/httptools when installed). The runtime runs with auth
(api_key + role + rate limit), every policy, input/output schema validation, metrics and
JSON request logs on (logs to /dev/null, as a pipe would take them).

Prints one ratio per line and exits 0.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
DURATION = os.environ.get("BENCH_DURATION", "8s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "32")
CORES = os.cpu_count() or 1
API_KEY = "bench-developer-key-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(core: int, argv: list[str]) -> list[str]:
    return ["taskset", "-c", str(core), *argv] if CORES >= 2 and shutil.which("taskset") else argv


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 30) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.002)
    raise SystemExit(f"{url} not ready after {timeout}s")


def start_runtime(port: int) -> subprocess.Popen:
    env = {**os.environ, "DOCKRION_API_KEY": "bench-owner-key-0123456789", "BENCH_KEY_DEVELOPER": API_KEY}
    env.pop("DOCKRION_CONFIG", None)
    return subprocess.Popen(pinned(0, [sys.executable, "-m", "dockrion_runtime", "--config", str(HERE / "dockrion.json"),
                                       "--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(port)]),
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_bare(port: int) -> subprocess.Popen:
    return subprocess.Popen(pinned(0, [sys.executable, "-m", "uvicorn", "bare_app:app", "--host", "127.0.0.1",
                                       "--port", str(port), "--no-access-log", "--log-level", "warning"]),
                            cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, connections: str, duration: str) -> tuple[float, float]:
    """(requests/s, p50 latency in ms)."""
    out = subprocess.run(pinned(1, ["wrk", "-t1", f"-c{connections}", f"-d{duration}", "--latency",
                                    "-s", str(HERE / "post.lua"), url]),
                         capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"wrk saw error responses from {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()
    return rps, float(value) * _UNITS[unit]


def direct_call_p50_ms() -> float:
    sys.path.insert(0, str(HERE))
    from agent import answer

    payload = {"question": "what is the total of invoice 42?"}

    async def measure() -> list[float]:
        samples = []
        for _ in range(20000):
            started = time.perf_counter()
            await answer(payload)
            samples.append(time.perf_counter() - started)
        return samples

    return statistics.median(asyncio.run(measure())) * 1000


def cold_start_seconds(runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        port = free_port()
        proc = start_runtime(port)
        try:
            samples.append(wait_ready(f"http://127.0.0.1:{port}/ready", proc))
        finally:
            stop(proc)
    return statistics.median(samples)


def measure(start, name: str) -> tuple[float, float, float]:
    port = free_port()
    proc = start(port)
    try:
        wait_ready(f"http://127.0.0.1:{port}/ready", proc)
        url = f"http://127.0.0.1:{port}/invoke"
        wrk(url, CONNECTIONS, "2s")  # warm-up
        rps, _ = wrk(url, CONNECTIONS, DURATION)
        _, p50_ms = wrk(url, "1", DURATION)  # one connection: per-request latency without queueing
        _, p50_loaded = wrk(url, CONNECTIONS, "2s")
        print(f"# {name}: {rps:.0f} req/s at {CONNECTIONS} connections, p50 {p50_ms:.3f} ms at 1 connection", file=sys.stderr)
        return rps, p50_ms, p50_loaded
    finally:
        stop(proc)


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (run.sh installs it with apt-get)")
    print(f"# load generator: wrk, {CONNECTIONS} connections, {DURATION} per measurement; "
          f"{'server and wrk pinned to separate cores' if CORES >= 2 else 'single core'}", file=sys.stderr)
    bare_rps, bare_p50, _ = measure(start_bare, "bare FastAPI")
    runtime_rps, runtime_p50, _ = measure(start_runtime, "dockrion runtime (auth+policies+schemas+metrics+logs)")
    direct_p50 = direct_call_p50_ms()
    cold = cold_start_seconds()
    print(f"throughput runtime/bare_fastapi: {runtime_rps / bare_rps:.2f} (runtime {runtime_rps:.0f} req/s, "
          f"bare {bare_rps:.0f} req/s; target >= 0.70)")
    print(f"p50 added latency vs bare FastAPI: {runtime_p50 - bare_p50:.3f} ms (runtime {runtime_p50:.3f} ms, "
          f"bare {bare_p50:.3f} ms, ratio {runtime_p50 / bare_p50:.2f}; target < 1 ms)")
    print(f"p50 added latency vs direct call: {runtime_p50 - direct_p50:.3f} ms (direct call {direct_p50 * 1000:.2f} us, "
          f"ratio {runtime_p50 / direct_p50:.0f})")
    print(f"cold start to /ready 200: {cold:.3f} s (median of 5; ratio to 1 s target {cold:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
