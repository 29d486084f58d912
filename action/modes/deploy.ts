import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { describeError, UsageError } from '../../shared/errors.ts';

import { Docker } from '../adapters/docker.ts';

import { type Logger, prefixedLogger } from '../adapters/logger.ts';
import { type AgentEntry, mapLimit, parallelLimit, parseDockfileInput } from '../agents/index.ts';

import { contractDiffMarkdown, isEmptyDiff } from '../contract/index.ts';
import { deployEnvironmentGroup, type EnvironmentsTarget, redactUrl, shortDigest } from '../gitops/index.ts';
import {
  type DeployPipelineInput,
  type DeployResult,
  type PipelineDeps,
  type PreparedDeploy,
  prepareDeploy,
  runDeployPipeline,
} from '../pipeline/deploy-pipeline.ts';
import { failureLine } from '../report/failure.ts';
import { fitLines, summaryBudget, utf8Bytes } from '../report/limits.ts';
import { codeBlock, codeSpan, linkDestination } from '../report/markdown-escape.ts';
import { summaryTable } from '../report/summary-table.ts';
import { githubOidcTokenFetcher, type SealingCertificateInput } from '../secrets/index.ts';
import { selectAgents } from './agents.ts';
import type { ModeContext, ModeOutcome } from './context.ts';
import { environmentsTarget, gitOpsContext } from './environments.ts';

/** The job summary of a deploy: every value (names, versions, paths, URLs) is shown as code. */
export function summaryMarkdown(result: DeployResult, environmentsRepo: string): string {
  const cell = (text: string) => codeSpan(text, { table: true });
  const rows: Array<[string, string]> = [
    ['Operation', cell(result.operation)],
    ['Agent', cell(result.agent)],
    ['Environment', cell(result.environment)],
    ['Version', cell(result.version)],
    ['Image', cell(result.image)],
    ['Digest', cell(shortDigest(result.digest))],
    ['Built', result.built ? 'yes' : 'no (promoted)'],
    ['Environments repo', cell(environmentsRepo)],
    ['Commit', result.commit ? `${cell(result.commit.slice(0, 12))} on ${cell(result.branch)}` : '–'],
    ['Pull request', result.pr_url ? `[#${result.pr_number}](${linkDestination(result.pr_url)})` : '–'],
    ['Contract changes', result.contract_changes ? cell(result.contract_changes.summary) : '–'],
  ];
  const stages = Object.entries(result.timings)
    .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`)
    .join(' · ');
  const head = summaryTable(
    `### dockrion deploy: ${codeSpan(result.agent)} → ${codeSpan(result.environment)}`,
    rows,
  );
  const changes = result.contract_changes?.changes;
  const section =
    changes && !isEmptyDiff(changes)
      ? `\n${contractDiffMarkdown(changes, { budget: { max: 20_000, measure: utf8Bytes }, headingLevel: 4 })}`
      : '';
  const tail = `${section}\n<sub>${stages}</sub>\n`;
  if (result.changed_files.length === 0) return `${head}${tail}`;
  // Thousands of rendered files must not push the summary past the step's 1 MiB.
  const budget = summaryBudget();
  const more = (n: number) => `- … and ${n} more (the commit in the environments repo has them all)\n`;
  const room =
    budget.max -
    budget.measure(head + tail) -
    budget.measure(`Changed files:\n\n\n${more(result.changed_files.length)}`);
  const fitted = fitLines(
    result.changed_files.map((f) => `- ${codeSpan(f)}`),
    room,
    budget,
  );
  const list = `${fitted.lines.join('\n')}\n${fitted.omitted > 0 ? more(fitted.omitted) : ''}`;
  return `${head}\nChanged files:\n\n${list}${tail}`;
}

/**
 * Deploy on push / workflow_dispatch: the same pipeline as `dockrion deploy`, with the Action's
 * inputs, outputs and job summary.
 *
 * `dockfile` naming one path deploys it, as always. A glob or a list deploys only the agents the
 * push changed (see action/agents), several at once, each through its own deployment PR, and
 * sets the outputs as JSON maps keyed by agent.
 */
export async function run(ctx: ModeContext): Promise<ModeOutcome> {
  const selection = parseDockfileInput(ctx.inputs.dockfile);
  return selection.kind === 'single'
    ? deploySingle(ctx, selection.path)
    : deployMany(ctx, selection.patterns);
}

async function deploySingle(ctx: ModeContext, dockfile: string): Promise<ModeOutcome> {
  if (ctx.inputs.pullRequest === 'per-environment') {
    throw new UsageError(
      "input 'pull-request: per-environment' groups several agents, but 'dockfile' names one",
      "name the agents' Dockfiles with a glob or a list, e.g. dockfile: agents/*/Dockfile.yaml",
    );
  }
  const { runContext, environment, target } = {
    runContext: ctx.run,
    environment: ctx.inputs.environment ?? '',
    target: environmentsTarget(ctx),
  };
  try {
    const result = await runDeployPipeline(
      pipelineInput(ctx, dockfile, target),
      pipelineDeps(ctx, ctx.logger),
    );
    ctx.io.setOutput('image', result.image);
    ctx.io.setOutput('digest', result.digest);
    ctx.io.setOutput('version', result.version);
    ctx.io.setOutput('operation', result.operation);
    ctx.io.setOutput('pr-url', result.pr_url ?? '');
    ctx.io.setOutput('pr-number', result.pr_number === null ? '' : String(result.pr_number));
    ctx.io.setOutput('commit', result.commit ?? '');
    await ctx.io.appendSummary(summaryMarkdown(result, redactUrl(target.url)));
    return { ok: true };
  } catch (e: unknown) {
    const message = describeError(e);
    await ctx.io.appendSummary(
      `### dockrion deploy to ${codeSpan(environment)} failed\n\n${codeBlock(message)}\n`,
    );
    // The summary keeps the whole message; the step's failure is one line.
    return { ok: false, failure: deployFailureLine(e, dockfile, runContext.workspace) };
  }
}

function deployFailureLine(e: unknown, dockfile: string, workspace: string): string {
  const workspaceRelative = (file: string) => {
    const rel = relative(workspace, file);
    return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
  };
  return failureLine(e, { file: dockfile, relative: workspaceRelative, where: 'the job summary' });
}

/** Every matched agent the push changed, at most `parallelLimit()` at a time. */
async function deployMany(ctx: ModeContext, patterns: readonly string[]): Promise<ModeOutcome> {
  const { inputs, run: runContext } = ctx;
  if (inputs.image) {
    throw new UsageError(
      "input 'image' promotes one agent's existing image, but 'dockfile' names several Dockfiles",
      "name that agent's Dockfile alone in 'dockfile' (a matrix job per agent promotes each one)",
    );
  }
  if (inputs.pullRequest === 'per-environment' && inputs.direct) {
    throw new UsageError(
      "input 'pull-request: per-environment' groups agents into one PR, but 'direct: true' opens none",
      'drop one of the two: direct commits each agent to the base branch',
    );
  }
  const environment = inputs.environment ?? '';
  const workspace = runContext.workspace;
  const selected = await selectAgents(ctx, patterns, 'deploying');
  const target = environmentsTarget(ctx);
  const limit = parallelLimit();
  if (selected.changed.length > 1) {
    ctx.logger.info(`deploying ${selected.changed.length} agents, at most ${limit} at a time`);
  }
  const agentDeps = (agent: AgentEntry) =>
    pipelineDeps(ctx, prefixedLogger(ctx.logger, agent.name ?? agent.dockfile));
  const deployed: DeployResult[] = [];
  const failed: Array<{ agent: AgentEntry; error: unknown }> = [];
  if (inputs.pullRequest === 'per-environment') {
    // Everything up to the environments repo side by side; then one commit per agent on the
    // environment's branch, in one push and one PR.
    const settled = await mapLimit(selected.changed, limit, (agent) =>
      prepareDeploy(pipelineInput(ctx, agent.dockfile, target), agentDeps(agent)),
    );
    const ready: Array<{ agent: AgentEntry; prepared: PreparedDeploy }> = [];
    settled.forEach((outcome, i) => {
      const agent = selected.changed[i] as AgentEntry;
      if (outcome.status === 'rejected') failed.push({ agent, error: outcome.reason });
      else if ('record' in outcome.value) ready.push({ agent, prepared: outcome.value });
      else deployed.push(outcome.value);
    });
    if (ready.length > 0) {
      try {
        deployed.push(...(await deployGroup(ctx, target, environment, ready)));
      } catch (error: unknown) {
        for (const { agent } of ready) failed.push({ agent, error });
      }
    }
  } else {
    const settled = await mapLimit(selected.changed, limit, (agent) =>
      runDeployPipeline(pipelineInput(ctx, agent.dockfile, target), agentDeps(agent)),
    );
    settled.forEach((outcome, i) => {
      const agent = selected.changed[i] as AgentEntry;
      if (outcome.status === 'fulfilled') deployed.push(outcome.value);
      else failed.push({ agent, error: outcome.reason });
    });
  }
  deployed.sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));

  const byAgent = <T>(pick: (r: DeployResult) => T) =>
    JSON.stringify(Object.fromEntries(deployed.map((r) => [r.agent, pick(r)])));
  ctx.io.setOutput('agents', JSON.stringify(deployed.map((r) => r.agent)));
  const outputsByAgent: Array<[string, (r: DeployResult) => unknown]> = [
    ['images', (r) => r.image],
    ['digests', (r) => r.digest],
    ['versions', (r) => r.version],
    ['operations', (r) => r.operation],
    ['pr-urls', (r) => r.pr_url ?? ''],
    ['pr-numbers', (r) => r.pr_number],
    ['commits', (r) => r.commit ?? ''],
  ];
  for (const [name, pick] of outputsByAgent) ctx.io.setOutput(name, byAgent(pick));
  if (failed.length > 0)
    ctx.io.setOutput('failed-agents', JSON.stringify(failed.map((f) => f.agent.name ?? f.agent.dockfile)));

  await ctx.io.appendSummary(
    manySummaryMarkdown(deployed, failed, environment, selected.all.length, redactUrl(target.url)),
  );
  if (failed.length === 0) return { ok: true };
  for (const f of failed) ctx.logger.error(deployFailureLine(f.error, f.agent.dockfile, workspace));
  const first = failed[0] as (typeof failed)[number];
  const others =
    failed.length > 1
      ? ` (${failed.length} of ${selected.changed.length} agents failed; see the job summary)`
      : '';
  return {
    ok: false,
    failure: `${deployFailureLine(first.error, first.agent.dockfile, workspace)}${others}`,
  };
}

/** The prepared agents of one environment, through the environment's one deployment PR. */
async function deployGroup(
  ctx: ModeContext,
  target: EnvironmentsTarget,
  environment: string,
  ready: ReadonlyArray<{ agent: AgentEntry; prepared: PreparedDeploy }>,
): Promise<DeployResult[]> {
  const outcome = await ctx.logger.group(
    `Commit ${ready.length} agent(s) to the environments repo (one PR for ${environment})`,
    () =>
      deployEnvironmentGroup(
        {
          target,
          environment,
          members: ready.map(({ prepared }) => ({
            record: prepared.record,
            contract: prepared.contract,
            files: prepared.files,
            volatileFiles: prepared.volatileFiles,
            ...(prepared.renderFiles ? { renderFiles: prepared.renderFiles } : {}),
          })),
          force: ctx.inputs.force,
          pullRequest: {
            draft: ctx.inputs.draft,
            reviewers: ctx.inputs.reviewers,
            autoMerge: ctx.inputs.autoMerge,
          },
        },
        gitOpsContext(ctx),
      ),
  );
  if (outcome.carried.length > 0) {
    ctx.logger.info(`kept in the PR from earlier runs: ${outcome.carried.join(', ')}`);
  }
  ctx.logger.info(
    `${outcome.operation}: ${outcome.branch}${outcome.pullRequest ? ` (${outcome.pullRequest.url})` : ''}`,
  );
  return ready.map(({ prepared }) => {
    const mine = outcome.agents.find((a) => a.agent === prepared.record.agent);
    return {
      ...prepared.deployed,
      commit: mine?.commit ?? null,
      branch: outcome.branch,
      pr_url: outcome.pullRequest?.url ?? null,
      pr_number: outcome.pullRequest?.number ?? null,
      operation: mine?.state === 'changed' ? outcome.operation : 'unchanged',
      built: prepared.built,
      changed_files: (mine?.changedFiles ?? []).map((f) => f.path),
      // The per-environment PR lists the agents; the contract review is per-agent PRs' for now.
      contract_changes: null,
      timings: prepared.timings,
    };
  });
}

/** The job summary of a many-agent deploy: one row per agent, then each failure in full. */
export function manySummaryMarkdown(
  deployed: readonly DeployResult[],
  failed: ReadonlyArray<{ agent: AgentEntry; error: unknown }>,
  environment: string,
  matched: number,
  environmentsRepo: string,
): string {
  const cell = (text: string) => codeSpan(text, { table: true });
  const handled = deployed.length + failed.length;
  let out = `### dockrion deploy → ${codeSpan(environment)}: ${handled} of ${matched} agent(s) changed\n\n`;
  if (handled === 0) return `${out}No agent is touched by this push: nothing was built or deployed.\n`;
  out += `Environments repo: ${codeSpan(environmentsRepo)}\n\n| Agent | Operation | Version | Digest | Pull request |\n|---|---|---|---|---|\n`;
  for (const r of deployed) {
    const pr = r.pr_url ? `[#${r.pr_number}](${linkDestination(r.pr_url)})` : '–';
    out += `| ${cell(r.agent)} | ${cell(r.operation)} | ${cell(r.version)} | ${cell(shortDigest(r.digest))} | ${pr} |\n`;
  }
  for (const f of failed) out += `| ${cell(f.agent.name ?? f.agent.dockfile)} | ❌ failed | – | – | – |\n`;
  for (const f of failed) {
    out += `\n#### ${codeSpan(f.agent.dockfile)} failed\n\n${codeBlock(describeError(f.error))}\n`;
  }
  return out;
}

function pipelineDeps(ctx: ModeContext, logger: Logger): PipelineDeps {
  const env = ctx.env as NodeJS.ProcessEnv;
  return {
    exec: ctx.exec,
    docker: new Docker({ exec: ctx.exec, env }),
    logger,
    env,
    now: () => Date.now(),
    fetch,
  };
}

/** The pipeline's input for one Dockfile, from the Action's inputs. */
function pipelineInput(ctx: ModeContext, dockfile: string, target: EnvironmentsTarget): DeployPipelineInput {
  const { inputs, run: runContext } = ctx;
  const registry = inputs.imageNamespace ? `${inputs.registry}/${inputs.imageNamespace}` : inputs.registry;
  return {
    dockfilePath: resolve(runContext.workspace, dockfile),
    root: runContext.workspace,
    environment: inputs.environment ?? '',
    target,
    build: {
      registry,
      push: inputs.push,
      platforms: inputs.platforms,
      baseImage: inputs.baseImage,
      provenance: inputs.provenance ? 'auto' : false,
      sbom: inputs.sbom,
      cache: {
        ...(inputs.cacheFrom ? { from: inputs.cacheFrom } : {}),
        ...(inputs.cacheTo ? { to: inputs.cacheTo } : {}),
      },
      credentials: inputs.registryUsername
        ? { username: inputs.registryUsername, password: inputs.registryPassword }
        : undefined,
    },
    image: inputs.image,
    direct: inputs.direct,
    force: inputs.force,
    pullRequest: { draft: inputs.draft, reviewers: inputs.reviewers, autoMerge: inputs.autoMerge },
    githubSecrets: inputs.secrets,
    githubSecretsLabel: "action input 'secrets'",
    sealingCertificate: inputs.sealedSecretsCert
      ? inputs.sealedSecretsCert.includes('-----BEGIN')
        ? { pem: inputs.sealedSecretsCert, source: "action input 'sealed-secrets-cert'" }
        : readSealingCertificateFile(
            resolve(runContext.workspace, inputs.sealedSecretsCert),
            inputs.sealedSecretsCert,
          )
      : null,
    getIdToken: githubOidcTokenFetcher(ctx.env as NodeJS.ProcessEnv),
  };
}

function readSealingCertificateFile(file: string, input: string): SealingCertificateInput {
  try {
    return { pem: readFileSync(file, 'utf8'), source: `action input 'sealed-secrets-cert' (${input})` };
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(
      `input 'sealed-secrets-cert': cannot read ${input} (${code})`,
      'pass the PEM text, or a path relative to the workspace (check out the repository first)',
    );
  }
}
