/** Hard limits that keep hostile Dockfiles from exhausting memory or time (docs/dockfile-validation.md). */
export const limits = {
  /** Largest Dockfile or included file, in bytes. */
  maxFileBytes: 1024 * 1024,
  /** Values in the expanded document (aliases and includes count every time they expand). */
  maxNodes: 10_000,
  /**
   * YAML tokens per file (scalars, indicators, tags, anchors, aliases; not whitespace or comments),
   * checked by the lexer before parsing. A value takes at most 4 in ordinary YAML (`key: value,`),
   * so this admits every document within `maxNodes` and bounds the parser's time on the rest.
   */
  maxTokens: 40_000,
  /** Alias references per document: far above real use, far below a billion-laughs. */
  maxAliasCount: 100,
  /** Nesting depth of maps and sequences. */
  maxDepth: 64,
  /** Pre-parse bound on nesting (the parser recurses and overflows the stack near ~500 levels). */
  maxParseDepth: 128,
  /** `!include` nesting. */
  maxIncludeDepth: 8,
  /** One python run (all redact patterns, or all modules for --check-imports); then the JS fallback. */
  pythonTimeoutMs: 5_000,
} as const;
