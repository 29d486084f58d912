from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling. `subject` is an identifier safe to log (a key's id, a JWT `sub`)."""

    subject: str
    roles: frozenset[str]
    method: str  # "anonymous" | "api_key" | "jwt"
    # The deployment owner's key (api_keys.env_var): every permission, no rate limit. A flag,
    # not a role, so that no token or key variable can claim it.
    owner: bool = False


ANONYMOUS = Principal(subject="anonymous", roles=frozenset(), method="anonymous")
