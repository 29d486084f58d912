"""api_key mode: header, bearer, multi-key roles, constant-time lookup, permission matrix."""

from __future__ import annotations

import pytest

from conftest import base_config, client_for, error_of, log_lines
from dockrion_runtime.auth import AuthGate, AuthSetupError
from dockrion_runtime.config import AuthConfig

OWNER_KEY = "owner-key-0123456789abcdef"
ADMIN_KEY = "admin-key-0123456789abcdef"
DEV_KEY = "dev-key-0123456789abcdef"
VIEWER_KEY = "viewer-key-0123456789abcdef"

ROLES = [
    {"name": "admin", "permissions": ["invoke", "view_metrics", "deploy"]},
    {"name": "developer", "permissions": ["invoke"]},
    {"name": "viewer", "permissions": ["view_metrics", "read_docs"]},
]
MULTI_ENV = {"DOCKRION_API_KEY": OWNER_KEY, "DOCKRION_API_KEY_ADMIN": ADMIN_KEY,
             "DOCKRION_API_KEY_DEVELOPER": DEV_KEY, "DOCKRION_API_KEY_VIEWER": VIEWER_KEY}


def multi_key_config(**auth):
    return base_config(auth={"mode": "api_key", "api_keys": {"prefix": "DOCKRION_API_KEY"}, "roles": ROLES, **auth})


def test_default_header_accepts_the_key_and_rejects_others():
    with client_for(base_config(auth={"mode": "api_key"}), {"DOCKRION_API_KEY": OWNER_KEY}) as client:
        ok = client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": OWNER_KEY})
        wrong = client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": OWNER_KEY + "x"})
        missing = client.post("/invoke", json={"text": "a"})
        bearer_not_enabled = client.post("/invoke", json={"text": "a"}, headers={"Authorization": f"Bearer {OWNER_KEY}"})
    assert ok.status_code == 200
    assert wrong.status_code == 401 and error_of(wrong)["message"] == "invalid API key"
    assert OWNER_KEY not in wrong.text
    assert missing.status_code == 401 and "X-API-Key" in error_of(missing)["message"]
    assert missing.headers["www-authenticate"] == 'ApiKey header="X-API-Key"'
    assert bearer_not_enabled.status_code == 401


def test_custom_header_and_bearer_when_allowed():
    raw = base_config(auth={"mode": "api_key", "api_keys": {"env_var": "MY_KEY", "header": "X-Agent-Token",
                                                            "allow_bearer": True}})
    with client_for(raw, {"MY_KEY": OWNER_KEY}) as client:
        via_header = client.post("/invoke", json={"text": "a"}, headers={"X-Agent-Token": OWNER_KEY})
        via_bearer = client.post("/invoke", json={"text": "a"}, headers={"Authorization": f"Bearer {OWNER_KEY}"})
        bad_bearer = client.post("/invoke", json={"text": "a"}, headers={"Authorization": "Bearer nope"})
        old_header = client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": OWNER_KEY})
    assert via_header.status_code == 200
    assert via_bearer.status_code == 200
    assert bad_bearer.status_code == 401 and bad_bearer.headers["www-authenticate"].startswith("Bearer")
    assert old_header.status_code == 401


# Permission matrix: (key, endpoint) → expected status.
MATRIX = [
    (ADMIN_KEY, "invoke", 200), (ADMIN_KEY, "stream", 200), (ADMIN_KEY, "metrics", 200),
    (DEV_KEY, "invoke", 200), (DEV_KEY, "stream", 200), (DEV_KEY, "metrics", 403),
    (VIEWER_KEY, "invoke", 403), (VIEWER_KEY, "stream", 403), (VIEWER_KEY, "metrics", 200),
    (OWNER_KEY, "invoke", 200), (OWNER_KEY, "stream", 200), (OWNER_KEY, "metrics", 200),
    (None, "invoke", 401), (None, "stream", 401), (None, "metrics", 401),
    ("not-a-key", "invoke", 401), ("not-a-key", "metrics", 401),
]


@pytest.mark.parametrize(("key", "endpoint", "status"), MATRIX)
def test_permission_matrix(key, endpoint, status):
    headers = {"X-API-Key": key} if key else {}
    with client_for(multi_key_config(), MULTI_ENV) as client:
        if endpoint == "metrics":
            response = client.get("/metrics", headers=headers)
        else:
            path = "/invoke" if endpoint == "invoke" else "/invoke/stream"
            response = client.post(path, json={"text": "a"}, headers=headers)
    assert response.status_code == status, response.text
    if status == 403:
        error = error_of(response)
        assert error["code"] == "Forbidden"
        assert error["details"]["required_permission"] in ("invoke", "view_metrics")


def test_public_endpoints_need_no_credentials_when_auth_is_on():
    with client_for(multi_key_config(), MULTI_ENV) as client:
        for path in ("/health", "/ready", "/schema", "/openapi.json", "/docs"):
            assert client.get(path).status_code == 200, path


def test_without_roles_an_authenticated_caller_has_every_permission():
    # Without roles, a prefixed variable is a key only when it is a declared secret.
    raw = base_config(auth={"mode": "api_key", "api_keys": {"prefix": "TEAM_KEY"}},
                      secrets={"required": [{"name": "TEAM_KEY_OPS"}], "optional": []})
    with client_for(raw, {"TEAM_KEY_OPS": DEV_KEY}) as client:
        assert client.get("/metrics", headers={"X-API-Key": DEV_KEY}).status_code == 200
        assert client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": DEV_KEY}).status_code == 200


def test_metrics_are_public_when_auth_mode_is_none():
    with client_for(base_config()) as client:
        assert client.get("/metrics").status_code == 200


def test_auth_failures_are_counted_and_never_logged_with_the_key(captured_logs):
    with client_for(multi_key_config(), MULTI_ENV) as client:
        client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": "leaked-guess-123"})
        client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": VIEWER_KEY})
        text = client.get("/metrics", headers={"X-API-Key": ADMIN_KEY}).text
    assert 'dockrion_auth_failures_total{agent="test-agent",reason="unauthenticated",version="2.0.0"} 1.0' in text
    assert 'dockrion_auth_failures_total{agent="test-agent",reason="forbidden",version="2.0.0"} 1.0' in text
    logged = captured_logs.getvalue()
    statuses = [line["status"] for line in log_lines(captured_logs) if line["msg"] == "request"]
    assert statuses[:2] == [401, 403]
    for secret in ("leaked-guess-123", VIEWER_KEY, ADMIN_KEY):
        assert secret not in logged


def test_missing_key_material_fails_start_up_naming_the_variable():
    with pytest.raises(AuthSetupError, match="missing required secret: DOCKRION_API_KEY"):
        AuthGate(AuthConfig(mode="api_key"), {})
    with pytest.raises(AuthSetupError, match=r"DOCKRION_API_KEY \(or TEAM_<ROLE>\)"):
        AuthGate(AuthConfig.model_validate({"mode": "api_key", "api_keys": {"prefix": "TEAM"}}), {})
    with pytest.raises(AuthSetupError, match="enabled is false"):
        AuthGate(AuthConfig.model_validate({"mode": "api_key", "api_keys": {"enabled": False}}), {"DOCKRION_API_KEY": "x"})


def test_prefixed_key_roles_match_declared_names():
    gate = AuthGate(AuthConfig.model_validate({"mode": "api_key", "api_keys": {"prefix": "K_"},
                                               "roles": [{"name": "power-user", "permissions": ["invoke"]}]}),
                    {"K_POWER_USER": "pu-secret-value-0123", "K_": "ignored-empty-suffix"})
    principal = gate.api_keys.lookup("pu-secret-value-0123")
    assert principal is not None
    assert principal.roles == frozenset({"power-user"})
    assert principal.subject == "K_POWER_USER"
    assert gate.api_keys.lookup("ignored-empty-suffix") is None


RUNTIME_SETTINGS_ENV = {"DOCKRION_ENV": "staging", "DOCKRION_VERSION": "1.0.0",
                        "DOCKRION_SHUTDOWN_GRACE_SECONDS": "25", "DOCKRION_FAKE_MODEL": "echo-model-for-dockrion-run",
                        "DOCKRION_CONFIG": "/app/dockrion.json", "DOCKRION_LOG_LEVEL": "info"}


def test_api_key_prefix_dockrion_never_turns_the_runtime_settings_into_keys():
    # Issue 12 #2: with prefix DOCKRION, DOCKRION_ENV/VERSION/... authenticated with every permission.
    raw = base_config(auth={"mode": "api_key", "api_keys": {"prefix": "DOCKRION"},
                            # A role named like a setting still does not make the setting a key.
                            "roles": [{"name": "admin", "permissions": ["invoke"]},
                                      {"name": "env", "permissions": ["invoke"]}]})
    env = {**RUNTIME_SETTINGS_ENV, "DOCKRION_API_KEY": OWNER_KEY, "DOCKRION_ADMIN": ADMIN_KEY}
    with client_for(raw, env) as client:
        statuses = {name: client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": value}).status_code
                    for name, value in RUNTIME_SETTINGS_ENV.items()}
        admin = client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": ADMIN_KEY})
    assert statuses == dict.fromkeys(RUNTIME_SETTINGS_ENV, 401)
    assert admin.status_code == 200
    assert sorted(client.app.state.runtime.auth.api_keys.key_ids) == ["DOCKRION_ADMIN", "DOCKRION_API_KEY"]


def test_api_key_prefix_ignores_variables_that_name_no_declared_role_or_secret():
    raw = base_config(auth={"mode": "api_key", "api_keys": {"prefix": "TEAM_KEY"},
                            "roles": [{"name": "ops", "permissions": ["invoke"]}]})
    env = {"TEAM_KEY_OPS": DEV_KEY, "TEAM_KEY_HOSTNAME": "build-runner-0123456789", "TEAM_KEY_PATH": "/usr/local/bin:/usr/bin"}
    with client_for(raw, env) as client:
        assert client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": DEV_KEY}).status_code == 200
        for value in ("build-runner-0123456789", "/usr/local/bin:/usr/bin"):
            assert client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": value}).status_code == 401


def test_api_key_prefix_short_or_empty_values_are_never_keys(captured_logs):
    raw = base_config(auth={"mode": "api_key", "api_keys": {"prefix": "K"},
                            "roles": [{"name": "admin", "permissions": ["invoke"]},
                                      {"name": "viewer", "permissions": ["invoke"]},
                                      {"name": "ops", "permissions": ["invoke"]}]})
    env = {"K_ADMIN": "abc", "K_VIEWER": "", "K_OPS": DEV_KEY}
    with client_for(raw, env) as client:
        short = client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": "abc"})
        empty = client.post("/invoke", json={"text": "a"}, headers={"X-API-Key": ""})
    assert short.status_code == 401 and empty.status_code == 401
    warnings = [line for line in log_lines(captured_logs) if line.get("variable") == "K_ADMIN"]
    assert warnings and warnings[0]["level"] == "warning"
    assert '"abc"' not in captured_logs.getvalue()


@pytest.mark.parametrize("header", ["X-API-Key", "Authorization"])
def test_two_credential_headers_are_rejected_not_first_wins(header):
    # Issue 12 #6: with two X-API-Key headers the first one was taken.
    raw = multi_key_config(api_keys={"prefix": "DOCKRION_API_KEY", "allow_bearer": True})
    first, second = (ADMIN_KEY, "not-a-key") if header == "X-API-Key" else (f"Bearer {ADMIN_KEY}", "Bearer x")
    with client_for(raw, MULTI_ENV) as client:
        response = client.post("/invoke", json={"text": "a"}, headers=[(header, first), (header, second)])
        single = client.post("/invoke", json={"text": "a"}, headers=[(header, first)])
    assert response.status_code == 401
    assert f"more than one {header} header" in error_of(response)["message"]
    assert ADMIN_KEY not in response.text
    assert single.status_code == 200
