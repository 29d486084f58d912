"""A compiled fast path for the common subset of inline JSON Schemas.

jsonschema is the authority (Draft 2020-12) and produces the error details; fastjsonschema
compiles the schema to Python once, which is several times cheaper per request. It is used
only when every keyword in the schema means the same in its draft-07 dialect, and a fast-path
rejection is always re-checked by jsonschema, so the fast path can only save time, never change
an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_SCHEMA_VALUED = {"items", "additionalProperties", "not", "propertyNames", "contains", "additionalItems"}
_SCHEMA_MAPS = {"properties"}
_SCHEMA_LISTS = {"anyOf", "allOf", "oneOf"}
_DATA_VALUED = {"enum", "const", "default", "examples", "required", "description", "title", "$comment",
                "deprecated", "readOnly", "writeOnly", "type", "minLength", "maxLength", "minimum", "maximum",
                "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
                "uniqueItems", "minProperties", "maxProperties", "format", "$schema"}
# `pattern` and `patternProperties` are left to jsonschema, which evaluates them on RE2
# (io_contract.py); fastjsonschema would run them on Python `re`, which can backtrack without bound.


def _same_in_both_dialects(schema: Any) -> bool:
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key in _DATA_VALUED:
            if key == "$schema" and "2020-12" not in str(value):
                return False
            continue
        if key in _SCHEMA_VALUED:
            if key == "items" and not isinstance(value, dict | bool):
                return False  # array-form items means something else in 2020-12
            if not _same_in_both_dialects(value):
                return False
        elif key in _SCHEMA_MAPS:
            if not isinstance(value, dict) or not all(_same_in_both_dialects(v) for v in value.values()):
                return False
        elif key in _SCHEMA_LISTS:
            if not isinstance(value, list) or not all(_same_in_both_dialects(v) for v in value):
                return False
        else:
            return False  # $ref, prefixItems, if/then/else, unevaluated*: jsonschema only
    return True


def compile_fast_check(schema: dict[str, Any]) -> Callable[[Any], bool] | None:
    """A function returning True when `instance` is certainly valid; None when not applicable."""
    if not _same_in_both_dialects(schema):
        return None
    try:
        import fastjsonschema
    except ImportError:
        return None
    draft07 = {k: v for k, v in schema.items() if k != "$schema"}
    try:
        validate = fastjsonschema.compile(draft07, use_formats=False)
    except Exception:  # a schema fastjsonschema cannot compile simply takes the slow path
        return None

    def check(instance: Any) -> bool:
        try:
            validate(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return check
