import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { Docker } from '../adapters/docker.ts';
import { type ApplyReport, ComposeApplier } from '../gitops/apply/applier.ts';
import { parseCommandArgs } from './args.ts';
import type { CliContext } from './context.ts';
import { formatOf, requireString, TARGET_HELP, TARGET_OPTIONS, targetFrom } from './target-options.ts';

export const applyUsage = `usage: dockrion apply --environments-repo R --env ENV [--identity FILE] [--once | --interval 30s]

On a Compose host: pulls the base branch, and for each <env>/<agent>/ that changed decrypts
secrets.env.age with the host's age identity to secrets.env (0600, in the state dir, never in the
repo), runs 'docker compose -p <env>-<agent> up -d --wait', and records the applied commit. When a
service does not become healthy in time, the agent's last good commit is applied again and the
command exits 1 with a report. Agent folders removed from the repo are taken down.

options:
  --env ENV                  the environment folder (required)
  --identity FILE            the host's age identity (age-keygen -o FILE); needed for secrets.env.age
  --once                     one pass, then exit (default)
  --interval DURATION        keep applying every DURATION (e.g. 30s, 5m); stops on SIGINT/SIGTERM
  --wait-timeout DURATION    how long services may take to report healthy (default 180s)
  --state-dir DIR            mirror, materialized folders and state.json
                             (default $DOCKRION_STATE_DIR or ~/.local/state/dockrion)
${TARGET_HELP}

Exit codes: 0 applied or unchanged, 1 a health check failed (rolled back) or an error, 2 usage.
`;

const MINIMUM_INTERVAL_SECONDS = 5;

export function parseDuration(text: string, flag: string, minimumSeconds = 0): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m?.[1]) throw new UsageError(`${flag} must be a duration like 30s, 5m or 1h, got '${text}'`);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const seconds = Number(m[1]) * factor;
  if (seconds < minimumSeconds) {
    throw new UsageError(`${flag} must be at least ${minimumSeconds}s, got '${text}'`);
  }
  return seconds;
}

function describe(report: ApplyReport): string {
  const lines = [`${report.environment} @ ${report.commit.slice(0, 12)}: ${report.status}`];
  for (const a of report.agents) {
    lines.push(
      `  ${a.agent}: ${a.status}${a.version ? ` ${a.version}` : ''}${a.restored ? ` (restored ${a.restored.slice(0, 12)})` : ''}`,
    );
    if (a.detail) lines.push(...a.detail.split('\n').map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('apply', argv, {
    ...TARGET_OPTIONS,
    env: { type: 'string' },
    identity: { type: 'string' },
    once: { type: 'boolean' },
    interval: { type: 'string' },
    'wait-timeout': { type: 'string' },
    'state-dir': { type: 'string' },
  });
  if (values.help) {
    ctx.stdout(applyUsage);
    return 0;
  }
  if (values.once && values.interval) throw new UsageError('--once and --interval exclude each other');
  const format = formatOf(values.format);
  const environment = requireString('apply', values.env, '--env');
  const target = targetFrom('apply', values, ctx);
  const stateDir = resolve(
    ctx.cwd,
    values['state-dir'] ??
      ctx.env.DOCKRION_STATE_DIR ??
      join(ctx.env.HOME ?? homedir(), '.local', 'state', 'dockrion'),
  );
  const applier = new ComposeApplier({
    target,
    environment,
    identityFile: values.identity ? resolve(ctx.cwd, values.identity) : null,
    stateDir,
    waitTimeoutSeconds: Math.ceil(parseDuration(values['wait-timeout'] ?? '180s', '--wait-timeout', 1)),
    exec: ctx.exec,
    docker: new Docker({ exec: ctx.exec, env: ctx.env }),
    logger: ctx.logger,
    now: () => Date.now(),
    env: ctx.env,
  });
  const print = (report: ApplyReport) => {
    if (format === 'json') ctx.stdout(`${JSON.stringify(report)}\n`);
    else ctx.stdout(describe(report));
  };

  if (!values.interval) {
    const report = await applier.applyOnce();
    print(report);
    return report.status === 'failed' ? 1 : 0;
  }
  // Each pass fetches the repo and asks the engine about every project: a floor keeps a typo such
  // as `--interval 0` from turning into a busy loop against git and Docker.
  const intervalMs = parseDuration(values.interval, '--interval', MINIMUM_INTERVAL_SECONDS) * 1000;
  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let lastStatus = 0;
  try {
    while (!stopping) {
      try {
        const report = await applier.applyOnce();
        if (report.status !== 'unchanged') print(report);
        lastStatus = report.status === 'failed' ? 1 : 0;
      } catch (e: unknown) {
        // A flaky network or registry must not end the loop; the next pass tries again.
        ctx.logger.error(e instanceof Error ? e.message : String(e));
        lastStatus = 1;
      }
      await new Promise<void>((resolveSleep) => {
        const timer = setTimeout(resolveSleep, intervalMs);
        // A signal ends the sleep at once instead of after the rest of the interval.
        wake = () => {
          clearTimeout(timer);
          resolveSleep();
        };
        if (stopping) wake();
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return lastStatus;
}
