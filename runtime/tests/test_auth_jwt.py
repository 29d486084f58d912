"""jwt and oauth2 modes with real PyJWT tokens: HS256, RS256/ES256 from PEM, JWKS over loopback."""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from conftest import base_config, client_for, error_of
from dockrion_runtime.auth import AuthGate, AuthSetupError
from dockrion_runtime.config import AuthConfig

HS_SECRET = "a-very-long-hmac-secret-for-tests"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def pem_public(key) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def claims(**extra):
    now = int(time.time())
    return {"sub": "user@example.com", "iat": now, "exp": now + 600, **extra}


def hs_config(**jwt_extra):
    return base_config(
        secrets={"required": [{"name": "JWT_SECRET"}]},
        auth={"mode": "jwt", "jwt": {"secret_key": "${JWT_SECRET}", **jwt_extra},
              "roles": [{"name": "developer", "permissions": ["invoke"]},
                        {"name": "viewer", "permissions": ["view_metrics"]}]})


HS_ENV = {"JWT_SECRET": HS_SECRET}


def call(client, token, path="/invoke"):
    return client.post(path, json={"text": "a"}, headers={"Authorization": f"Bearer {token}"})


def test_hs256_token_with_role_is_accepted_and_roles_are_enforced():
    with client_for(hs_config(), HS_ENV) as client:
        developer = call(client, jwt.encode(claims(role="developer"), HS_SECRET, algorithm="HS256"))
        viewer = call(client, jwt.encode(claims(roles=["viewer"]), HS_SECRET, algorithm="HS256"))
        viewer_metrics = client.get("/metrics", headers={
            "Authorization": f"Bearer {jwt.encode(claims(roles=['viewer']), HS_SECRET, algorithm='HS256')}"})
    assert developer.status_code == 200
    assert viewer.status_code == 403
    assert viewer_metrics.status_code == 200


@pytest.mark.parametrize(("token_claims", "message"), [
    (claims(exp=int(time.time()) - 120), "token has expired"),
    ({"sub": "x"}, "token lacks the 'exp' claim"),
    ({"exp": int(time.time()) + 60}, "token lacks the 'sub' claim"),
])
def test_bad_claims_are_401(token_claims, message):
    with client_for(hs_config(), HS_ENV) as client:
        response = call(client, jwt.encode(token_claims, HS_SECRET, algorithm="HS256"))
    assert response.status_code == 401
    assert error_of(response)["message"] == message


def test_wrong_signature_and_garbage_are_401():
    with client_for(hs_config(), HS_ENV) as client:
        wrong_key = call(client, jwt.encode(claims(), "another-secret-of-enough-length-for-sha256", algorithm="HS256"))
        garbage = call(client, "abc.def.ghi")
        not_a_jwt = call(client, "opaque-token")
    assert [r.status_code for r in (wrong_key, garbage, not_a_jwt)] == [401, 401, 401]
    assert error_of(wrong_key)["message"] == "token signature or claims are invalid"


def test_alg_none_is_rejected():
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(claims(role="developer")).encode()).rstrip(b"=").decode()
    with client_for(hs_config(), HS_ENV) as client:
        response = call(client, f"{header}.{body}.")
    assert response.status_code == 401
    assert error_of(response)["message"] == "token algorithm 'none' is not allowed"


def test_issuer_audience_and_leeway():
    raw = hs_config(issuer="https://issuer.example", audience="agents", leeway_seconds=30)
    with client_for(raw, HS_ENV) as client:
        good = call(client, jwt.encode(claims(iss="https://issuer.example", aud="agents", role="developer",
                                              exp=int(time.time()) - 10), HS_SECRET, algorithm="HS256"))
        wrong_iss = call(client, jwt.encode(claims(iss="https://other", aud="agents"), HS_SECRET, algorithm="HS256"))
        wrong_aud = call(client, jwt.encode(claims(iss="https://issuer.example", aud="others"), HS_SECRET,
                                            algorithm="HS256"))
    assert good.status_code == 200  # expired 10 s ago, inside the 30 s leeway
    assert error_of(wrong_iss)["message"] == "token issuer is not accepted"
    assert error_of(wrong_aud)["message"] == "token audience is not accepted"


def test_expiry_minutes_caps_token_lifetime():
    with client_for(hs_config(expiry_minutes=5), HS_ENV) as client:
        long_lived = call(client, jwt.encode(claims(exp=int(time.time()) + 3600, role="developer"), HS_SECRET,
                                             algorithm="HS256"))
        short_lived = call(client, jwt.encode(claims(exp=int(time.time()) + 120, role="developer"), HS_SECRET,
                                              algorithm="HS256"))
    assert long_lived.status_code == 401
    assert short_lived.status_code == 200


def test_jwt_expiry_minutes_without_iat_is_rejected():
    # Issue 12 #3: a 10-day token without `iat` passed expiry_minutes: 5.
    without_iat = {"sub": "user@example.com", "exp": int(time.time()) + 10 * 86400, "role": "developer"}
    with client_for(hs_config(expiry_minutes=5), HS_ENV) as client:
        response = call(client, jwt.encode(without_iat, HS_SECRET, algorithm="HS256"))
    assert response.status_code == 401
    assert error_of(response)["message"] == "token lacks the 'iat' claim"
    # Without expiry_minutes, `iat` stays optional.
    with client_for(hs_config(), HS_ENV) as client:
        assert call(client, jwt.encode(without_iat, HS_SECRET, algorithm="HS256")).status_code == 200


@pytest.mark.parametrize("claimed", [{"roles": ["__owner__"]}, {"role": "__owner__"}, {"roles": ["admin", "root"]}])
def test_jwt_claimed_owner_or_undeclared_roles_grant_nothing(claimed):
    # Issue 12 #3: `roles: ["__owner__"]` got every permission and no rate limit.
    raw = hs_config()
    raw["auth"]["rate_limits"] = {"developer": "1/hour"}
    with client_for(raw, HS_ENV) as client:
        token = jwt.encode(claims(**claimed), HS_SECRET, algorithm="HS256")
        invoke = call(client, token)
        metrics = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert invoke.status_code == 403 and metrics.status_code == 403
    assert error_of(invoke)["code"] == "Forbidden"


def test_jwt_roles_are_limited_to_declared_roles():
    gate = AuthGate(AuthConfig.model_validate({"mode": "jwt", "jwt": {"secret_key": HS_SECRET},
                                               "roles": [{"name": "developer", "permissions": ["invoke"]}]}), {})
    principal = gate.jwt.verify(jwt.encode(claims(roles=["developer", "__owner__", "admin"]), HS_SECRET,
                                           algorithm="HS256"))
    assert principal.roles == frozenset({"developer"}) and principal.owner is False


def rs_config(**jwt_extra):
    return base_config(auth={"mode": "jwt", "jwt": {"public_key_env": "JWT_PUBLIC_KEY", **jwt_extra}})


def test_rs256_and_es256_from_public_key_env():
    with client_for(rs_config(), {"JWT_PUBLIC_KEY": pem_public(RSA_KEY)}) as client:
        rs = call(client, jwt.encode(claims(), RSA_KEY, algorithm="RS256"))
    with client_for(rs_config(), {"JWT_PUBLIC_KEY": pem_public(EC_KEY)}) as client:
        es = call(client, jwt.encode(claims(), EC_KEY, algorithm="ES256"))
    assert rs.status_code == 200 and es.status_code == 200


def test_hs_rs_confusion_is_rejected():
    """The classic attack: sign HS256 with the server's RSA *public* key as the HMAC secret."""
    public_pem = pem_public(RSA_KEY)
    # PyJWT refuses to sign with a PEM as HMAC secret, so the forgery is assembled by hand.
    forged = _hmac_sign(claims(), public_pem.encode())
    with client_for(rs_config(algorithms=["RS256", "HS256"]), {"JWT_PUBLIC_KEY": public_pem}) as client:
        response = call(client, forged)
    assert response.status_code == 401
    assert error_of(response)["message"] == "token algorithm 'HS256' is not allowed"


def _hmac_sign(payload: dict, secret: bytes) -> str:
    import hashlib
    import hmac

    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + b"." + b64(json.dumps(payload).encode())
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + b64(signature)).decode()


def test_algorithm_allow_list_excludes_unlisted_asymmetric_algorithms():
    with client_for(rs_config(algorithms=["ES256"]), {"JWT_PUBLIC_KEY": pem_public(RSA_KEY)}) as client:
        response = call(client, jwt.encode(claims(), RSA_KEY, algorithm="RS256"))
    assert error_of(response)["message"] == "token algorithm 'RS256' is not allowed"


@contextlib.contextmanager
def jwks_server(keys: list[dict]):
    body = json.dumps({"keys": keys}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_oauth2_mode_validates_access_tokens_via_jwks_with_scopes():
    rsa_jwk = {**RSAAlgorithm.to_jwk(RSA_KEY.public_key(), as_dict=True), "kid": "rsa-1", "use": "sig"}
    ec_jwk = {**ECAlgorithm.to_jwk(EC_KEY.public_key(), as_dict=True), "kid": "ec-1", "use": "sig"}
    with jwks_server([rsa_jwk, ec_jwk]) as url:
        raw = base_config(auth={"mode": "oauth2", "oauth2": {"jwks_url": url, "issuer": "https://idp.example",
                                                              "audience": "agent-api", "scopes": ["agent.invoke"]}})
        with client_for(raw) as client:
            base = {"iss": "https://idp.example", "aud": "agent-api"}
            good_rs = call(client, jwt.encode(claims(**base, scope="openid agent.invoke"), RSA_KEY,
                                              algorithm="RS256", headers={"kid": "rsa-1"}))
            good_es = call(client, jwt.encode(claims(**base, scp=["agent.invoke"]), EC_KEY, algorithm="ES256",
                                              headers={"kid": "ec-1"}))
            no_scope = call(client, jwt.encode(claims(**base, scope="openid"), RSA_KEY, algorithm="RS256",
                                               headers={"kid": "rsa-1"}))
            unknown_kid = call(client, jwt.encode(claims(**base, scope="agent.invoke"), RSA_KEY, algorithm="RS256",
                                                  headers={"kid": "other"}))
            doc = client.get("/openapi.json").json()
    assert good_rs.status_code == 200 and good_es.status_code == 200
    assert error_of(no_scope)["message"] == "token lacks a required scope"
    assert error_of(unknown_kid)["message"] == "token signing key is unknown"
    assert doc["components"]["securitySchemes"] == {"BearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}


def test_jwt_mode_can_also_accept_api_keys_when_enabled():
    raw = hs_config()
    raw["auth"]["api_keys"] = {"enabled": True}
    with client_for(raw, {**HS_ENV, "DOCKRION_API_KEY": "service-key-123456"}) as client:
        by_key = client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": "service-key-123456"})
        by_token = call(client, jwt.encode(claims(role="developer"), HS_SECRET, algorithm="HS256"))
    assert by_key.status_code == 200 and by_token.status_code == 200


@pytest.mark.parametrize(("auth", "env", "message"), [
    ({"mode": "jwt", "jwt": {"secret_key": "short"}}, {}, "at least 16 characters"),
    ({"mode": "jwt", "jwt": {"public_key_env": "PUB"}}, {}, "missing required secret: PUB"),
    ({"mode": "jwt"}, {}, "needs a key source"),
    ({"mode": "oauth2"}, {}, "auth.oauth2.jwks_url"),
    ({"mode": "jwt", "jwt": {"secret_key": HS_SECRET, "algorithms": ["RS256"]}}, {}, "allows no algorithm"),
])
def test_unusable_jwt_settings_fail_at_start_up(auth, env, message):
    with pytest.raises(AuthSetupError, match=message):
        AuthGate(AuthConfig.model_validate(auth), env)
