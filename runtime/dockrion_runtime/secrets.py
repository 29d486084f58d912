"""Runtime secret references: `${NAME}` in the config becomes the value of env NAME at start-up.

The config only ever holds secret *names*; values exist in this process's memory and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .errors import DockrionRuntimeError

SECRET_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")


class MissingSecretError(DockrionRuntimeError):
    """A required secret has no value in the environment."""

    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(f"missing required secret: {', '.join(names)}")


def declared_secrets(raw_config: Mapping[str, Any]) -> tuple[list[str], dict[str, str | None]]:
    """Return (required names, optional name -> default) from the config's `secrets` block."""
    block = raw_config.get("secrets") or {}
    required = [_secret_name(s) for s in block.get("required") or []]
    optional: dict[str, str | None] = {}
    for entry in block.get("optional") or []:
        default = entry.get("default") if isinstance(entry, Mapping) else None
        optional[_secret_name(entry)] = default
    return [n for n in required if n], {k: v for k, v in optional.items() if k}


def _secret_name(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping):
        return str(entry.get("name") or "")
    return ""


def resolve_secrets(raw_config: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """Check required secrets and substitute every `${NAME}` reference to a declared secret.

    References to undeclared names are left as written: validation already rejected them,
    so anything left is literal text that happens to look like a reference.
    """
    required, optional = declared_secrets(raw_config)
    missing = [name for name in required if not environ.get(name)]
    if missing:
        raise MissingSecretError(missing)
    declared = set(required) | set(optional)

    def substitute(match: re.Match[str]) -> str:
        name, inline_default = match.group(1), match.group(2)
        if name not in declared:
            return match.group(0)
        value = environ.get(name)
        if value:
            return value
        if inline_default is not None:
            return inline_default
        return optional.get(name) or ""

    def walk(node: Any, in_secrets_block: bool) -> Any:
        if isinstance(node, str):
            return SECRET_REF.sub(substitute, node) if "${" in node else node
        if isinstance(node, list):
            return [walk(item, in_secrets_block) for item in node]
        if isinstance(node, dict):
            return {
                key: (value if in_secrets_block else walk(value, False))
                for key, value in node.items()
            }
        return node

    # The secrets block describes secrets; its defaults are never themselves references.
    return {
        key: (value if key == "secrets" else walk(value, False)) for key, value in raw_config.items()
    }
