"""The agent's input/output contract from `io_schema`: inline JSON Schema or Pydantic classes."""

from __future__ import annotations

from typing import Any

from .adapters import AgentLoadError, import_object
from .adapters.base import to_jsonable
from .config import IoSchemaConfig
from .errors import DockrionRuntimeError, InputValidationFailed, OutputValidationFailed
from .fast_schema import compile_fast_check
from .policies.patterns import PatternError, compile_pattern, schema_patterns, search_pattern

MAX_REPORTED_ERRORS = 20
_MAX_MESSAGE = 200


class IoSchemaError(DockrionRuntimeError):
    """io_schema cannot be used (bad inline schema, class not importable)."""


class IoContract:
    """Validates what goes in and out of the agent and describes it for /schema and OpenAPI."""

    def __init__(self, config: IoSchemaConfig):
        self.strict = config.strict
        # Pydantic model classes, loaded by import: only their model_* methods are used.
        self.input_class: Any = None
        self.output_class: Any = None
        self._input_validator = self._output_validator = None
        self._input_fast = self._output_fast = None
        if config.input_class or config.output_class:
            self.input_class = _load_model(config.input_class, "input_class") if config.input_class else None
            self.output_class = _load_model(config.output_class, "output_class") if config.output_class else None
            self.input_schema = _model_schema(self.input_class)
            self.output_schema = _model_schema(self.output_class)
        else:
            self.input_schema = config.input
            self.output_schema = config.output
            if config.input:
                self._input_validator = _json_schema_validator(config.input, "io_schema.input")
                self._input_fast = compile_fast_check(config.input)
            if config.output:
                self._output_validator = _json_schema_validator(config.output, "io_schema.output")
                self._output_fast = compile_fast_check(config.output)

    def validate_input(self, payload: Any) -> Any:
        if self.input_class is not None:
            from pydantic import ValidationError

            try:
                return self.input_class.model_validate(payload).model_dump(mode="json")
            except ValidationError as exc:
                raise InputValidationFailed(details=_pydantic_details(exc)) from None
        if self._input_validator is not None and not (self._input_fast is not None and self._input_fast(payload)):
            errors = _schema_errors(self._input_validator, payload)
            if errors:
                raise InputValidationFailed(details=errors)
        return payload

    def shape_output(self, output: Any) -> Any:
        """JSON-ready output; validated against the output schema when `strict`."""
        if self.output_class is not None:
            if isinstance(output, self.output_class):
                return output.model_dump(mode="json")
            jsonable = to_jsonable(output)
            if not self.strict:
                return jsonable
            from pydantic import ValidationError

            try:
                return self.output_class.model_validate(jsonable).model_dump(mode="json")
            except ValidationError as exc:
                raise OutputValidationFailed(details=_pydantic_details(exc)) from None
        jsonable = to_jsonable(output)
        if self.strict and self._output_validator is not None and not (
                self._output_fast is not None and self._output_fast(jsonable)):
            errors = _schema_errors(self._output_validator, jsonable)
            if errors:
                raise OutputValidationFailed(details=errors)
        return jsonable


def _load_model(reference: str, field: str) -> type:
    try:
        model = import_object(reference, allow_dotted=True)
    except AgentLoadError as exc:
        raise IoSchemaError(f"io_schema.{field}: {exc}") from None
    if not (isinstance(model, type) and hasattr(model, "model_validate") and hasattr(model, "model_json_schema")):
        raise IoSchemaError(f"io_schema.{field}: {reference!r} is not a Pydantic v2 model class")
    return model


def _model_schema(model: Any) -> dict[str, Any] | None:
    if model is None:
        return None
    schema: dict[str, Any] = model.model_json_schema()
    return schema


class _Re2Search:
    """Stands in for the `re` module inside jsonschema's keyword code, which calls only
    `re.search` (for `pattern`, `patternProperties`, and the additional/unevaluated property
    checks). The patterns are the Dockfile's and the text is the caller's input: RE2 keeps that
    linear, like every other Dockfile regex (policies/patterns.py)."""

    search = staticmethod(search_pattern)


def _use_re2_in_jsonschema() -> None:
    import jsonschema._keywords
    import jsonschema._utils

    jsonschema._keywords.re = _Re2Search
    jsonschema._utils.re = _Re2Search


def _json_schema_validator(schema: dict[str, Any], where: str) -> Any:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise IoSchemaError(f"{where} is not a valid JSON Schema: {exc.message}") from None
    for location, regex in schema_patterns(schema, where):
        try:
            compile_pattern(regex)
        except PatternError as exc:
            raise IoSchemaError(f"{location}: the pattern is not a valid RE2 pattern: {exc}") from None
    _use_re2_in_jsonschema()
    return Draft202012Validator(schema)


def _schema_errors(validator: Any, instance: Any) -> list[dict[str, str]]:
    """Errors as {path, message}: the path names the field, the message names the broken rule.
    Never the value: an input may carry personal data, and an output has not been redacted yet."""
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    return [
        {"path": "/" + "/".join(str(p) for p in error.absolute_path), "message": _clip(_rule_of(error))}
        for error in errors[:MAX_REPORTED_ERRORS]
    ]


def _rule_of(error: Any) -> str:
    import json

    if error.validator == "required":
        return str(error.message)  # "'name' is a required property": the field, from the schema
    if error.validator in ("additionalProperties", "unevaluatedProperties") and error.validator_value is False:
        return f"violates {error.validator}: false (a property not in the schema)"
    rule = json.dumps(error.validator_value, default=str)
    return f"violates {error.validator}: {rule if len(rule) <= 80 else rule[:79] + '…'}"


def _pydantic_details(exc: Any) -> list[dict[str, str]]:
    return [
        {"path": "/" + "/".join(str(p) for p in error["loc"]), "message": _clip(error["msg"])}
        for error in exc.errors(include_url=False, include_input=False)[:MAX_REPORTED_ERRORS]
    ]


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"
