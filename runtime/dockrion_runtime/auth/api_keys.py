"""API-key authentication.

Where keys come from (read once, at start-up):
- `api_keys.env_var` (default DOCKRION_API_KEY): one key. It carries no role, so it is the
  deployment owner's key: it passes every permission check (like "no roles declared").
- `api_keys.prefix` (multi-key): an env var named `<prefix>_<ROLE>` (or `<prefix><ROLE>` when
  the prefix ends in `_`) holds a key for role `<role>` when ROLE names a declared role
  (lowercased, `-`/`_` matched) or the variable is a declared secret. DOCKRION_API_KEY_ADMIN →
  role `admin` with prefix DOCKRION_API_KEY. Nothing else in the environment is a key: not the
  runtime's own settings (RUNTIME_SETTINGS, e.g. DOCKRION_ENV with prefix DOCKRION), and not a
  value shorter than MIN_PREFIXED_KEY_CHARS (skipped with a warning naming the variable).
Keys are compared as SHA-256 digests with hmac.compare_digest against every known key, so
neither a key's content nor its length shows in the timing.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..config import ApiKeysConfig
from ..errors import DockrionRuntimeError
from ..telemetry.logs import log_event
from .principal import Principal

# Variables the runtime and its deployment set for themselves; never API keys. The validator
# keeps the same list (action/dockfile/checks/auth.ts) to reject a prefix that would cover them.
RUNTIME_SETTINGS = frozenset({
    "DOCKRION_CONFIG", "DOCKRION_ENV", "DOCKRION_VERSION", "DOCKRION_SHUTDOWN_GRACE_SECONDS",
    "DOCKRION_LOG_LEVEL", "DOCKRION_FAKE_MODEL",
})
MIN_PREFIXED_KEY_CHARS = 16


class NoApiKeysConfigured(DockrionRuntimeError):
    def __init__(self, env_var: str):
        self.env_var = env_var
        super().__init__(f"missing required secret: {env_var}")


@dataclass(frozen=True, slots=True)
class _StoredKey:
    digest: bytes
    key_id: str
    roles: frozenset[str]
    owner: bool = False


class ApiKeyStore:
    def __init__(self, keys: list[_StoredKey]):
        self._keys = keys

    @property
    def key_ids(self) -> list[str]:
        return [key.key_id for key in self._keys]

    def lookup(self, presented: str) -> Principal | None:
        digest = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
        found: _StoredKey | None = None
        for key in self._keys:
            # No early exit: the loop's length must not depend on which key matched.
            if hmac.compare_digest(digest, key.digest) and found is None:
                found = key
        if found is None:
            return None
        return Principal(subject=found.key_id, roles=found.roles, method="api_key", owner=found.owner)


def load_api_keys(
    config: ApiKeysConfig, declared_roles: Iterable[str], environ: Mapping[str, str],
    declared_secrets: Iterable[str] = (),
) -> ApiKeyStore:
    role_names = {_role_key(name): name for name in declared_roles}
    secrets = frozenset(declared_secrets)
    keys: list[_StoredKey] = []
    single = environ.get(config.env_var)
    if single:
        keys.append(_stored(single, config.env_var, frozenset(), owner=True))
    if config.prefix:
        stem = config.prefix if config.prefix.endswith("_") else config.prefix + "_"
        for name in sorted(environ):
            if (name == config.env_var or name in RUNTIME_SETTINGS or not name.startswith(stem)
                    or len(name) == len(stem)):
                continue
            suffix = name[len(stem):]
            role = role_names.get(_role_key(suffix))
            if role is None and name not in secrets:
                continue  # not a key variable: it names no declared role and is no declared secret
            value = environ[name]
            if len(value) < MIN_PREFIXED_KEY_CHARS:
                if value:
                    log_event(logging.WARNING, "API key variable ignored: its value is shorter than "
                                               f"{MIN_PREFIXED_KEY_CHARS} characters", variable=name)
                continue
            keys.append(_stored(value, name, frozenset({role or suffix.lower()})))
    if not keys:
        wanted = config.env_var
        if config.prefix:
            stem = config.prefix if config.prefix.endswith("_") else config.prefix + "_"
            wanted += f" (or {stem}<ROLE>)"
        raise NoApiKeysConfigured(wanted)
    return ApiKeyStore(keys)


def _role_key(name: str) -> str:
    return name.lower().replace("-", "_")


def _stored(value: str, key_id: str, roles: frozenset[str], owner: bool = False) -> _StoredKey:
    return _StoredKey(hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest(), key_id, roles, owner)
