import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { describeError, UsageError } from '../../shared/errors.ts';
import { Docker } from '../adapters/docker.ts';
import { contractDiffMarkdown, isEmptyDiff } from '../contract/index.ts';
import { redactUrl, shortDigest } from '../gitops/index.ts';
import { type DeployResult, runDeployPipeline } from '../pipeline/deploy-pipeline.ts';
import { failureLine } from '../report/failure.ts';
import { fitLines, summaryBudget, utf8Bytes } from '../report/limits.ts';
import { codeBlock, codeSpan, linkDestination } from '../report/markdown-escape.ts';
import { summaryTable } from '../report/summary-table.ts';
import { githubOidcTokenFetcher, type SealingCertificateInput } from '../secrets/index.ts';
import type { ModeContext, ModeOutcome } from './context.ts';
import { environmentsTarget } from './environments.ts';

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
 */
export async function run(ctx: ModeContext): Promise<ModeOutcome> {
  const { inputs, run: runContext } = ctx;
  const environment = inputs.environment ?? '';
  const target = environmentsTarget(ctx);
  const registry = inputs.imageNamespace ? `${inputs.registry}/${inputs.imageNamespace}` : inputs.registry;
  const env = ctx.env as NodeJS.ProcessEnv;
  try {
    const result = await runDeployPipeline(
      {
        dockfilePath: resolve(runContext.workspace, inputs.dockfile),
        root: runContext.workspace,
        environment,
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
        getIdToken: githubOidcTokenFetcher(env),
      },
      {
        exec: ctx.exec,
        docker: new Docker({ exec: ctx.exec, env }),
        logger: ctx.logger,
        env,
        now: () => Date.now(),
        fetch,
      },
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
    const workspaceRelative = (file: string) => {
      const rel = relative(runContext.workspace, file);
      return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
    };
    // The summary keeps the whole message; the step's failure is one line.
    return {
      ok: false,
      failure: failureLine(e, {
        file: inputs.dockfile,
        relative: workspaceRelative,
        where: 'the job summary',
      }),
    };
  }
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
