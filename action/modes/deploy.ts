import { resolve } from 'node:path';
import { createOctokit } from '../adapters/octokit.ts';
import { describeError } from '../errors.ts';
import { redactUrl, shortDigest, TOKEN_HINT } from '../gitops/index.ts';
import { type DeployResult, runDeployPipeline } from '../pipeline/deploy.ts';
import { githubOidcTokenFetcher } from '../secrets/index.ts';
import type { ModeContext, ModeOutcome } from './context.ts';

function summaryMarkdown(result: DeployResult, environmentsRepo: string): string {
  const rows: Array<[string, string]> = [
    ['Operation', `\`${result.operation}\``],
    ['Agent', `\`${result.agent}\``],
    ['Environment', `\`${result.environment}\``],
    ['Version', `\`${result.version}\``],
    ['Image', `\`${result.image}\``],
    ['Digest', `\`${shortDigest(result.digest)}\``],
    ['Built', result.built ? 'yes' : 'no (promoted)'],
    ['Environments repo', `\`${environmentsRepo}\``],
    ['Commit', result.commit ? `\`${result.commit.slice(0, 12)}\` on \`${result.branch}\`` : '–'],
    ['Pull request', result.pr_url ? `[#${result.pr_number}](${result.pr_url})` : '–'],
  ];
  const stages = Object.entries(result.timings)
    .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`)
    .join(' · ');
  return [
    `### dockrion deploy: \`${result.agent}\` → \`${result.environment}\``,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    ...(result.changed_files.length
      ? ['Changed files:', '', ...result.changed_files.map((f) => `- \`${f}\``), '']
      : []),
    `<sub>${stages}</sub>`,
    '',
  ].join('\n');
}

/**
 * Deploy on push / workflow_dispatch: the same pipeline as `dockrion deploy`, with the Action's
 * inputs, outputs and job summary.
 */
export async function run(ctx: ModeContext): Promise<ModeOutcome> {
  const { inputs, run: runContext } = ctx;
  const environment = inputs.environment ?? '';
  const environmentsRepo = inputs.environmentsRepo ?? runContext.repository;
  const [owner = '', repo = ''] = environmentsRepo.split('/');
  const token = inputs.environmentsToken ?? inputs.githubToken;
  if (!inputs.environmentsToken && environmentsRepo !== runContext.repository) {
    ctx.logger.warn(
      `environments-token is not set, so ${environmentsRepo} is written with github-token; ${TOKEN_HINT}`,
    );
  }
  const url = `${runContext.serverUrl}/${environmentsRepo}.git`;
  const registry = inputs.imageNamespace ? `${inputs.registry}/${inputs.imageNamespace}` : inputs.registry;
  const env = ctx.env as NodeJS.ProcessEnv;
  try {
    const result = await runDeployPipeline(
      {
        dockfilePath: resolve(runContext.workspace, inputs.dockfile),
        root: runContext.workspace,
        environment,
        target: {
          url,
          token,
          base: inputs.environmentsBase,
          github: { client: createOctokit({ token, baseUrl: inputs.githubApiUrl }), owner, repo },
          serverUrl: runContext.serverUrl,
        },
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
        getIdToken: githubOidcTokenFetcher(env),
      },
      { exec: ctx.exec, logger: ctx.logger, env, now: () => Date.now(), fetch },
    );
    ctx.io.setOutput('image', result.image);
    ctx.io.setOutput('digest', result.digest);
    ctx.io.setOutput('version', result.version);
    ctx.io.setOutput('operation', result.operation);
    ctx.io.setOutput('pr-url', result.pr_url ?? '');
    ctx.io.setOutput('pr-number', result.pr_number === null ? '' : String(result.pr_number));
    ctx.io.setOutput('commit', result.commit ?? '');
    await ctx.io.appendSummary(summaryMarkdown(result, redactUrl(url)));
    return { ok: true };
  } catch (e: unknown) {
    const message = describeError(e);
    await ctx.io.appendSummary(
      `### dockrion deploy to \`${environment}\` failed\n\n\`\`\`\n${message}\n\`\`\`\n`,
    );
    return { ok: false, failure: message };
  }
}
