from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling. `subject` is an identifier safe to log (a key's id, a JWT `sub`)."""

    subject: str
    roles: frozenset[str]
    method: str  # "anonymous" | "api_key" | "jwt"


ANONYMOUS = Principal(subject="anonymous", roles=frozenset(), method="anonymous")
