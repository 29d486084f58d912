"""Issue 12 #1: `/invoke` latency for ordinary requests while one client sends the worst redact
pattern input in a loop. Same server, same run, alternating rounds with and without the attacker.

The server is the runtime with bench/runtime/dockrion.json plus the attack's redact pattern
`\\b\\d+[ -]?\\d+[ -]?\\d+[ -]?\\d+\\b` (Python `re` took 19 s of CPU on 300 digits and an `x`;
cost ~ n^4). The attacker sends ~1 MB of digits and an `x` (just under expose.max_body_bytes) in
a field the input schema allows, back to back on one keep-alive connection. The ordinary load is
wrk with BENCH_REDOS_CONNECTIONS (8) connections posting the usual small body.

Prints `name: ratio` lines (stdout) and the absolute numbers (stderr); exits 0.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import API_KEY, CORES, free_port, pinned, stop, wait_ready  # noqa: E402

WORST_PATTERN = r"\b\d+[ -]?\d+[ -]?\d+[ -]?\d+\b"
ROUNDS = int(os.environ.get("BENCH_REDOS_ROUNDS", "3"))
DURATION = os.environ.get("BENCH_REDOS_DURATION", "5s")
CONNECTIONS = os.environ.get("BENCH_REDOS_CONNECTIONS", "8")
TARGET_P99_MS = 50.0
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def start_runtime(port: int, config: Path) -> subprocess.Popen:
    env = {**os.environ, "DOCKRION_API_KEY": "bench-owner-key-0123456789", "BENCH_KEY_DEVELOPER": API_KEY}
    env.pop("DOCKRION_CONFIG", None)
    return subprocess.Popen(pinned(0, [sys.executable, "-m", "dockrion_runtime", "--config", str(config),
                                       "--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(port)]),
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wrk_p99(url: str) -> tuple[float, float, int]:
    """(p50 ms, p99 ms, requests) of the ordinary load."""
    out = subprocess.run(pinned(1, ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency",
                                    "-s", str(HERE / "post.lua"), url]),
                         capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"wrk saw error responses:\n{out}")

    def percentile(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        assert match is not None, out
        return float(match.group(1)) * _UNITS[match.group(2)]

    completed = re.search(r"(\d+) requests in", out)
    assert completed is not None, out
    return percentile("50"), percentile("99"), int(completed.group(1))


class Attacker(threading.Thread):
    """One client sending the worst input back to back until stopped."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port = port
        digits = "1" * (1024 * 1024 - 200) + "x"
        self.body = json.dumps({"question": "q", "note": digits}).encode()
        self.stop_event = threading.Event()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Content-Type": "application/json", "X-API-Key": API_KEY}
        while not self.stop_event.is_set():
            started = time.perf_counter()
            connection.request("POST", "/invoke", body=self.body, headers=headers)
            response = connection.getresponse()
            response.read()
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        connection.close()


def main() -> int:
    if not shutil.which("wrk"):
        print("# redos bench skipped: wrk is not installed (bench/runtime/run.sh installs it)", file=sys.stderr)
        return 0
    config = json.loads((HERE / "dockrion.json").read_text())
    config["policies"]["safety"]["redact_patterns"].append(WORST_PATTERN)
    with tempfile.TemporaryDirectory(prefix="dockrion-redos-bench-") as tmp:
        config_path = Path(tmp) / "dockrion.json"
        config_path.write_text(json.dumps(config))
        port = free_port()
        server = start_runtime(port, config_path)
        url = f"http://127.0.0.1:{port}/invoke"
        calm: list[tuple[float, float, int]] = []
        attacked: list[tuple[float, float, int]] = []
        attack_latencies: list[float] = []
        attack_statuses: dict[int, int] = {}
        try:
            wait_ready(f"http://127.0.0.1:{port}/ready", server)
            wrk_p99(url)  # warm-up
            for index in range(ROUNDS):
                order = ("calm", "attacked") if index % 2 == 0 else ("attacked", "calm")
                for kind in order:
                    if kind == "calm":
                        calm.append(wrk_p99(url))
                        continue
                    attacker = Attacker(port)
                    attacker.start()
                    while not attacker.latencies:  # the attack is under way before measuring
                        time.sleep(0.01)
                    attacked.append(wrk_p99(url))
                    attacker.stop_event.set()
                    attacker.join(180)
                    attack_latencies += attacker.latencies
                    for status, count in attacker.statuses.items():
                        attack_statuses[status] = attack_statuses.get(status, 0) + count
        finally:
            stop(server)
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[:3]
    print(f"# redos: {CONNECTIONS} wrk connections, {ROUNDS} alternating rounds of {DURATION}, "
          f"{'server on core 0, wrk on core 1' if CORES >= 2 else 'single core'}, load average {' '.join(load)}",
          file=sys.stderr)
    print(f"# calm:     p50 {[round(p50, 2) for p50, _, _ in calm]} ms, p99 {[round(p99, 2) for _, p99, _ in calm]} ms, "
          f"requests {[n for _, _, n in calm]}", file=sys.stderr)
    print(f"# attacked: p50 {[round(p50, 2) for p50, _, _ in attacked]} ms, p99 {[round(p99, 2) for _, p99, _ in attacked]} ms, "
          f"requests {[n for _, _, n in attacked]}", file=sys.stderr)
    print(f"# attacker: {len(attack_latencies)} requests of {len(Attacker(port).body)} bytes, statuses {attack_statuses}, "
          f"median {statistics.median(attack_latencies):.1f} ms, max {max(attack_latencies):.1f} ms", file=sys.stderr)
    worst_attacked = max(p99 for _, p99, _ in attacked)
    median_calm = statistics.median(p99 for _, p99, _ in calm)
    print(f"redos p99_under_attack/50ms_target: {worst_attacked / TARGET_P99_MS:.2f} "
          f"(worst round's /invoke p99 {worst_attacked:.2f} ms while one client sends the worst pattern input; target < 1)")
    print(f"redos p99_under_attack/p99_calm: {worst_attacked / median_calm:.2f} "
          f"(calm median p99 {median_calm:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
