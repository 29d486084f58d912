import { describe, expect, it } from 'vitest';
import type { Diagnostic, ValidationResult } from '../../action/dockfile/types.ts';
import { formatJson } from '../../action/report/json.ts';
import { formatMarkdown } from '../../action/report/markdown.ts';
import { formatText } from '../../action/report/text.ts';
import { escapeData, escapeProperty, formatWorkflowCommands } from '../../action/report/workflow-commands.ts';

const diagnostic: Diagnostic = {
  code: 4006,
  name: 'PolicyValidationError',
  path: 'policies.safety.redact_patterns[0]',
  file: 'dir,with:odd/Dockfile.yaml',
  line: 7,
  column: 5,
  message: 'redact pattern does not compile: 100% | broken <b>\r\nsecond line',
  hint: 'escape it',
  severity: 'error',
};
const result: ValidationResult = { valid: false, file: 'Dockfile.yaml', errors: [diagnostic], warnings: [] };

describe('report formats', () => {
  it('escapes workflow commands exactly as the toolkit does', () => {
    expect(escapeData('a%b\r\nc')).toBe('a%25b%0D%0Ac');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(formatWorkflowCommands([diagnostic])).toBe(
      '::error file=dir%2Cwith%3Aodd/Dockfile.yaml,line=7,col=5,title=4006 PolicyValidationError at policies.safety.redact_patterns[0]::redact pattern does not compile: 100%25 | broken <b>%0D%0Asecond line%0Ahint: escape it\n',
    );
  });

  it('keeps Markdown tables intact and inert', () => {
    const markdown = formatMarkdown(result, { blobUrl: (file, line) => `https://x/${file}#L${line}` });
    const row = markdown.split('\n').find((l) => l.startsWith('| ❌'));
    expect(row).toBe(
      '| ❌ error | 4006 PolicyValidationError | `policies.safety.redact_patterns[0]` | [`dir,with:odd/Dockfile.yaml:7:5`](https://x/dir,with:odd/Dockfile.yaml#L7) | `redact pattern does not compile: 100% \\| broken <b>`<br>`second line`<br>hint: `escape it` |',
    );
    expect(formatMarkdown({ ...result, valid: true, errors: [] })).toBe(
      '### Dockrion: Dockfile validation\n\n✅ `Dockfile.yaml` **is valid** — no problems found.\n',
    );
  });

  it('prints text without an excerpt when the source is unavailable, and JSON without severity', () => {
    expect(formatText(result, () => undefined)).toBe(
      `${diagnostic.file}:7:5: error 4006 PolicyValidationError at policies.safety.redact_patterns[0]: ${diagnostic.message}\n  hint: escape it\nDockfile.yaml: invalid (1 error, 0 warnings)\n`,
    );
    const json = JSON.parse(formatJson(result));
    expect(json.errors[0]).not.toHaveProperty('severity');
    expect(json.errors[0].hint).toBe('escape it');
  });
});
