#!/usr/bin/env node
import { DockrionError, describeError } from '../shared/errors.ts';
import { nodeExec } from './adapters/exec.ts';
import { consoleLogger } from './adapters/logger.ts';
import type { CliContext, CommandRunner } from './commands/context.ts';
import { isEntryPoint } from './entry-point.ts';

/** Each command is loaded only when used, so `dockrion validate` stays fast to start. */
const commands: Record<string, { summary: string; load: () => Promise<{ run: CommandRunner }> }> = {
  validate: { summary: 'validate a Dockfile', load: () => import('./commands/validate.ts') },
  diff: {
    summary: "compare two Dockfiles' contracts (breaking, widening, ...)",
    load: () => import('./commands/diff.ts'),
  },
  run: { summary: 'serve the agent locally from the working tree', load: () => import('./commands/run.ts') },
  secrets: {
    summary: 'check or encrypt the secrets of an environment',
    load: () => import('./commands/secrets.ts'),
  },
  render: { summary: 'render Compose or Kubernetes manifests', load: () => import('./commands/render.ts') },
  build: { summary: 'build (and push) the runtime image', load: () => import('./commands/build.ts') },
  deploy: {
    summary: 'validate, build, render and open a deployment PR',
    load: () => import('./commands/deploy.ts'),
  },
  history: {
    summary: 'list deployments from the environments repo',
    load: () => import('./commands/history.ts'),
  },
  rollback: { summary: 'restore an earlier deployment', load: () => import('./commands/rollback.ts') },
  apply: { summary: 'apply an environment on a Compose host', load: () => import('./commands/apply.ts') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: dockrion <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'dockrion <command> --help' for the options of one command.\n`;
}

export function defaultContext(): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    logger: consoleLogger({ verbose: process.env.DOCKRION_DEBUG === '1' }),
    exec: nodeExec(),
  };
}

export async function main(argv: string[], ctx: CliContext = defaultContext()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? ctx.stderr : ctx.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    ctx.stdout(`${process.env.DOCKRION_VERSION ?? '1.0.0'}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    ctx.stderr(`dockrion: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    const { run } = await command.load();
    return await run(rest, ctx);
  } catch (e: unknown) {
    ctx.stderr(`dockrion ${name}: ${describeError(e)}\n`);
    if (ctx.env.DOCKRION_DEBUG === '1' && e instanceof Error && e.stack) ctx.stderr(`${e.stack}\n`);
    return e instanceof DockrionError ? e.exitCode : 1;
  }
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`dockrion: ${describeError(e)}\n`);
      process.exitCode = 1;
    },
  );
}
