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
DURATION = os.environ.get("BENCH_DURATION", "2s")
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
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User+system CPU the server process has used (from /proc: immune to other load on the box)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def wrk(url: str, connections: str, duration: str) -> tuple[float, float]:
    """(requests/s, p50 latency in ms)."""
    rps, p50, _ = wrk_full(url, connections, duration)
    return rps, p50


def wrk_full(url: str, connections: str, duration: str) -> tuple[float, float, int]:
    """(requests/s, p50 latency in ms, requests completed)."""
    out = subprocess.run(pinned(1, ["wrk", "-t1", f"-c{connections}", f"-d{duration}", "--latency",
                                    "-s", str(HERE / "post.lua"), url]),
                         capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"wrk saw error responses from {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()
    completed = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, float(value) * _UNITS[unit], completed


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


def cold_start_seconds(start, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        port = free_port()
        proc = start(port)
        try:
            samples.append(wait_ready(f"http://127.0.0.1:{port}/ready", proc))
        finally:
            stop(proc)
    return statistics.median(samples)


def median_of(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (run.sh installs it with apt-get)")
    rounds = int(os.environ.get("BENCH_ROUNDS", "8"))
    print(f"# load generator: wrk, {CONNECTIONS} connections, {rounds} alternating rounds of {DURATION}; "
          f"{'servers on core 0, wrk on core 1' if CORES >= 2 else 'single core'}", file=sys.stderr)
    bare_port, runtime_port = free_port(), free_port()
    bare, runtime = start_bare(bare_port), start_runtime(runtime_port)
    try:
        wait_ready(f"http://127.0.0.1:{bare_port}/ready", bare)
        wait_ready(f"http://127.0.0.1:{runtime_port}/ready", runtime)
        urls = {"bare": f"http://127.0.0.1:{bare_port}/invoke", "runtime": f"http://127.0.0.1:{runtime_port}/invoke"}
        for url in urls.values():
            wrk(url, CONNECTIONS, "2s")  # warm-up
        # Alternate A/B so that load from other processes on this machine hits both sides alike.
        rps: dict[str, list[float]] = {"bare": [], "runtime": []}
        p50: dict[str, list[float]] = {"bare": [], "runtime": []}
        cpu: dict[str, list[float]] = {"bare": [], "runtime": []}
        pids = {"bare": bare.pid, "runtime": runtime.pid}
        for index in range(rounds):
            order = ("bare", "runtime") if index % 2 == 0 else ("runtime", "bare")
            for name in order:
                before = cpu_seconds(pids[name])
                round_rps, _, completed = wrk_full(urls[name], CONNECTIONS, DURATION)
                rps[name].append(round_rps)
                cpu[name].append((cpu_seconds(pids[name]) - before) / completed * 1e6)
            for name in order:
                p50[name].append(wrk(urls[name], "1", "1s")[1])  # one connection: latency without queueing
        for name in ("bare", "runtime"):
            print(f"# {name}: req/s per round {[round(v) for v in rps[name]]}, "
                  f"p50 ms per round {[round(v, 3) for v in p50[name]]}, "
                  f"server CPU us/request {[round(v) for v in cpu[name]]}", file=sys.stderr)
    finally:
        stop(bare)
        stop(runtime)
    direct_p50 = direct_call_p50_ms()
    cold_runtime = cold_start_seconds(start_runtime)
    cold_bare = cold_start_seconds(start_bare)
    bare_rps, runtime_rps = median_of(rps["bare"]), median_of(rps["runtime"])
    bare_p50, runtime_p50 = median_of(p50["bare"]), median_of(p50["runtime"])
    # Each round measures both sides back to back, so the per-round ratio is the least noisy figure.
    paired = median_of([r / b for r, b in zip(rps["runtime"], rps["bare"], strict=True)])
    print(f"throughput runtime/bare_fastapi: {paired:.2f} (median of per-round ratios; median req/s runtime "
          f"{runtime_rps:.0f}, bare {bare_rps:.0f}; target >= 0.70)")
    bare_cpu, runtime_cpu = median_of(cpu["bare"]), median_of(cpu["runtime"])
    print(f"capacity runtime/bare_fastapi: {bare_cpu / runtime_cpu:.2f} (server CPU per request, "
          f"which other load on this machine does not distort: runtime {runtime_cpu:.0f} us, bare {bare_cpu:.0f} us)")
    print(f"p50 latency runtime/bare_fastapi: {runtime_p50 / bare_p50:.2f} (added {runtime_p50 - bare_p50:.3f} ms: "
          f"runtime {runtime_p50:.3f} ms, bare {bare_p50:.3f} ms; target < 1 ms added)")
    print(f"p50 latency runtime/direct_call: {runtime_p50 / direct_p50:.0f} (added {runtime_p50 - direct_p50:.3f} ms; "
          f"direct call {direct_p50 * 1000:.2f} us)")
    print(f"cold start runtime/1s_target: {cold_runtime:.2f} (process start to /ready 200: {cold_runtime:.3f} s, "
          f"median of 5; bare FastAPI to first 200: {cold_bare:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
