"""io_schema: inline JSON Schema and Pydantic classes, input always, output when strict."""

from __future__ import annotations

import pytest

from conftest import base_config, client_for, error_of

INLINE = {
    "input": {"type": "object", "required": ["text"], "additionalProperties": False,
              "properties": {"text": {"type": "string", "minLength": 1},
                             "tags": {"type": "array", "items": {"type": "string"}},
                             "mode": {"enum": ["fast", "careful"]}}},
    "output": {"type": "object", "required": ["answer"], "properties": {"answer": {"type": "string"}}},
}


@pytest.mark.parametrize(("payload", "path", "fragment"), [
    ({}, "/", "'text' is a required property"),
    ({"text": ""}, "/text", "violates minLength: 1"),
    ({"text": 5}, "/text", 'violates type: "string"'),
    ({"text": "a", "tags": ["x", 3]}, "/tags/1", 'violates type: "string"'),
    ({"text": "a", "mode": "reckless"}, "/mode", 'violates enum: ["fast", "careful"]'),
    ({"text": "a", "extra": 1}, "/", "violates additionalProperties: false"),
    ([1, 2], "/", 'violates type: "object"'),
])
def test_inline_input_schema_rejects_with_422_and_paths(payload, path, fragment):
    with client_for(base_config(agent={"handler": "agents.plain:reflect"}, io_schema=INLINE)) as client:
        response = client.post("/invoke", json=payload)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "ValidationError"
    assert any(d["path"] == path and fragment in d["message"] for d in error["details"]), error["details"]


def test_422_never_echoes_the_rejected_input():
    # Issue 12 #6: jsonschema's messages quoted the value ("'jane@…' is not one of …").
    schema = {"input": {"type": "object", "additionalProperties": False,
                        "properties": {"mode": {"enum": ["fast"]}, "age": {"type": "integer"},
                                       "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
                                       "note": {"type": "string", "maxLength": 3}}}}
    payload = {"mode": "jane.doe@example.com", "age": "SSN 123-45-6789", "zip": "DE-10115 Berlin",
               "note": "card 4111111111111111", "diagnosis": "confidential"}
    with client_for(base_config(agent={"handler": "agents.plain:reflect"}, io_schema=schema)) as client:
        response = client.post("/invoke", json=payload)
    assert response.status_code == 422
    details = {d["path"]: d["message"] for d in error_of(response)["details"]}
    assert details == {"/": "violates additionalProperties: false (a property not in the schema)",
                       "/age": 'violates type: "integer"', "/mode": 'violates enum: ["fast"]',
                       "/note": "violates maxLength: 3", "/zip": 'violates pattern: "^[0-9]{5}$"'}
    for value in ("jane.doe", "123-45-6789", "Berlin", "4111111111111111", "confidential", "diagnosis"):
        assert value not in response.text


def test_inline_output_is_validated_when_strict_and_not_otherwise():
    raw = base_config(agent={"handler": "agents.plain:echo"}, io_schema=INLINE)
    with client_for(raw) as client:
        strict = client.post("/invoke", json={"text": "a"})
    assert strict.status_code == 500
    error = error_of(strict)
    assert error["code"] == "OutputValidationError"
    assert error["details"] == [{"path": "/", "message": "'answer' is a required property"}]
    raw["io_schema"]["strict"] = False
    with client_for(raw) as client:
        lenient = client.post("/invoke", json={"text": "a"})
    assert lenient.status_code == 200 and lenient.json()["output"] == {"echo": "a"}


def test_output_errors_never_quote_the_unredacted_output():
    raw = base_config(agent={"handler": "agents.plain:reflect"},
                      io_schema={"output": {"type": "object", "properties": {"card": {"type": "integer"}}}},
                      policies={"safety": {"redact_patterns": [r"\d{16}"], "block_prompt_injection": False}})
    with client_for(raw) as client:
        response = client.post("/invoke", json={"card": "4111111111111111 leaked-secret"})
    # The output check runs before output redaction, so it names the broken rule, never the value.
    assert response.status_code == 500
    assert error_of(response)["details"] == [{"path": "/card", "message": 'violates type: "integer"'}]
    assert "leaked-secret" not in response.text


@pytest.mark.parametrize("separator", [":", "."])
def test_pydantic_classes_both_reference_styles(separator):
    raw = base_config(agent={"handler": "agents.plain:typed"},
                      io_schema={"input_class": f"agents.models{separator}Question",
                                 "output_class": f"agents.models{separator}Answer"})
    with client_for(raw) as client:
        ok = client.post("/invoke", json={"text": "why?"})
        bad = client.post("/invoke", json={"text": "", "max_words": "many"})
    assert ok.status_code == 200
    # The handler annotated its parameter with the input class, so it got the model instance.
    assert ok.json()["output"] == {"answer": "why? (Question)", "confidence": 0.5}
    assert bad.status_code == 422
    paths = {d["path"] for d in error_of(bad)["details"]}
    assert paths == {"/text", "/max_words"}


def test_pydantic_output_class_is_enforced_when_strict():
    raw = base_config(agent={"handler": "agents.plain:wrong_output"},
                      io_schema={"input_class": "agents.models:Question", "output_class": "agents.models:Answer"})
    with client_for(raw) as client:
        strict = client.post("/invoke", json={"text": "q"})
    assert strict.status_code == 500
    assert {d["path"] for d in error_of(strict)["details"]} == {"/answer", "/confidence"}
    raw["io_schema"]["strict"] = False
    with client_for(raw) as client:
        lenient = client.post("/invoke", json={"text": "q"})
    assert lenient.json()["output"] == {"answer": 42}


def test_pydantic_input_defaults_reach_the_agent():
    raw = base_config(agent={"handler": "agents.plain:reflect"}, io_schema={"input_class": "agents.models:Question"})
    with client_for(raw) as client:
        output = client.post("/invoke", json={"text": "q"}).json()["output"]
    assert output == {"text": "q", "max_words": 50}


@pytest.mark.parametrize(("io_schema", "message"), [
    ({"input_class": "agents.models:Nope"}, "io_schema.input_class: module 'agents.models' has no attribute 'Nope'"),
    ({"input_class": "agents.plain:echo"}, "is not a Pydantic v2 model class"),
])
def test_bad_classes_fail_the_load_with_a_clear_message(io_schema, message):
    from fastapi.testclient import TestClient

    from conftest import build_app

    app = build_app(base_config(io_schema=io_schema))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/ready").status_code == 503
    assert app.state.runtime.load_error == message or message in app.state.runtime.load_error


def test_invalid_inline_schema_fails_at_start_up():
    from conftest import build_app
    from dockrion_runtime.io_contract import IoSchemaError

    with pytest.raises(IoSchemaError, match=r"io_schema\.input is not a valid JSON Schema"):
        build_app(base_config(io_schema={"input": {"type": "object", "properties": {"a": {"type": "strang"}}}}))
