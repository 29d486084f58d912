import { randomBytes } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from '../../action/dockfile/source-text.ts';
import type { ValidationResult } from '../../action/dockfile/types.ts';
import { BudgetedValidator, type TempRepo, tempRepo } from './helpers.ts';

// Each hostile input must give a clean, structured error within 2 s; the worker running the
// validation is terminated when the budget runs out, so a hang fails instead of stalling.
const budgetMs = 2000;

describe('hostile input', () => {
  let repo: TempRepo;
  let validator: BudgetedValidator;
  beforeAll(() => {
    repo = tempRepo();
    validator = new BudgetedValidator();
  });
  afterAll(async () => {
    await validator.close();
    repo.cleanup();
  });

  async function check(name: string, content: string | Buffer): Promise<ValidationResult> {
    const path = repo.write(name, content);
    const result = await validator.validate(path, budgetMs, { root: repo.root, processEnv: {} });
    expect(result.valid).toBe(false);
    for (const d of result.errors) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.message).not.toMatch(/\n\s+at /);
    }
    return result;
  }

  it('a billion-laughs alias bomb', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, next] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi'] as const) {
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const result = await check('bomb.yaml', `${lines.join('\n')}\n`);
    expect(result.errors.map((e) => e.code)).toEqual([4000]);
    expect(result.errors[0]?.message).toMatch(/more than (10000 values|100 alias references)/);
  });

  it('more aliases than allowed, even when each is small', async () => {
    const text = `x: &x 1\nlist: [${Array(150).fill('*x').join(', ')}]\n`;
    const result = await check('aliases.yaml', text);
    expect(result.errors[0]?.message).toContain('more than 100 alias references');
  });

  it('a 50 MB file is refused without reading it', async () => {
    const path = join(repo.root, 'huge.yaml');
    writeFileSync(path, Buffer.alloc(50 * 1024 * 1024, 'a: b\n'));
    const result = await validator.validate(path, budgetMs, { root: repo.root, processEnv: {} });
    expect(result.errors.map((e) => e.code)).toEqual([4000]);
    expect(result.errors[0]?.message).toContain('at most 1048576 bytes');
  });

  it('deeply nested flow collections', async () => {
    const depth = 400_000;
    const result = await check('deep-flow.yaml', `${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    expect(result.errors[0]?.code).toBe(4000);
  });

  it('deeply nested block maps', async () => {
    let text = '';
    for (let i = 0; i < 1000; i++) text += `${' '.repeat(i)}k${i}:\n`;
    const result = await check('deep-block.yaml', text);
    expect(result.errors[0]?.code).toBe(4000);
    expect(result.errors[0]?.message).toContain('nested more than 128 levels');
  });

  it('nesting the parser handles but the loader refuses', async () => {
    const result = await check('nested-100.yaml', `${'['.repeat(100)}${']'.repeat(100)}\n`);
    expect(result.errors.map((e) => e.message)).toEqual(['values are nested more than 64 levels deep']);
  });

  it('binary garbage', async () => {
    const result = await check(
      'garbage.bin',
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), randomBytes(64 * 1024)]),
    );
    expect(result.errors.map((e) => e.message)).toEqual([
      `${join(repo.root, 'garbage.bin')} is binary, not YAML text`,
    ]);
  });

  it('bytes that are not UTF-8', async () => {
    const result = await check('latin1.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0xff, 0xfe, 0x0a]));
    expect(result.errors[0]?.message).toContain('not valid UTF-8');
  });

  it('names the line and column of the first byte that is not UTF-8', async () => {
    // 'café' saved as Latin-1 on line 3, after valid multi-byte UTF-8 on line 2.
    const bytes = Buffer.concat([
      Buffer.from('version: "1.0"\n# naïve – ok\nagent:\n  name: caf', 'utf8'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    const result = await check('latin1-line.yaml', bytes);
    expect(result.errors.map((e) => [e.code, e.line, e.column])).toEqual([[4000, 4, 12]]);
    expect(result.errors[0]?.message).toContain('is not valid UTF-8 text: line 4, column 12 has byte 0xe9');
  });

  it('finds overlong and truncated UTF-8 sequences', () => {
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe0, 0x80, 0x80]))).toEqual({
      line: 1,
      column: 2,
      byte: 0xe0,
    });
    expect(firstInvalidUtf8(Buffer.from([0x0a, 0xc3, 0xa9, 0xc3]))).toEqual({
      line: 2,
      column: 2,
      byte: 0xc3,
    });
    expect(firstInvalidUtf8(Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0xff]))).toEqual({
      line: 1,
      column: 2,
      byte: 0xff,
    });
  });

  it('duplicate keys', async () => {
    const result = await check('dup.yaml', 'version: "1.0"\nagent:\n  name: a\n  name: b\n');
    expect(result.errors.map((e) => [e.code, e.line, e.column])).toEqual([[4000, 4, 3]]);
    expect(result.errors[0]?.message).toContain('duplicate key');
  });

  it('custom tags other than !include', async () => {
    const result = await check(
      'tags.yaml',
      'version: !!python/object:os.system "1.0"\nagent: !secret {name: a}\n',
    );
    expect(result.errors.map((e) => [e.code, e.path])).toEqual([
      [4000, 'version'],
      [4000, 'agent'],
    ]);
    expect(result.errors[0]?.message).toContain('unsupported YAML tag');
  });

  it('an include that escapes through .. and through a symlinked directory', async () => {
    repo.write('../escape.yaml', 'name: x\n');
    symlinkSync(join(repo.root, '..'), join(repo.root, 'parent-link'));
    const result = await check(
      'escape.yaml',
      'version: "1.0"\nagent: !include ../escape.yaml\nmetadata: !include parent-link/escape.yaml\n',
    );
    expect(result.errors.map((e) => [e.code, e.path])).toEqual([
      [4009, 'agent'],
      [4009, 'metadata'],
    ]);
  });

  it('a document that is not a map', async () => {
    const result = await check('scalar.yaml', '"just a string"\n');
    expect(result.errors.map((e) => e.code)).toEqual([4002]);
  });

  it('a __proto__ key cannot reach the prototype', async () => {
    const result = await check(
      'proto.yaml',
      'version: "1.0"\n__proto__: {polluted: true}\nagent: {name: a, handler: "m:f"}\n',
    );
    expect(result.errors.map((e) => [e.code, e.path])).toEqual([[4002, '__proto__']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
