"""JWT bearer verification (mode `jwt`, and `oauth2` = JWT access tokens checked via JWKS).

Keys: HS* with `jwt.secret_key`; RS*/ES*/PS* with the PEM in env `jwt.public_key_env`, or with
keys fetched from `jwks_url` (cached). The token's `alg` must be in the allow-list *and* match
the family of the key it will be checked with, so `alg: none` and HS/RS confusion (an RSA public
key used as an HMAC secret) are rejected before any signature check.

Claims: `exp` and `sub` are required, and `iat` too when `expiry_minutes` is set (a lifetime
cannot be bounded without it); `iss`/`aud` are checked when configured, with `leeway_seconds`.
Roles come from `role` (string) or `roles` (list), and only declared roles (`auth.roles`) count:
a token cannot name itself into anything else. For oauth2, configured `scopes` must all be
present in `scope` (space-separated) or `scp` (list).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jwt
from jwt import PyJWKClient

from ..config import AuthConfig
from ..errors import DockrionRuntimeError
from .principal import Principal

HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"}
)
MIN_HMAC_SECRET_CHARS = 16


class JwtConfigError(DockrionRuntimeError):
    """Auth material for JWT mode is missing or unusable (message names no secret value)."""


class InvalidToken(DockrionRuntimeError):
    """The token is rejected; the message is safe to return to the client."""


class JwtVerifier:
    def __init__(self, auth: AuthConfig, environ: Mapping[str, str]):
        jwt_cfg = auth.jwt
        oauth_cfg = auth.oauth2
        self._secret = jwt_cfg.secret_key if jwt_cfg and jwt_cfg.secret_key else None
        if self._secret is not None and "${" in self._secret:
            raise JwtConfigError("auth.jwt.secret_key references a secret that is not declared in secrets")
        if self._secret is not None and len(self._secret) < MIN_HMAC_SECRET_CHARS:
            raise JwtConfigError(f"auth.jwt.secret_key must be at least {MIN_HMAC_SECRET_CHARS} characters")

        self._public_key: str | None = None
        if jwt_cfg and jwt_cfg.public_key_env:
            pem = environ.get(jwt_cfg.public_key_env)
            if not pem:
                raise JwtConfigError(f"missing required secret: {jwt_cfg.public_key_env}")
            self._public_key = pem.replace("\\n", "\n")

        jwks_url = (oauth_cfg.jwks_url if oauth_cfg and oauth_cfg.jwks_url else None) or (
            jwt_cfg.jwks_url if jwt_cfg else None)
        self._jwks = PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5) if jwks_url else None

        if self._secret is None and self._public_key is None and self._jwks is None:
            where = "auth.oauth2.jwks_url" if auth.mode == "oauth2" else "auth.jwt (secret_key, public_key_env or jwks_url)"
            raise JwtConfigError(f"{auth.mode} mode needs a key source: set {where}")

        requested = set(jwt_cfg.algorithms) if jwt_cfg and jwt_cfg.algorithms else None
        has_asymmetric = self._public_key is not None or self._jwks is not None
        default = (({"HS256"} if self._secret else set())
                   | ({"RS256", "ES256"} if has_asymmetric else set()))
        allowed = requested if requested is not None else default
        self._hmac_algs = frozenset(allowed & HMAC_ALGORITHMS) if self._secret else frozenset()
        self._asym_algs = frozenset(allowed & ASYMMETRIC_ALGORITHMS) if has_asymmetric else frozenset()
        if not self._hmac_algs and not self._asym_algs:
            raise JwtConfigError("auth.jwt.algorithms allows no algorithm that matches the configured key source")

        self._issuer = (oauth_cfg.issuer if oauth_cfg and oauth_cfg.issuer else None) or (
            jwt_cfg.issuer if jwt_cfg else None)
        self._audience = (oauth_cfg.audience if oauth_cfg and oauth_cfg.audience else None) or (
            jwt_cfg.audience if jwt_cfg else None)
        self._leeway = jwt_cfg.leeway_seconds if jwt_cfg else 0
        self._max_lifetime = jwt_cfg.expiry_minutes * 60 if jwt_cfg and jwt_cfg.expiry_minutes else None
        self._scopes = frozenset(oauth_cfg.scopes) if oauth_cfg else frozenset()
        self._declared_roles = frozenset(role.name for role in auth.roles)
        self._required_claims = ["exp", "sub"] + (["iat"] if self._max_lifetime is not None else [])

    @property
    def uses_network(self) -> bool:
        """True when verification may fetch JWKS (callers run it off the event loop)."""
        return self._jwks is not None

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("malformed bearer token") from None
        alg = header.get("alg")
        if not isinstance(alg, str):
            raise InvalidToken("token has no algorithm")
        if alg in self._hmac_algs:
            key: Any = self._secret
        elif alg in self._asym_algs:
            key = self._asymmetric_key(token, header)
        else:
            raise InvalidToken(f"token algorithm {alg!r} is not allowed")
        options: Any = {"require": self._required_claims, "verify_aud": self._audience is not None}
        try:
            claims = jwt.decode(token, key, algorithms=[alg], issuer=self._issuer,
                                audience=self._audience, leeway=self._leeway, options=options)
        except jwt.ExpiredSignatureError:
            raise InvalidToken("token has expired") from None
        except jwt.InvalidAudienceError:
            raise InvalidToken("token audience is not accepted") from None
        except jwt.InvalidIssuerError:
            raise InvalidToken("token issuer is not accepted") from None
        except jwt.MissingRequiredClaimError as exc:
            raise InvalidToken(f"token lacks the {exc.claim!r} claim") from None
        except jwt.ImmatureSignatureError:
            raise InvalidToken("token is not valid yet") from None
        except jwt.PyJWTError:
            raise InvalidToken("token signature or claims are invalid") from None
        self._check_lifetime(claims)
        self._check_scopes(claims)
        return Principal(subject=str(claims["sub"]), roles=_roles_from(claims) & self._declared_roles, method="jwt")

    def _asymmetric_key(self, token: str, header: Mapping[str, Any]) -> Any:
        if self._jwks is not None and (header.get("kid") or self._public_key is None):
            try:
                return self._jwks.get_signing_key_from_jwt(token).key
            except jwt.PyJWKClientConnectionError:
                raise InvalidToken("token signing keys are unavailable right now") from None
            except jwt.PyJWTError:
                raise InvalidToken("token signing key is unknown") from None
        return self._public_key

    def _check_lifetime(self, claims: Mapping[str, Any]) -> None:
        if self._max_lifetime is None:
            return
        issued_at = claims["iat"]  # required above; PyJWT has checked it is a number
        if float(claims["exp"]) - float(issued_at) > self._max_lifetime + self._leeway:
            raise InvalidToken("token lifetime exceeds auth.jwt.expiry_minutes")

    def _check_scopes(self, claims: Mapping[str, Any]) -> None:
        if not self._scopes:
            return
        granted: set[str] = set()
        scope = claims.get("scope")
        if isinstance(scope, str):
            granted.update(scope.split())
        scp = claims.get("scp")
        if isinstance(scp, list):
            granted.update(str(s) for s in scp)
        elif isinstance(scp, str):
            granted.update(scp.split())
        if not self._scopes <= granted:
            raise InvalidToken("token lacks a required scope")


def _roles_from(claims: Mapping[str, Any]) -> frozenset[str]:
    roles: set[str] = set()
    role = claims.get("role")
    if isinstance(role, str) and role:
        roles.add(role)
    many = claims.get("roles")
    if isinstance(many, list):
        roles.update(r for r in many if isinstance(r, str) and r)
    return frozenset(roles)
