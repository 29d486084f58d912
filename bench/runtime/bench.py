"""Runtime overhead vs a bare FastAPI app and vs calling the agent directly, same machine, same run.

Load generator: wrk (C, keep-alive) on loopback, pinned to another core than the server when
two cores exist. Both servers: uvicorn, one worker, no access log, the same auto-selected
loop/http implementations (uvloop/httptools when installed). The runtime runs with auth
(api_key + role + rate limit), every policy, input/output schema validation, metrics and
JSON request logs on (logs to /dev/null, as a pipe would take them).

BENCH_BASELINE_RUNTIME=DIR adds a third server: the runtime package found in DIR (a checkout's
runtime/, e.g. `git archive main runtime | tar -x -C /tmp/main`), run with the same interpreter
and config, alternated with the other two in every round. Its lines compare a change with the
code it replaces, side by side in one run.

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


def start_runtime(port: int, source: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "DOCKRION_API_KEY": "bench-owner-key-0123456789", "BENCH_KEY_DEVELOPER": API_KEY}
    env.pop("DOCKRION_CONFIG", None)
    if source:
        env["PYTHONPATH"] = source  # found before the installed (editable) dockrion_runtime
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
    rps, p50, _, completed = wrk_percentiles(url, connections, duration)
    return rps, p50, completed


def wrk_percentiles(url: str, connections: str, duration: str) -> tuple[float, float, float, int]:
    """(requests/s, p50 latency in ms, p99 latency in ms, requests completed)."""
    out = subprocess.run(pinned(1, ["wrk", "-t1", f"-c{connections}", f"-d{duration}", "--latency",
                                    "-s", str(HERE / "post.lua"), url]),
                         capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"wrk saw error responses from {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    percentiles = {}
    for label in ("50", "99"):
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        percentiles[label] = float(value) * _UNITS[unit]
    completed = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, percentiles["50"], percentiles["99"], completed


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
    baseline_source = os.environ.get("BENCH_BASELINE_RUNTIME")
    names = ["bare", "runtime", *(["baseline"] if baseline_source else [])]
    print(f"# load generator: wrk, {CONNECTIONS} connections, {rounds} alternating rounds of {DURATION}; "
          f"{'servers on core 0, wrk on core 1' if CORES >= 2 else 'single core'}"
          f"{f'; baseline runtime from {baseline_source}' if baseline_source else ''}; "
          f"load average at start {os.getloadavg()[0]:.1f}", file=sys.stderr)
    ports = {name: free_port() for name in names}
    servers = {"bare": start_bare(ports["bare"]), "runtime": start_runtime(ports["runtime"])}
    if baseline_source:
        servers["baseline"] = start_runtime(ports["baseline"], baseline_source)
    try:
        for name in names:
            wait_ready(f"http://127.0.0.1:{ports[name]}/ready", servers[name])
        urls = {name: f"http://127.0.0.1:{ports[name]}/invoke" for name in names}
        for url in urls.values():
            wrk(url, CONNECTIONS, "2s")  # warm-up
        # Alternate the servers' order so that load from other processes on this machine hits all alike.
        rps: dict[str, list[float]] = {name: [] for name in names}
        p50: dict[str, list[float]] = {name: [] for name in names}
        loaded_p50: dict[str, list[float]] = {name: [] for name in names}
        loaded_p99: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for index in range(rounds):
            order = names[index % len(names):] + names[:index % len(names)]
            if index // len(names) % 2:
                order.reverse()
            for name in order:
                before = cpu_seconds(servers[name].pid)
                round_rps, round_p50, round_p99, completed = wrk_percentiles(urls[name], CONNECTIONS, DURATION)
                rps[name].append(round_rps)
                loaded_p50[name].append(round_p50)
                loaded_p99[name].append(round_p99)
                cpu[name].append((cpu_seconds(servers[name].pid) - before) / completed * 1e6)
            for name in order:
                p50[name].append(wrk(urls[name], "1", "1s")[1])  # one connection: latency without queueing
        for name in names:
            print(f"# {name}: req/s per round {[round(v) for v in rps[name]]}, "
                  f"p50/p99 ms at {CONNECTIONS} connections per round "
                  f"{[f'{a:.2f}/{b:.2f}' for a, b in zip(loaded_p50[name], loaded_p99[name], strict=True)]}, "
                  f"p50 ms at 1 connection per round {[round(v, 3) for v in p50[name]]}, "
                  f"server CPU us/request {[round(v) for v in cpu[name]]}", file=sys.stderr)
    finally:
        for server in servers.values():
            stop(server)
    print(f"# load average at end {os.getloadavg()[0]:.1f}", file=sys.stderr)
    direct_p50 = direct_call_p50_ms()
    cold_runtime = cold_start_seconds(start_runtime)
    cold_bare = cold_start_seconds(start_bare)
    bare_p50 = median_of(p50["bare"])
    bare_cpu = median_of(cpu["bare"])
    for name in names[1:]:
        label = "runtime" if name == "runtime" else "baseline_runtime"
        # Each round measures every side back to back, so the per-round ratio is the least noisy figure.
        paired = median_of([r / b for r, b in zip(rps[name], rps["bare"], strict=True)])
        print(f"throughput {label}/bare_fastapi: {paired:.2f} (median of per-round ratios; median req/s {label} "
              f"{median_of(rps[name]):.0f}, bare {median_of(rps['bare']):.0f}; target >= 0.90)")
        side_cpu = median_of(cpu[name])
        print(f"capacity {label}/bare_fastapi: {bare_cpu / side_cpu:.2f} (server CPU per request, "
              f"which other load on this machine does not distort: {label} {side_cpu:.0f} us, bare {bare_cpu:.0f} us)")
        print(f"p99 latency at {CONNECTIONS} connections {label}/bare_fastapi: "
              f"{median_of([r / b for r, b in zip(loaded_p99[name], loaded_p99['bare'], strict=True)]):.2f} "
              f"(median of per-round ratios; median p99 {label} {median_of(loaded_p99[name]):.2f} ms, "
              f"bare {median_of(loaded_p99['bare']):.2f} ms; p50 {median_of(loaded_p50[name]):.2f} "
              f"vs {median_of(loaded_p50['bare']):.2f} ms)")
        side_p50 = median_of(p50[name])
        print(f"p50 latency {label}/bare_fastapi: {side_p50 / bare_p50:.2f} (one connection; added "
              f"{side_p50 - bare_p50:.3f} ms: {label} {side_p50:.3f} ms, bare {bare_p50:.3f} ms; target < 1 ms added)")
    if baseline_source:
        paired = median_of([r / b for r, b in zip(rps["runtime"], rps["baseline"], strict=True)])
        print(f"throughput runtime/baseline_runtime: {paired:.2f} (median of per-round ratios)")
        print(f"capacity runtime/baseline_runtime: {median_of(cpu['baseline']) / median_of(cpu['runtime']):.2f} "
              f"(server CPU per request: runtime {median_of(cpu['runtime']):.0f} us, "
              f"baseline {median_of(cpu['baseline']):.0f} us)")
    runtime_p50 = median_of(p50["runtime"])
    print(f"p50 latency runtime/direct_call: {runtime_p50 / direct_p50:.0f} (added {runtime_p50 - direct_p50:.3f} ms; "
          f"direct call {direct_p50 * 1000:.2f} us)")
    print(f"cold start runtime/1s_target: {cold_runtime:.2f} (process start to /ready 200: {cold_runtime:.3f} s, "
          f"median of 5; bare FastAPI to first 200: {cold_bare:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
