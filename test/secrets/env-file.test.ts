import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEnvFile } from '../../action/secrets/index.ts';
import { parseEnvFile } from '../../generators/env-file.ts';
import { SecretsError } from '../../shared/errors.ts';
import { requireInfra } from '../support/infra.ts';

function hasComposeCli(): boolean {
  return spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
}

describe('formatEnvFile', () => {
  it('sorts by name and double-quotes with escapes for \\ " $ and line breaks', () => {
    const text = formatEnvFile(
      new Map([
        ['ZED', 'plain'],
        ['ALPHA', 'a "quoted" $HOME \\path\\'],
        ['MULTI', 'line1\nline2\r\n'],
        ['EMPTY', ''],
      ]),
    );
    expect(text).toBe(
      [
        'ALPHA="a \\"quoted\\" \\$HOME \\\\path\\\\"',
        'EMPTY=""',
        'MULTI="line1\\nline2\\r\\n"',
        'ZED="plain"',
        '',
      ].join('\n'),
    );
  });

  it('refuses a NUL byte, naming the secret and not the value', () => {
    expect(() => formatEnvFile(new Map([['TOKEN', 'abc\0def-secret']]))).toThrow(
      new SecretsError('secret TOKEN contains a NUL byte, which no environment variable can hold'),
    );
  });
});

/** Printable characters plus the ones every layer escapes differently. */
const hostileValue = fc.string({
  unit: fc.constantFrom(...'ab $\\"\'#=\n\r\t{}()`!;&|<>*?~%^@:,.-_/0123456789'.split('')),
  maxLength: 40,
});
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/);

describe('parseEnvFile reads back what formatEnvFile writes', () => {
  it('keeps p\\q$x"y and the other escapes exactly', () => {
    const values = new Map([
      ['MIXED', 'p\\q$x"y'],
      ['LINES', 'a\r\nb\n'],
      ['TAB', 'a\tb'],
      ['HASH', 'v # not a comment'],
      ['EMPTY', ''],
    ]);
    const { values: read, problems } = parseEnvFile(formatEnvFile(values));
    expect(problems).toEqual([]);
    expect(read).toEqual(values);
  });

  it('round-trips arbitrary values (property test)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(envName, hostileValue), { selector: ([n]) => n, maxLength: 8 }),
        (pairs) => {
          const values = new Map(pairs);
          expect(parseEnvFile(formatEnvFile(values))).toEqual({ values, problems: [] });
        },
      ),
    );
  });

  it('reads hand-written files as Compose does: literal single quotes, unknown escapes kept, comments', () => {
    const { values, problems } = parseEnvFile(
      'A="x\\ty\\qz\\\\w\\$q\\"r"\nB=plain # c\nC=\'s\\n$x\'\nD="a#b" # c\nexport E=1\nF = spaced \nG="open\n',
    );
    expect(Object.fromEntries(values)).toEqual({
      A: 'x\ty\\qz\\w$q"r',
      B: 'plain',
      C: 's\\n$x',
      D: 'a#b',
      E: '1',
      F: 'spaced',
    });
    expect(problems).toEqual([{ line: 7, message: 'unterminated double-quoted value for G' }]);
  });
});

const compose = requireInfra('docker compose CLI', hasComposeCli(), '`docker compose version` failed');

compose.describe('formatEnvFile round-trips through docker compose env_file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-envfile-'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  agent:\n    image: busybox\n    env_file: [secrets.env]\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What `docker compose config` says the service's environment is. */
  function composeEnvironment(values: Map<string, string>): Record<string, string> {
    writeFileSync(join(dir, 'secrets.env'), formatEnvFile(values));
    const result = spawnSync('docker', ['compose', 'config', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      // Unset so `${HOME}` inside a value would visibly expand if it were interpolated.
      env: { PATH: process.env.PATH, HOME: '/home/should-not-appear', DOCKER_CONFIG: join(dir, '.docker') },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const environment = JSON.parse(result.stdout).services.agent.environment as Record<string, string>;
    // `config` output is itself interpolatable, so it prints a literal `$` as `$$`.
    return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v.replaceAll('$$', '$')]));
  }

  it('keeps hostile values exactly', () => {
    const values = new Map([
      ['DOLLAR', 'pa$$word$HOME${HOME}$(id)`id`'],
      ['QUOTES', `it's "double" and 'single'`],
      ['BACKSLASH', 'C:\\path\\n\\t\\\\'],
      ['HASH', 'value # not a comment'],
      ['PEM', '-----BEGIN KEY-----\nMIIB\nabc=\n-----END KEY-----\n'],
      ['CRLF', 'a\r\nb'],
      ['SPACES', '  padded  '],
      ['EQUALS', 'a=b=c'],
      ['UNICODE', 'clé ✓ 鍵'],
      ['EMPTY', ''],
      ['TRAILING_BACKSLASH', 'ends with \\'],
      ['MIXED', 'p\\q$x"y'],
    ]);
    expect(composeEnvironment(values)).toEqual(Object.fromEntries(values));
    expect(Object.fromEntries(parseEnvFile(formatEnvFile(values)).values)).toEqual(
      composeEnvironment(values),
    );
  });

  it('keeps arbitrary printable values exactly (property test)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(envName, hostileValue), { selector: ([n]) => n, minLength: 1, maxLength: 8 }),
        (pairs) => {
          const values = new Map(pairs);
          expect(composeEnvironment(values)).toEqual(Object.fromEntries(values));
          // Our reader and Compose's agree on the same file.
          expect(parseEnvFile(formatEnvFile(values)).values).toEqual(values);
        },
      ),
      { numRuns: 25 },
    );
  });
});
