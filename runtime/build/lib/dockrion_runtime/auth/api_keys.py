"""API-key authentication.

Where keys come from (read once, at start-up):
- `api_keys.env_var` (default DOCKRION_API_KEY): one key. It carries no role, so it is the
  deployment owner's key: it passes every permission check (like "no roles declared").
- `api_keys.prefix` (multi-key): every env var named `<prefix>_<ROLE>` (or `<prefix><ROLE>` when
  the prefix ends in `_`) holds a key for role `<role>` (lowercased, `-`/`_` matched to the
  declared role names). DOCKRION_API_KEY_ADMIN → role `admin` with prefix DOCKRION_API_KEY.
Keys are compared as SHA-256 digests with hmac.compare_digest against every known key, so
neither a key's content nor its length shows in the timing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..config import ApiKeysConfig
from .principal import Principal


class NoApiKeysConfigured(Exception):
    def __init__(self, env_var: str):
        self.env_var = env_var
        super().__init__(f"missing required secret: {env_var}")


@dataclass(frozen=True, slots=True)
class _StoredKey:
    digest: bytes
    key_id: str
    roles: frozenset[str]


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
        return Principal(subject=found.key_id, roles=found.roles, method="api_key")


def load_api_keys(
    config: ApiKeysConfig, declared_roles: Iterable[str], environ: Mapping[str, str]
) -> ApiKeyStore:
    role_names = {_role_key(name): name for name in declared_roles}
    keys: list[_StoredKey] = []
    single = environ.get(config.env_var)
    if single:
        keys.append(_stored(single, config.env_var, frozenset({_OWNER_ROLE})))
    if config.prefix:
        stem = config.prefix if config.prefix.endswith("_") else config.prefix + "_"
        for name in sorted(environ):
            if name == config.env_var or not name.startswith(stem) or len(name) == len(stem):
                continue
            value = environ[name]
            if not value:
                continue
            suffix = name[len(stem):]
            role = role_names.get(_role_key(suffix), suffix.lower())
            keys.append(_stored(value, name, frozenset({role})))
    if not keys:
        wanted = config.env_var
        if config.prefix:
            stem = config.prefix if config.prefix.endswith("_") else config.prefix + "_"
            wanted += f" (or {stem}<ROLE>)"
        raise NoApiKeysConfigured(wanted)
    return ApiKeyStore(keys)


# The owner key's marker role; the authorizer grants it every permission.
_OWNER_ROLE = "__owner__"
OWNER_ROLE = _OWNER_ROLE


def _role_key(name: str) -> str:
    return name.lower().replace("-", "_")


def _stored(value: str, key_id: str, roles: frozenset[str]) -> _StoredKey:
    return _StoredKey(hashlib.sha256(value.encode()).digest(), key_id, roles)
