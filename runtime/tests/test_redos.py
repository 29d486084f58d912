"""Issue 12 #1: a redact pattern must never stall the server.

Dockfile regexes run on RE2 (linear time), screening of anything but small values runs off the
event loop, and each screening pass has a time bound. The patterns are the ones the attack used.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest import base_config, build_app, client_for, error_of, live_server
from dockrion_runtime.config import SafetyPolicyConfig
from dockrion_runtime.policies.events import PolicyEvents
from dockrion_runtime.policies.safety import REDACTED, SafetyPolicy
from dockrion_runtime.telemetry.metrics import Metrics

# The attack's pattern: with Python `re`, 300 digits and an `x` took 19 s of CPU (cost ~ n^4).
WORST_PATTERN = r"\b\d+[ -]?\d+[ -]?\d+[ -]?\d+\b"

# Every pattern the issue lists that RE2 accepts, with an input that makes a backtracking engine
# take super-linear time. (`(a+)\1*b` is not RE2: test_policies checks it fails at start-up.)
ATTACKS = [
    (WORST_PATTERN, "1" * 5000 + "x"),
    (r"\s*\s*\s*$", " " * 20000 + "x"),
    ("a*a*a*a*a*a*a*a*b", "a" * 20000),
    (r"(.*a){20}", "a" * 20000),
    (r"(.*,){12}x", "," * 20000),
]


def redacting(*patterns: str) -> dict:
    return base_config(agent={"handler": "agents.plain:reflect"},
                       policies={"safety": {"redact_patterns": list(patterns), "block_prompt_injection": True}})


def policy() -> SafetyPolicy:
    return SafetyPolicy(SafetyPolicyConfig(redact_patterns=[p for p, _ in ATTACKS]),
                        PolicyEvents(Metrics("t", "1")))


@pytest.mark.parametrize(("pattern", "attack"), ATTACKS, ids=[p for p, _ in ATTACKS])
def test_redos_listed_patterns_on_their_worst_inputs_finish(pattern, attack):
    single = SafetyPolicy(SafetyPolicyConfig(redact_patterns=[pattern]), PolicyEvents(Metrics("t", "1")))
    screened = single.screen_input({"text": attack})
    # RE2 keeps the leftmost-first meaning: a real match is still redacted.
    assert screened["text"] == attack or REDACTED in screened["text"]


def test_redos_redaction_still_works_with_rewritten_engine():
    safety = SafetyPolicy(SafetyPolicyConfig(redact_patterns=[r"\b\d{16}\b", r"\b\d{3}-\d{2}-\d{4}\b", "x*"]),
                          PolicyEvents(Metrics("t", "1")))
    text = "card 4111111111111111, ssn 123-45-6789, café ✓ 4111111111111111"
    # An empty match (x*) redacts nothing; non-ASCII text around matches stays whole.
    assert safety.screen_input({"t": text})["t"] == f"card {REDACTED}, ssn {REDACTED}, café ✓ {REDACTED}"


def test_redos_worst_pattern_request_answers_and_health_stays_responsive():
    attack = {"text": "1" * 2000 + "x"}  # with Python `re` this would run for hours
    with live_server(build_app(redacting(WORST_PATTERN))) as url, httpx.Client(timeout=30) as http:
        with ThreadPoolExecutor(max_workers=1) as pool:
            attacking = pool.submit(lambda: [http.post(f"{url}/invoke", json=attack) for _ in range(5)])
            health = [http.get(f"{url}/health", timeout=10).status_code for _ in range(20)]
            attacks = attacking.result()
    assert health == [200] * 20
    assert [response.status_code for response in attacks] == [200] * 5
    assert attacks[0].json()["output"]["text"] == attack["text"]


def test_redos_screening_runs_off_the_event_loop():
    """While one big input is being screened, other requests are served: the screening is held
    inside the worker until the test has seen /health and another /invoke answer."""
    app = build_app(redacting(r"\d{16}"))
    safety = app.state.runtime.safety
    entered, release = threading.Event(), threading.Event()
    screen = safety.screen_input

    def held_screen(payload, deadline=None):
        if len(payload.get("text", "")) > 10_000:
            entered.set()
            release.wait(30)
        return screen(payload, deadline=None)

    safety.screen_input = held_screen
    with live_server(app) as url, httpx.Client(timeout=30) as http, ThreadPoolExecutor(max_workers=1) as pool:
        big = pool.submit(http.post, f"{url}/invoke", json={"text": "word " * 4000})
        assert entered.wait(30)
        during = [http.get(f"{url}/health").status_code, http.post(f"{url}/invoke", json={"text": "hi"}).status_code]
        release.set()
        assert big.result().status_code == 200
    assert during == [200, 200]


def test_redos_screening_has_a_time_bound_per_request(captured_logs):
    # `\d` over 600k digits is ~600k matches: far more work than the bound allows.
    with client_for(redacting(r"\d")) as client:
        screener = client.app.state.runtime.screener
        usual, screener.time_limit = screener.time_limit, 0.05
        bounded = client.post("/invoke", json={"text": "7" * 600_000})
        screener.time_limit = usual  # a loaded machine must not time out the next, tiny request
        after = client.post("/invoke", json={"text": "call 555"})
        metrics = client.get("/metrics").text
    assert bounded.status_code == 504
    error = error_of(bounded)
    assert error["code"] == "Timeout"
    assert error["details"] == {"policy": "policies.safety", "stage": "pre-invoke"}
    assert "7777" not in bounded.text
    assert after.status_code == 200 and after.json()["output"]["text"] == f"call {REDACTED * 3}"
    assert 'action="timeout"' in metrics and 'policy="safety.screening"' in metrics


def test_redos_io_schema_patterns_run_on_re2():
    # A Dockfile `pattern` is evaluated on the caller's input too: `^(a+)+$` backtracks 2^n in `re`.
    schema = {"input": {"type": "object", "additionalProperties": False,
                        "patternProperties": {"^(k+)+$": {"type": "string", "pattern": "^(a+)+$"}}}}
    raw = base_config(agent={"handler": "agents.plain:reflect"}, io_schema=schema,
                      policies={"safety": {"block_prompt_injection": False}})
    with live_server(build_app(raw)) as url, httpx.Client(timeout=30) as http:
        bad_value = http.post(f"{url}/invoke", json={"kkk": "a" * 60 + "!"})
        bad_key = http.post(f"{url}/invoke", json={"k" * 60 + "!": "aaa"})
        good = http.post(f"{url}/invoke", json={"kk": "aaaa"})
    assert bad_value.status_code == 422 and error_of(bad_value)["details"][0]["path"] == "/kkk"
    assert bad_key.status_code == 422
    assert good.status_code == 200


def test_redos_io_schema_pattern_that_re2_rejects_fails_at_start_up():
    from dockrion_runtime.io_contract import IoSchemaError

    schema = {"input": {"type": "object", "properties": {"x": {"type": "string", "pattern": r"(a)\1"}}}}
    with pytest.raises(IoSchemaError, match=r"io_schema\.input\.properties\.x\.pattern: the pattern is not a valid RE2"):
        build_app(base_config(io_schema=schema))


def test_re2_agreement_with_the_validator():
    """The validator checks patterns with re2js (test/dockfile/regex.test.ts reads the same list):
    a pattern that validates must compile here, and one refused here must fail validation."""
    import json
    from pathlib import Path

    from dockrion_runtime.policies.patterns import PatternError, compile_pattern

    cases = json.loads((Path(__file__).parent / "data" / "re2_agreement.json").read_text())["patterns"]
    verdicts = {}
    for pattern, _ in cases:
        try:
            compile_pattern(pattern)
            verdicts[pattern] = True
        except PatternError:
            verdicts[pattern] = False
    assert verdicts == {pattern: compiles for pattern, compiles in cases}
