"""Config parsing: defaults applied tolerantly, secret references resolved from the environment."""

from __future__ import annotations

import pytest

from dockrion_runtime.config import ConfigError, parse_config
from dockrion_runtime.secrets import MissingSecretError

MINIMAL = {"agent": {"name": "a", "handler": "m:f"}}


def test_a_minimal_config_gets_every_default():
    config = parse_config(MINIMAL, {})
    assert config.auth.mode == "api_key"
    assert config.auth.api_keys.env_var == "DOCKRION_API_KEY" and config.auth.api_keys.header == "X-API-Key"
    assert (config.expose.rest, config.expose.streaming, config.expose.port, config.expose.host) == (True, "sse", 8080, "0.0.0.0")
    assert config.expose.max_body_bytes == 1024 * 1024
    assert config.policies.tools.deny_by_default is True and config.policies.tools.allowed is None
    assert config.policies.safety.block_prompt_injection is True and config.policies.safety.halt_on_violation is False
    assert config.observability.log_level == "info"
    assert config.arguments == {} and config.agent_version == "unversioned"
    assert config.io_schema.strict is True and config.timeout_seconds is None
    assert config.agent.effective_framework == "custom"


def test_nulls_and_partial_blocks_mean_defaults():
    raw = {**MINIMAL, "auth": None, "policies": {"safety": None, "tools": {"allowed": ["a"]}},
           "expose": {"port": 9000, "cors": None}, "arguments": None, "metadata": None,
           "observability": {"log_level": None, "langfuse": None}, "streaming": {"events": None, "backend": "memory"}}
    config = parse_config(raw, {})
    assert config.auth.mode == "api_key" and config.expose.port == 9000 and config.expose.streaming == "sse"
    assert config.policies.tools.allowed == ["a"] and config.policies.safety.redact_patterns == []
    assert config.observability.log_level == "info" and config.streaming.events.heartbeat_interval == 15.0


def test_unknown_keys_are_ignored_and_timeout_is_read_from_arguments():
    config = parse_config({**MINIMAL, "x-team": "ml", "build": {"python": "3.12"},
                           "arguments": {"timeout_sec": 2.5, "max_retries": 3}, "metadata": {"version": "1.4.0"}}, {})
    assert config.timeout_seconds == 2.5 and config.arguments["max_retries"] == 3
    assert config.agent_version == "1.4.0"


def test_secret_references_are_substituted_from_the_environment():
    raw = {**MINIMAL,
           "secrets": {"required": [{"name": "JWT_SECRET"}],
                       "optional": [{"name": "LF_HOST", "default": "https://cloud.langfuse.com"}, {"name": "LF_PK"}]},
           "auth": {"mode": "jwt", "jwt": {"secret_key": "${JWT_SECRET}", "issuer": "https://${UNDECLARED}/x"}},
           "observability": {"langfuse": {"host": "${LF_HOST}", "public_key": "${LF_PK:-pk-fallback}"}}}
    config = parse_config(raw, {"JWT_SECRET": "s3cret-value-of-length"})
    assert config.auth.jwt.secret_key == "s3cret-value-of-length"
    assert config.auth.jwt.issuer == "https://${UNDECLARED}/x"  # not a declared secret: left as written
    assert config.observability.langfuse.host == "https://cloud.langfuse.com"
    assert config.observability.langfuse.public_key == "pk-fallback"


def test_missing_required_secrets_are_all_named():
    raw = {**MINIMAL, "secrets": {"required": [{"name": "A_KEY"}, {"name": "B_KEY"}, {"name": "C_KEY"}]}}
    with pytest.raises(MissingSecretError) as caught:
        parse_config(raw, {"B_KEY": "x", "C_KEY": ""})
    assert str(caught.value) == "missing required secret: A_KEY, C_KEY"


@pytest.mark.parametrize(("raw", "message"), [
    ({"agent": {"name": "a"}}, "exactly one of agent.entrypoint or agent.handler"),
    ({"agent": {"name": "a", "entrypoint": "m:f"}}, "needs agent.framework"),
    ({"agent": {"name": "a", "entrypoint": "m:f", "framework": "autogen"}}, "invalid config at agent.framework"),
    ({**MINIMAL, "auth": {"mode": "basic"}}, "invalid config at auth.mode"),
    ({**MINIMAL, "expose": {"port": "eighty"}}, "invalid config at expose.port"),
])
def test_structural_problems_are_one_line_config_errors(raw, message):
    with pytest.raises(ConfigError, match=message) as caught:
        parse_config(raw, {})
    assert "\n" not in str(caught.value)
