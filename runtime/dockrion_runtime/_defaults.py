"""What an omitted Dockfile setting means: RUNTIME_DEFAULTS of schemas/runtime-defaults.ts, one
constant per value, named by its path (`expose.port` → EXPOSE_PORT).

Generated from schemas/runtime-defaults.ts by `npm run gen:types` (scripts/gen-types.mjs). Do not edit.
"""

from typing import Final

HANDLER_FRAMEWORK: Final = "custom"
AUTH_MODE: Final = "api_key"
AUTH_API_KEYS_ENV_VAR: Final = "DOCKRION_API_KEY"
AUTH_API_KEYS_HEADER: Final = "X-API-Key"
EXPOSE_REST: Final = True
EXPOSE_STREAMING: Final = "sse"
EXPOSE_PORT: Final = 8080
EXPOSE_HOST: Final = "0.0.0.0"
POLICIES_TOOLS_DENY_BY_DEFAULT: Final = True
POLICIES_SAFETY_BLOCK_PROMPT_INJECTION: Final = True
POLICIES_SAFETY_HALT_ON_VIOLATION: Final = False
OBSERVABILITY_LOG_LEVEL: Final = "info"
