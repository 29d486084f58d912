/** Values that break naive encoders: YAML syntax, shell syntax, escapes, multi-byte text, emptiness. */
export const TRICKY_VALUES: Record<string, string> = {
  DOLLAR: 'pa$$word $HOME ${NAME} $(id)',
  QUOTES: `it's "quoted" \`back\``,
  BACKSLASH: 'C:\\path\\to\\n\\\\end\\',
  MULTILINE: '-----BEGIN KEY-----\nline one\r\nline two\n-----END KEY-----\n',
  UNICODE: 'ünïcødé ✓ 日本語 🎉 \u00a0nbsp',
  YAML_LOOKALIKE: 'key: value # not a comment\n- item\n&anchor *alias',
  BOOL_LOOKALIKE: 'true',
  NULL_LOOKALIKE: '~',
  NUMBER_LOOKALIKE: '0755',
  SPACES: '  leading and trailing  ',
  EMPTY: '',
  LONG: 'x'.repeat(10_000),
};
