import { describe, expect, it } from 'vitest';
import { validateDockfileText } from '../../action/dockfile/index.ts';

const head = 'version: "1.0"\nagent: {name: x, handler: "a:b"}\nauth: {mode: api_key}\n';

async function problems(body: string): Promise<string[]> {
  const result = await validateDockfileText(head + body, 'D.yaml', { python: null, processEnv: {} });
  return result.errors.map(
    (d) => `${d.line}:${d.column} ${d.code} ${d.path}: ${d.message}${d.hint ? ` [${d.hint}]` : ''}`,
  );
}

describe('error messages', () => {
  it('collapses anyOf cascades into one message per location', async () => {
    expect(await problems('streaming:\n  backend: 3\n  events: {allowed: 5}\n')).toEqual([
      '5:12 4002 streaming.backend: streaming.backend must be one of "memory", "redis" or null, found number 3',
      '6:21 4002 streaming.events.allowed: streaming.events.allowed must be a list or a string or null, found number 5',
    ]);
  });

  it('reports inside the branch the value was meant for', async () => {
    expect(await problems('streaming:\n  redis: {url: "redis://x", ttl: 5}\n')).toEqual([
      "5:29 4002 streaming.redis.ttl: unknown key 'ttl' in streaming.redis [allowed keys: url, stream_ttl_seconds, max_events_per_run, connection_pool_size]",
    ]);
  });

  it('explains patterns in words and suggests the fix', async () => {
    expect(
      await problems(
        'deploy:\n  resources: {requests: {cpu: "two"}}\n  environments:\n    prod: {ingress: {host: Example.COM}}\n    Staging: {}\n',
      ),
    ).toEqual([
      '5:31 4012 deploy.resources.requests.cpu: deploy.resources.requests.cpu must be a CPU quantity like 500m, 1 or 1.5; found the string "two"',
      '7:28 4012 deploy.environments.prod.ingress.host: deploy.environments.prod.ingress.host must be a lowercase DNS host name; found the string "Example.COM" [use \'example.com\']',
      "8:5 4002 deploy.environments.Staging: key 'Staging' must be a DNS-1123 label: lowercase letters, digits and hyphens, at most 63 characters [use 'staging']",
    ]);
  });

  it('locates errors inside inline io schemas at the offending keyword (4004)', async () => {
    expect(
      await problems(
        'io_schema:\n  input: {type: object, properties: {a: {type: strin}}}\n  output: {type: object, required: "a"}\n',
      ),
    ).toEqual([
      '5:48 4004 io_schema.input.properties.a.type: io_schema.input.properties.a.type must be one of: array, boolean, integer, null, number, object, string; found the string "strin" [did you mean \'string\'?]',
      '6:36 4004 io_schema.output.required: io_schema.output.required must be a list, found the string "a"',
    ]);
  });

  it('accepts inline schemas with nested objects, arrays with and without items, enums and $defs', async () => {
    expect(
      await problems(
        'io_schema:\n  strict: true\n  input:\n    type: object\n    required: [doc]\n    properties:\n      doc: {type: string, description: "text"}\n      tags: {type: array}\n      pages: {type: array, items: {type: integer}}\n      mode: {type: string, enum: [short, long]}\n      meta: {type: object, properties: {lang: {$ref: "#/$defs/lang"}}}\n    $defs: {lang: {type: string}}\n  output: {type: object, properties: {summary: {type: string}}}\n',
      ),
    ).toEqual([]);
  });

  it('only suggests close words: no "did you mean" between unrelated short keys', async () => {
    const [unknown] = await problems('modle: {provider: openai, name: gpt}\nexpos: {}\nfoo: 1\n');
    expect(unknown).toBe("4:1 4002 modle: unknown key 'modle' at the top level [did you mean 'model'?]");
    const all = await problems('foo: 1\n');
    expect(all[0]).toContain('[allowed keys: version, agent, model');
  });
});
