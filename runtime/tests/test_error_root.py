"""Every exception class the runtime defines derives from one root, DockrionRuntimeError."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import dockrion_runtime
from dockrion_runtime.errors import ApiError, DockrionRuntimeError


def _runtime_exception_classes() -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    for module_info in pkgutil.walk_packages(dockrion_runtime.__path__, "dockrion_runtime."):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_every_runtime_error_has_the_one_root() -> None:
    classes = _runtime_exception_classes()
    names = {cls.__name__ for cls in classes}
    # The ones the issue named, so a rename cannot make this test vacuous.
    assert {"ConfigError", "MissingSecretError", "AuthSetupError", "JwtConfigError", "InvalidToken"} <= names
    outside = sorted(cls.__qualname__ for cls in classes if not issubclass(cls, DockrionRuntimeError))
    assert outside == []
    assert issubclass(ApiError, DockrionRuntimeError)


def test_value_errors_stay_value_errors() -> None:
    # Pydantic turns a ValueError raised in a validator into a validation error; these must still be one.
    from dockrion_runtime.policies.patterns import PatternError
    from dockrion_runtime.policies.safety import RedactPatternError
    from dockrion_runtime.ratelimit import RateLimitSyntaxError

    for cls in (PatternError, RedactPatternError, RateLimitSyntaxError):
        assert issubclass(cls, ValueError)
