import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.ts';

const fixtures = join(import.meta.dirname, '../fixtures/dockfiles');

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const c = captureCli({ cwd: fixtures, env, logger: 'silent' });
  const code = await c.run(['validate', ...args]);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

const fullEnv = [
  '--env',
  `JWT_SECRET=${'s'.repeat(24)}`,
  '--env',
  'LANGFUSE_PUBLIC=pk',
  '--env',
  'LANGFUSE_SECRET=sk',
];

describe('dockrion validate', () => {
  it('exits 0 for a valid Dockfile and prints the verdict to stderr', async () => {
    const { code, stdout, stderr } = await cli(['prd-full.yaml', ...fullEnv]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('prd-full.yaml: valid (0 errors, 0 warnings)\n');
  });

  it('prints compiler-style errors with a caret excerpt and hint, exit 1', async () => {
    const { code, stderr } = await cli(['multi-error.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain(
      [
        'multi-error.yaml:3:9: error 4002 InvalidSchemaError at agent.name: agent.name must be a DNS-1123 label: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters; found the string "invoice_copilot"',
        '   3 |   name: invoice_copilot',
        '     |         ^',
        "  hint: use 'invoice-copilot'",
      ].join('\n'),
    );
    expect(stderr).toContain(
      "multi-error.yaml:4:3: error 4002 InvalidSchemaError at agent.entrypont: unknown key 'entrypont' in agent\n   4 |   entrypont: app.graph:build_graph\n     |   ^\n  hint: did you mean 'entrypoint'?",
    );
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('multi-error.yaml: invalid (18 errors, 2 warnings)');
  });

  it('--format json prints exactly one JSON document on stdout', async () => {
    const { code, stdout } = await cli(['multi-error.yaml', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['valid', 'file', 'errors', 'warnings']);
    expect(report.valid).toBe(false);
    expect(report.file).toBe('multi-error.yaml');
    expect(report.errors[2]).toEqual({
      code: 4002,
      name: 'InvalidSchemaError',
      path: 'agent.name',
      file: 'multi-error.yaml',
      line: 3,
      column: 9,
      message:
        'agent.name must be a DNS-1123 label: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters; found the string "invoice_copilot"',
      hint: "use 'invoice-copilot'",
    });
    expect(report.warnings.map((w: { code: number }) => w.code)).toEqual([4103, 4101]);
  });

  it('--format github prints escaped workflow commands', async () => {
    const { stdout } = await cli(['multi-error.yaml', '--format', 'github']);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(20);
    expect(lines[3]).toBe(
      "::error file=multi-error.yaml,line=4,col=3,title=4002 InvalidSchemaError at agent.entrypont::unknown key 'entrypont' in agent%0Ahint: did you mean 'entrypoint'?",
    );
    expect(lines.at(-1)).toMatch(
      /^::warning file=multi-error.yaml,line=20,col=36,title=4101 CatastrophicRegexWarning at policies.safety.redact_patterns\[1\]::/,
    );
  });

  it('--strict turns warnings into errors', async () => {
    const relaxed = await cli(['auth-omitted.yaml']);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stderr).toContain('auth-omitted.yaml:1:1: warning 4100 AuthDefaultedWarning at auth:');
    expect(relaxed.stderr).toContain('auth-omitted.yaml: valid (0 errors, 1 warning)');
    const strict = await cli(['auth-omitted.yaml', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('auth-omitted.yaml:1:1: error 4100 AuthDefaultedWarning at auth:');
  });

  it('resolves ${VAR} from --env before the process environment', async () => {
    const { code } = await cli(['prd-full.yaml', ...fullEnv], { JWT_SECRET: 'short' });
    expect(code).toBe(0);
    const fromProcess = await cli(
      ['prd-full.yaml', '--env', 'LANGFUSE_PUBLIC=pk', '--env', 'LANGFUSE_SECRET=sk'],
      {
        JWT_SECRET: 'short',
      },
    );
    expect(fromProcess.code).toBe(1);
    expect(fromProcess.stderr).toContain('4005 AuthConfigError at auth.jwt.secret_key');
    expect(fromProcess.stderr).not.toContain('"short"');
  });

  it('several paths, or a quoted glob, check each Dockfile; json is one array; exit 1 when any is invalid', async () => {
    const both = await cli(['prd-full.yaml', 'multi-error.yaml', '--format', 'json', ...fullEnv]);
    expect(both.code).toBe(1);
    const reports = JSON.parse(both.stdout) as Array<{ file: string; valid: boolean }>;
    expect(reports.map((r) => [r.file, r.valid])).toEqual([
      ['prd-full.yaml', true],
      ['multi-error.yaml', false],
    ]);
    const glob = await cli(['prd-*.yaml', ...fullEnv]);
    expect(glob.code).toBe(0);
    expect(glob.stderr).toBe(
      'prd-full.yaml: valid (0 errors, 0 warnings)\nprd-minimal.yaml: valid (0 errors, 0 warnings)\n',
    );
  });

  it.each([
    [['--format', 'xml'], "--format must be one of text, json, github, got 'xml'"],
    [['missing-a.yaml', 'missing-b.yaml'], 'missing-a.yaml: no such file'],
    [['agnets/*/Dockfile.yaml'], "agnets/*/Dockfile.yaml: 'agnets/*/Dockfile.yaml' matches no file"],
    [['--nope'], "dockrion validate: unknown option '--nope'\n  hint: run 'dockrion validate --help'"],
    [['-x'], "dockrion validate: unknown option '-x'\n"],
    [['--env'], "dockrion validate: option '--env' needs a value\n"],
    [['--strict=yes'], "dockrion validate: option '--strict' does not take a value\n"],
    [['--env', 'NOEQUALS'], '--env expects KEY=VALUE'],
    [['missing.yaml'], 'missing.yaml: no such file'],
    [['.'], '. is a directory\n  hint: pass the Dockfile inside it: dockrion validate Dockfile.yaml'],
  ])('exits 2 on usage errors: %j', async (args, message) => {
    const { code, stderr, stdout } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  it('usage errors name the command once, without parseArgs advice about positionals', async () => {
    const unknown = await cli(['--nope']);
    expect(unknown.stderr).not.toContain('positional argument');
    const history = captureCli({ cwd: fixtures, env: {}, logger: 'silent' });
    const code = await history.run(['history', '--environments-repo', fixtures]);
    expect(code).toBe(2);
    expect(history.stderr()).toBe(
      "dockrion history: --env is required\n  hint: run 'dockrion history --help'\n",
    );
    // A usage error the command raises itself (not the argument parser) is prefixed once too.
    const both = captureCli({ cwd: fixtures, env: {}, logger: 'silent' });
    const bothCode = await both.run([
      'history',
      '--env',
      'staging',
      '--all',
      '--agent',
      'a',
      '--environments-repo',
      fixtures,
    ]);
    expect(bothCode).toBe(2);
    expect(both.stderr()).toBe(
      'dockrion history: --all lists every agent, so it does not go with --agent\n  hint: drop --agent to list the whole environment, or --all to list one agent\n',
    );
  });

  it('a bad --env never echoes what may be a secret value', async () => {
    const secret = 'sk-live-4f9a8b7c6d5e4f3a2b1c';
    for (const [arg, message] of [
      [secret, `--env expects KEY=VALUE; an argument (${secret.length} characters) has no '='`],
      [
        `OPENAI_API_KEY:${secret}`,
        `--env expects KEY=VALUE; an argument (${secret.length + 15} characters) has no '='`,
      ],
      [`=${secret}`, "--env expects KEY=VALUE; an argument starts with '=' (no KEY)"],
      [`1BAD=${secret}`, "--env expects KEY=VALUE; '1BAD' is not a variable name"],
    ] as const) {
      const { code, stderr, stdout } = await cli(['--env', arg]);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).not.toContain('sk-live');
      expect(stdout).toBe('');
    }
  });

  it('build and run share the --env parser, so they never echo a value either', async () => {
    const secret = 'sk-live-4f9a8b7c6d5e4f3a2b1c';
    for (const command of [
      ['build', '--registry', '127.0.0.1:5000'],
      ['run', '--port', '8080'],
    ]) {
      const c = captureCli({ cwd: fixtures, env: {}, logger: 'silent' });
      const code = await c.run([...command, '--env', secret]);
      const stderr = c.stderr();
      expect(code).toBe(2);
      expect(stderr).toContain(`an argument (${secret.length} characters) has no '='`);
      expect(stderr).not.toContain('sk-live');
    }
  });

  it('--help prints usage to stdout', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: dockrion validate [PATH=Dockfile.yaml ...]');
  });
});
