import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDockfile, validateDockfileText } from '../../action/dockfile/index.ts';
import { brief, codes, fixture, fixtures, fullExampleEnv } from './helpers.ts';

// AgentDock PRD §8.10 (examples, with DNS-safe agent names as docs/dockfile-validation.md requires) and §8.11 (vectors).
const minimal = fixture('prd-minimal.yaml');
const full = fixture('prd-full.yaml');

function validate(text: string, env: Record<string, string> = fullExampleEnv) {
  return validateDockfileText(text, 'Dockfile.yaml', { env, processEnv: {} });
}

describe('PRD golden vectors', () => {
  it('accepts the minimal example', async () => {
    const result = await loadDockfile(join(fixtures, 'prd-minimal.yaml'), { processEnv: {} });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.spec?.agent.name).toBe('doc-summarizer');
  });

  it('accepts the full example, including the dotted input_class', async () => {
    const result = await validate(full);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.spec?.io_schema?.input_class).toBe('app.schemas.InvoiceInput');
    expect(result.spec?.auth?.jwt?.secret_key).toBe(fullExampleEnv.JWT_SECRET);
  });

  it('keeps a declared secret as a ${NAME} reference instead of resolving it', async () => {
    const text = `${full}secrets:\n  required:\n    - name: JWT_SECRET\n`;
    const result = await validate(text, { LANGFUSE_PUBLIC: 'pk', LANGFUSE_SECRET: 'sk' });
    expect(result.valid).toBe(true);
    expect(result.spec?.auth?.jwt?.secret_key).toBe('${JWT_SECRET}');
  });

  it.each([
    ['minimal', minimal, 'doc-summarizer', 'doc_summarizer'],
    ['full', full, 'invoice-copilot', 'invoice_copilot'],
  ])(
    'rejects the verbatim PRD %s example name with the corrected name as hint',
    async (_, text, fixed, verbatim) => {
      const result = await validate(text.replace(`name: ${fixed}`, `name: ${verbatim}`));
      expect(brief(result.errors)).toEqual(['4002 agent.name @Dockfile.yaml:3:9']);
      expect(result.errors[0]?.hint).toBe(`use '${fixed}'`);
    },
  );

  it('missing agent.entrypoint → 4002', async () => {
    const result = await validate(minimal.replace('  entrypoint: src.agent:build_graph\n', ''));
    expect(codes(result)).toEqual([4002]);
    expect(result.errors[0]?.path).toBe('agent.entrypoint');
  });

  it('auth.mode jwt without jwt.secret_key → 4005', async () => {
    const result = await validate(full.replace('    secret_key: "${JWT_SECRET}"\n', ''));
    expect(codes(result)).toEqual([4005]);
    expect(result.errors[0]?.path).toBe('auth.jwt.secret_key');
  });

  it('expose.rest false with streaming none → 4010', async () => {
    const result = await validate(
      full.replace('  rest: true\n  streaming: sse', '  rest: false\n  streaming: none'),
    );
    expect(codes(result)).toEqual([4010]);
  });

  it('an invalid redact regex → 4006 (compiled with RE2, as the runtime runs it)', async () => {
    const result = await validate(full.replace('["\\\\d{16}"]', '["\\\\d{16}", "(?P<card>\\\\d+"]'));
    expect(codes(result)).toEqual([4006]);
    expect(result.errors[0]?.path).toBe('policies.safety.redact_patterns[1]');
    expect(result.errors[0]?.message).toContain('missing closing )');
  });

  it('input_class without output_class → 4004', async () => {
    const result = await validate(full.replace('  output_class: app.schemas.InvoiceOutput\n', ''));
    expect(codes(result)).toEqual([4004]);
    expect(result.errors[0]?.path).toBe('io_schema.output_class');
  });
});
