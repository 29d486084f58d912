import { describe, expect, it } from 'vitest';
import { normalizeDockfile, validateDockfileText } from '../../action/dockfile/index.ts';
import type { Dockfile } from '../../action/dockfile/types.ts';

const validate = (text: string) =>
  validateDockfileText(`version: "1.0"\n${text}`, 'Dockfile.yaml', { processEnv: {}, python: null });

describe('an explicit null on an optional field means "not set" (as in the Python tool)', () => {
  it('auth.api_keys.prefix: null from a Python-tool Dockfile is not error 4002', async () => {
    const result = await validate(
      'agent: {name: a, handler: "app:run"}\nauth:\n  mode: api_key\n  api_keys:\n    prefix: null\n    env_var: null\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.spec?.auth?.api_keys).toEqual({});
    // Not set, so the default applies, as for an absent key.
    expect(normalizeDockfile(result.spec as Dockfile).auth.api_keys?.env_var).toBe('DOCKRION_API_KEY');
  });

  it('optional fields in every section, and whole optional sections', async () => {
    const result = await validate(
      [
        'agent: {name: a, handler: "app:run", description: null, framework: null}',
        'auth: {mode: none}',
        'expose: null',
        'policies: {safety: {max_output_chars: 1000, redact_patterns: null}}',
        'metadata: {version: null}',
        'streaming: {backend: null}',
        'deploy:',
        '  environments:',
        '    staging: {target: compose, namespace: null, secrets: null}',
        '',
      ].join('\n'),
    );
    expect(result.errors).toEqual([]);
    expect(result.spec).toMatchObject({
      agent: { name: 'a', handler: 'app:run' },
      metadata: {},
      streaming: {},
      deploy: { environments: { staging: { target: 'compose' } } },
    });
    expect(JSON.stringify(result.spec)).not.toContain('null');
    const normalized = normalizeDockfile(result.spec as Dockfile);
    expect(normalized.agent.framework).toBe('custom');
    expect(normalized.expose.port).toBe(8080);
  });

  it('null on a required field, or as a list item, is still an error', async () => {
    const result = await validate('agent: {name: null, handler: "app:run"}\nauth:\n  roles: [null]\n');
    expect(result.errors.map((e) => [e.code, e.path, e.message])).toEqual([
      [4002, 'agent.name', 'agent.name must be a string, found null'],
      [4002, 'auth.roles[0]', 'auth.roles[0] must be a map, found null'],
    ]);
  });

  it('free-form data keeps its nulls: x-* extensions, extra metadata keys, inline JSON Schemas', async () => {
    const result = await validate(
      [
        'agent: {name: a, handler: "app:run"}',
        'auth: {mode: none}',
        'policies: {safety: {max_output_chars: 1000}}',
        'x-team: {owner: null}',
        'metadata: {ticket: null}',
        'arguments: {flag: null}',
        'io_schema:',
        '  input: {type: object, properties: {q: {type: string, default: null}}}',
        '  output: {type: object}',
        '',
      ].join('\n'),
    );
    expect(result.errors).toEqual([]);
    expect(result.spec).toMatchObject({
      'x-team': { owner: null },
      metadata: { ticket: null },
      arguments: { flag: null },
      io_schema: { input: { properties: { q: { default: null } } } },
    });
  });

  it('normalize treats null like an absent key for a hand-built config', () => {
    const normalized = normalizeDockfile({
      version: '1.0',
      agent: { name: 'a', handler: 'app:run', framework: null },
      expose: { port: null },
    } as unknown as Dockfile);
    expect(normalized.agent.framework).toBe('custom');
    expect(normalized.expose.port).toBe(8080);
  });
});
