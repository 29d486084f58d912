/**
 * What an omitted Dockfile setting means, in one table: `normalizeDockfile` writes these into
 * `dockrion.json`, the generators and `dockrion run` take the port from here, and the Python
 * runtime's defaults (for a config with omitted blocks) are generated from it by `npm run gen:types`
 * into runtime/dockrion_runtime/_defaults.py: one constant per value, `expose.port` → EXPOSE_PORT.
 * Values are strings, booleans and numbers (the generator refuses anything else).
 */
export const RUNTIME_DEFAULTS = {
  /** `agent.framework` when the agent is a bare `handler`. */
  handlerFramework: 'custom',
  auth: { mode: 'api_key', apiKeys: { env_var: 'DOCKRION_API_KEY', header: 'X-API-Key' } },
  expose: { rest: true, streaming: 'sse', port: 8080, host: '0.0.0.0' },
  policies: {
    tools: { deny_by_default: true },
    safety: { block_prompt_injection: true, halt_on_violation: false },
  },
  observability: { log_level: 'info' },
} as const;
