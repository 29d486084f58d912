"""Authentication (who is calling) and authorization (may they use this endpoint)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import anyio.to_thread

from ..config import AuthConfig
from ..errors import DockrionRuntimeError, Forbidden, Unauthorized
from .api_keys import ApiKeyStore, NoApiKeysConfigured, load_api_keys
from .principal import ANONYMOUS, Principal

__all__ = ["AuthGate", "AuthSetupError", "HeaderList", "Permission", "Principal"]


class Permission:
    INVOKE = "invoke"
    VIEW_METRICS = "view_metrics"


class HeaderList(Mapping[str, str]):
    """Lower-cased (name, value) pairs that keep repeats, like Starlette's Headers, for headers
    assembled by hand (the WebSocket handshake's subprotocol credentials)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self._pairs = [(name.lower(), value) for name, value in pairs]

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self._pairs if key == name]

    def __getitem__(self, name: str) -> str:
        for key, value in self._pairs:
            if key == name:
                return value
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(key for key, _ in self._pairs))

    def __len__(self) -> int:
        return len(dict.fromkeys(key for key, _ in self._pairs))


class AuthSetupError(DockrionRuntimeError):
    """Auth cannot start (missing key material); one line, names no secret value."""


class AuthGate:
    def __init__(self, auth: AuthConfig, environ: Mapping[str, str], declared_secrets: Iterable[str] = ()):
        self.mode = auth.mode
        self.enabled = auth.mode != "none"
        self.api_keys: ApiKeyStore | None = None
        self.api_key_header = auth.api_keys.header
        self._api_key_header_lower = auth.api_keys.header.lower()
        self.allow_bearer_key = auth.api_keys.allow_bearer
        self.jwt = None
        declared = [role.name for role in auth.roles]
        self._permissions: dict[str, frozenset[str]] | None = (
            {role.name: frozenset(role.permissions) for role in auth.roles} if auth.roles else None
        )
        if not self.enabled:
            return

        wants_keys = auth.mode == "api_key" or auth.api_keys.enabled is True
        if auth.mode == "api_key" and auth.api_keys.enabled is False:
            raise AuthSetupError("auth.mode is api_key but auth.api_keys.enabled is false: nobody could call the agent")
        if wants_keys:
            try:
                self.api_keys = load_api_keys(auth.api_keys, declared, environ, declared_secrets)
            except NoApiKeysConfigured as exc:
                raise AuthSetupError(str(exc)) from None
        if auth.mode in ("jwt", "oauth2"):
            from .jwt_bearer import JwtConfigError, JwtVerifier

            try:
                self.jwt = JwtVerifier(auth, environ)
            except JwtConfigError as exc:
                raise AuthSetupError(str(exc)) from None

    @property
    def bearer_enabled(self) -> bool:
        return self.jwt is not None or (self.api_keys is not None and self.allow_bearer_key)

    async def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """`headers`: Starlette Headers (which keep repeated headers) or a plain mapping."""
        if not self.enabled:
            return ANONYMOUS
        # A repeated credential header is ambiguous (a proxy and a client may each read another
        # one), so the request is refused rather than authenticated by the first.
        for name in (self._api_key_header_lower, "authorization"):
            if _occurrences(headers, name) > 1:
                raise self._unauthorized(f"more than one {self._header_label(name)} header: send one")
        if self.api_keys is not None:
            presented = headers.get(self._api_key_header_lower)
            if presented is not None:
                principal = self.api_keys.lookup(presented)
                if principal is None:
                    raise self._unauthorized("invalid API key")
                return principal
        bearer = _bearer_token(headers.get("authorization"))
        if bearer is not None and self.bearer_enabled:
            if self.jwt is not None and bearer.count(".") == 2:
                from .jwt_bearer import InvalidToken

                try:
                    if self.jwt.uses_network:
                        return await anyio.to_thread.run_sync(self.jwt.verify, bearer)
                    return self.jwt.verify(bearer)
                except InvalidToken as exc:
                    raise self._unauthorized(str(exc)) from None
            if self.api_keys is not None and self.allow_bearer_key:
                principal = self.api_keys.lookup(bearer)
                if principal is not None:
                    return principal
                raise self._unauthorized("invalid API key")
            raise self._unauthorized("malformed bearer token")
        raise self._unauthorized(f"missing credentials: send {self._expected_credentials()}")

    def authorize(self, principal: Principal, permission: str) -> None:
        if not self.enabled or self._permissions is None or principal.owner:
            return
        for role in principal.roles:
            if permission in self._permissions.get(role, ()):
                return
        raise Forbidden(f"permission {permission!r} is required for this endpoint",
                        details={"required_permission": permission})

    def _expected_credentials(self) -> str:
        ways = []
        if self.api_keys is not None:
            ways.append(f"the {self.api_key_header} header")
        if self.bearer_enabled:
            ways.append("an Authorization: Bearer token")
        return " or ".join(ways)

    def _header_label(self, lower_name: str) -> str:
        return self.api_key_header if lower_name == self._api_key_header_lower else "Authorization"

    def _unauthorized(self, message: str) -> Unauthorized:
        challenge = 'Bearer realm="dockrion"' if self.bearer_enabled else f'ApiKey header="{self.api_key_header}"'
        return Unauthorized(message, headers={"WWW-Authenticate": challenge})

    def security_schemes(self) -> dict[str, Any]:
        schemes: dict[str, Any] = {}
        if not self.enabled:
            return schemes
        if self.api_keys is not None:
            schemes["ApiKeyAuth"] = {"type": "apiKey", "in": "header", "name": self.api_key_header}
        if self.jwt is not None:
            schemes["BearerAuth"] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        elif self.api_keys is not None and self.allow_bearer_key:
            schemes["BearerAuth"] = {"type": "http", "scheme": "bearer"}
        return schemes


def _occurrences(headers: Mapping[str, str], name: str) -> int:
    getlist = getattr(headers, "getlist", None)
    if getlist is not None:
        return len(getlist(name))
    return 1 if name in headers else 0


def _bearer_token(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token
