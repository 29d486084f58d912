"""The runtime config: the normalized Dockfile (JSON) that the TypeScript side writes.

Defaults are applied here too (docs/CONTRACTS.md "Runtime config"), so a config with omitted
optional blocks, or with `null` where a block is optional, still starts. Those that
normalizeDockfile also writes come from _defaults.py, generated from schemas/runtime-defaults.ts;
test/runtime-config-contract.test.ts checks that both sides resolve every example alike.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ._defaults import (
    AUTH_API_KEYS_ENV_VAR,
    AUTH_API_KEYS_HEADER,
    AUTH_MODE,
    EXPOSE_HOST,
    EXPOSE_PORT,
    EXPOSE_REST,
    EXPOSE_STREAMING,
    HANDLER_FRAMEWORK,
    OBSERVABILITY_LOG_LEVEL,
    POLICIES_SAFETY_BLOCK_PROMPT_INJECTION,
    POLICIES_SAFETY_HALT_ON_VIOLATION,
    POLICIES_TOOLS_DENY_BY_DEFAULT,
)
from .errors import DockrionRuntimeError
from .secrets import MissingSecretError, resolve_secrets

DEFAULT_CONFIG_PATH = "/app/dockrion.json"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_HEARTBEAT_SECONDS = 15.0


class ConfigError(DockrionRuntimeError):
    """The config cannot be used; the message is one line and safe to print."""


class _Block(BaseModel):
    """A config block: unknown keys are ignored and `null` means "use the default"."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if v is not None}
        return data


class AgentConfig(_Block):
    name: str
    description: str | None = None
    entrypoint: str | None = None
    handler: str | None = None
    framework: Literal["langgraph", "langchain", "custom"] | None = None

    @model_validator(mode="after")
    def _one_mode(self) -> AgentConfig:
        if bool(self.entrypoint) == bool(self.handler):
            raise ValueError("exactly one of agent.entrypoint or agent.handler must be set")
        if self.entrypoint and not self.framework:
            raise ValueError("agent.entrypoint needs agent.framework (langgraph, langchain or custom)")
        return self

    @property
    def effective_framework(self) -> str:
        return HANDLER_FRAMEWORK if self.handler else str(self.framework)


class IoSchemaConfig(_Block):
    input: dict[str, Any] | None = None
    output: dict[str, Any] | None = None
    input_class: str | None = None
    output_class: str | None = None
    # Output validation is on unless switched off: a wrong output is a bug worth surfacing.
    strict: bool = True


class ApiKeysConfig(_Block):
    env_var: str = AUTH_API_KEYS_ENV_VAR
    header: str = AUTH_API_KEYS_HEADER
    allow_bearer: bool = False
    prefix: str | None = None
    # None = "not said": on in api_key mode, off as an extra method in jwt/oauth2 mode.
    enabled: bool | None = None
    rotation_days: int | None = None


class JwtConfig(_Block):
    secret_key: str | None = None
    jwks_url: str | None = None
    public_key_env: str | None = None
    issuer: str | None = None
    audience: str | list[str] | None = None
    algorithms: list[str] | None = None
    leeway_seconds: int = 0
    expiry_minutes: int | None = None


class OAuth2Config(_Block):
    issuer: str | None = None
    jwks_url: str | None = None
    audience: str | list[str] | None = None
    scopes: list[str] = []


class RoleConfig(_Block):
    name: str
    permissions: list[str] = []


class AuthConfig(_Block):
    mode: Literal["none", "api_key", "jwt", "oauth2"] = AUTH_MODE
    api_keys: ApiKeysConfig = ApiKeysConfig()
    jwt: JwtConfig | None = None
    oauth2: OAuth2Config | None = None
    roles: list[RoleConfig] = []
    rate_limits: dict[str, str] = {}


class ToolPolicyConfig(_Block):
    # None = no allow-list declared: with deny_by_default (the default) every tool is denied.
    allowed: list[str] | None = None
    deny_by_default: bool = POLICIES_TOOLS_DENY_BY_DEFAULT


class SafetyPolicyConfig(_Block):
    redact_patterns: list[str] = []
    max_output_chars: int | None = None
    block_prompt_injection: bool = POLICIES_SAFETY_BLOCK_PROMPT_INJECTION
    halt_on_violation: bool = POLICIES_SAFETY_HALT_ON_VIOLATION


class PoliciesConfig(_Block):
    tools: ToolPolicyConfig = ToolPolicyConfig()
    safety: SafetyPolicyConfig = SafetyPolicyConfig()


class CorsConfig(_Block):
    origins: list[str] = []
    methods: list[str] = ["GET", "POST"]
    headers: list[str] = []


class ExposeConfig(_Block):
    rest: bool = EXPOSE_REST
    streaming: Literal["sse", "websocket", "none"] = EXPOSE_STREAMING
    port: int = EXPOSE_PORT
    host: str = EXPOSE_HOST
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    cors: CorsConfig | None = None


class LangfuseConfig(_Block):
    enabled: bool | None = None
    project: str | None = None
    public_key: str | None = None
    secret_key: str | None = None
    host: str | None = None


class MetricsConfig(_Block):
    """`observability.metrics`: on unless switched off. `cost` needs prices in `model.extra`."""

    latency: bool = True
    tokens: bool = True
    cost: bool = True


class ObservabilityConfig(_Block):
    langfuse: LangfuseConfig | None = None
    tracing: bool = False
    log_level: Literal["debug", "info", "warn", "warning", "error"] = OBSERVABILITY_LOG_LEVEL
    metrics: MetricsConfig = MetricsConfig()


class ModelConfig(_Block):
    """`model`: informational, except `extra.input_cost_per_1k` / `extra.output_cost_per_1k`
    (USD per 1000 tokens), which price the token usage for `dockrion_cost_usd_total`."""

    provider: str | None = None
    name: str | None = None
    extra: dict[str, Any] = {}

    def price_per_1k(self, kind: str) -> float | None:
        value = self.extra.get(f"{kind}_cost_per_1k")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            return None
        return float(value)


class StreamingEventsConfig(_Block):
    heartbeat_interval: float = DEFAULT_HEARTBEAT_SECONDS
    max_run_duration: float | None = None


class StreamingConfig(_Block):
    events: StreamingEventsConfig = StreamingEventsConfig()


class SecretsConfig(_Block):
    """`secrets`: only the declared names matter here (resolve_secrets substitutes the values)."""

    required: list[Any] = []
    optional: list[Any] = []

    @property
    def names(self) -> frozenset[str]:
        def name_of(entry: Any) -> str:
            if isinstance(entry, Mapping):
                return str(entry.get("name") or "")
            return entry if isinstance(entry, str) else ""

        return frozenset(filter(None, map(name_of, [*self.required, *self.optional])))


class RuntimeConfig(_Block):
    version: str = "1.0"
    agent: AgentConfig
    model: ModelConfig = ModelConfig()
    io_schema: IoSchemaConfig = IoSchemaConfig()
    arguments: dict[str, Any] = {}
    policies: PoliciesConfig = PoliciesConfig()
    auth: AuthConfig = AuthConfig()
    observability: ObservabilityConfig = ObservabilityConfig()
    expose: ExposeConfig = ExposeConfig()
    metadata: dict[str, Any] = {}
    streaming: StreamingConfig = StreamingConfig()
    secrets: SecretsConfig = SecretsConfig()

    @field_validator("arguments", "metadata", mode="before")
    @classmethod
    def _mapping_or_empty(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def agent_version(self) -> str:
        version = self.metadata.get("version")
        return str(version) if version not in (None, "") else "unversioned"

    @property
    def timeout_seconds(self) -> float | None:
        value = self.arguments.get("timeout_sec")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            return None
        return float(value)


def config_path_from(cli_value: str | None, environ: Mapping[str, str]) -> str:
    """DOCKRION_CONFIG overrides the path baked into the image's command line."""
    return environ.get("DOCKRION_CONFIG") or cli_value or DEFAULT_CONFIG_PATH


def parse_config(raw: Any, environ: Mapping[str, str] | None = None) -> RuntimeConfig:
    """Turn the JSON document into a RuntimeConfig, substituting secret references."""
    if not isinstance(raw, dict):
        raise ConfigError("config must be a JSON object (the normalized Dockfile)")
    try:
        resolved = resolve_secrets(raw, os.environ if environ is None else environ)
    except MissingSecretError:
        raise
    try:
        return RuntimeConfig.model_validate(resolved)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise ConfigError(f"invalid config at {where}: {first['msg']}") from None


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> RuntimeConfig:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"config file {path} is not valid JSON: {exc}") from None
    return parse_config(raw, environ)
