/**
 * One environments-repo operation in its own process, so bench/envrepo.bench.ts can measure its
 * peak RSS (git's index-pack included) with /usr/bin/time. Prints `{"ms": …, …}` on stdout: the
 * time of the operation itself, without Node's start-up.
 *
 *   node --import tsx bench/envrepo/op.ts '<json request>'
 */
import { nodeExec } from '../../action/adapters/exec.ts';
import { silentLogger } from '../../action/adapters/logger.ts';
import {
  deployToEnvironments,
  readEnvironmentHistory,
  readHistory,
  rollbackEnvironment,
} from '../../action/gitops/index.ts';
import { benchFiles, benchRecord } from './repo.ts';

interface OpRequest {
  op: 'deploy' | 'history' | 'env-history' | 'rollback';
  url: string;
  token: string;
  cacheDir: string | null;
  environment: string;
  agent: string;
  version: string;
  /** Epoch seconds the commit is dated. */
  time: number;
}

const req = JSON.parse(process.argv[2] ?? '{}') as OpRequest;
const ctx = {
  exec: nodeExec(),
  logger: silentLogger(),
  now: () => req.time * 1000,
  cacheDir: req.cacheDir,
  baseEnv: process.env,
};
const target = { url: req.url, token: req.token };
const started = performance.now();
let detail: Record<string, unknown> = {};
if (req.op === 'deploy') {
  const record = benchRecord(req.agent, req.environment, req.version);
  const out = await deployToEnvironments(
    { target, record, files: benchFiles(record), direct: true, volatileFiles: ['secrets.env.age'] },
    ctx,
  );
  detail = { operation: out.operation, attempts: out.attempts };
} else if (req.op === 'history') {
  const list = await readHistory({ target, environment: req.environment, agent: req.agent }, ctx);
  detail = { entries: list.length };
} else if (req.op === 'env-history') {
  const report = await readEnvironmentHistory({ target, environment: req.environment, all: false }, ctx);
  detail = { entries: report.deployments.length };
} else {
  const out = await rollbackEnvironment(
    { target, environment: req.environment, agent: req.agent, to: req.version, direct: true },
    ctx,
  );
  detail = { operation: out.operation };
}
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, ...detail })}\n`);
