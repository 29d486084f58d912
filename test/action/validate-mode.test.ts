import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codePoints } from '../../action/report/limits.ts';
import { hostileStrings, outsideCode, renderGfm } from '../support/gfm.ts';
import { seedIssueComment, setCommentBodyLimit } from '../support/github-server/issue-comments.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';
import { type ActionRun, createActionRun, pullRequestPayload } from './harness.ts';

const repository = 'acme/agents';
const marker = '<!-- dockrion:validate:Dockfile.yaml -->';
const workflowToken = 'ghs_workflow_token';

const brokenDockfile = `version: "1.0"
agent:
  name: invoice_copilot
  entrypoint: app.graph:build_graph
  framework: langgraph
expose:
  rest: false
  streaming: none
`;
const fixedDockfile = `version: "1.0"
agent:
  name: invoice-copilot
  entrypoint: app.graph:build_graph
  framework: langgraph
auth:
  mode: api_key
`;

/** A Dockfile with `n` unknown keys under agent: one 4002 error each, in file order. */
function dockfileWithUnknownKeys(n: number): string {
  const keys = Array.from({ length: n }, (_, i) => `  unknown_key_${i}: ${i}\n`).join('');
  return `${fixedDockfile.replace('  framework: langgraph\n', `  framework: langgraph\n${keys}`)}`;
}

const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' as const, canReadUser: false };
const where = { owner: 'acme', repo: 'agents', issueNumber: 7 };

let github: GitHubServer;
let action: ActionRun;

function comments() {
  return github.state.issueComments.get(`${repository}#7`) ?? [];
}

function commentWrites() {
  return github.state.requests.filter((r) => r.method !== 'GET' && r.path.includes('/comments'));
}

describe('action validate mode on pull_request', () => {
  beforeEach(async () => {
    github = await startGitHubServer();
  });
  afterEach(async () => {
    action.cleanup();
    await github.close();
  });

  function setUp(payloadOverrides: { headRepository?: string | null } = {}) {
    action = createActionRun({
      apiUrl: github.url,
      repository,
      payload: pullRequestPayload({ number: 7, repository, ...payloadOverrides }),
    });
  }

  it('annotates the exact lines, writes outputs and the summary, and posts one sticky comment', async () => {
    setUp();
    action.write('Dockfile.yaml', brokenDockfile);
    const { code, stdout, failed } = await action.invoke({
      'github-token': workflowToken,
      dockfile: 'Dockfile.yaml',
    });

    expect(code).toBe(1);
    // Through core.setFailed, so hosts that import the Action (e.g. @github/local-action) see the failure.
    expect(failed).toBe(true);
    expect(stdout).toContain(
      '::error title=4002 InvalidSchemaError at agent.name,file=Dockfile.yaml,line=3,col=9::agent.name must be a DNS-1123 label',
    );
    expect(stdout).toContain("hint: use 'invoice-copilot'");
    expect(stdout).toContain(
      '::error title=4010 ExposureError at expose.rest,file=Dockfile.yaml,line=7,col=9::',
    );
    // The step's failure is one line: where, code, problem, fix, and how many more.
    expect(stdout).toContain(
      '::error::Dockfile.yaml:3:9 4002 agent.name must be a DNS-1123 label: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters; found the string "invoice_copilot" — fix: use \'invoice-copilot\' (+1 more error in the annotations and the job summary)',
    );
    expect(stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1);
    // The expected 403 of GET /user (workflow token) is a debug line, not an alarming log line.
    expect(stdout).toMatch(/::debug::GET \/user - 403 with id UNKNOWN in \d+ms/);

    const outputs = action.outputs();
    expect(outputs.valid).toBe('false');
    const report = JSON.parse(outputs['errors-json'] ?? '{}');
    expect(report.valid).toBe(false);
    expect(report.errors.map((e: { code: number }) => e.code)).toEqual([4002, 4010]);
    expect(report.errors[0]).toMatchObject({ file: 'Dockfile.yaml', line: 3, column: 9, path: 'agent.name' });

    const summary = action.summary();
    expect(summary).toContain('`Dockfile.yaml` **is invalid**');
    expect(summary).toContain('| ❌ error | 4002 InvalidSchemaError | `agent.name` |');
    expect(summary).toContain(`https://github.com/${repository}/blob/${'a'.repeat(40)}/Dockfile.yaml#L3`);

    expect(comments()).toHaveLength(1);
    const [comment] = comments();
    expect(comment?.user.login).toBe('github-actions[bot]');
    expect(comment?.body.startsWith(`${marker}\n`)).toBe(true);
    expect(comment?.body).toContain('4010 ExposureError');
  });

  it('does not duplicate the comment on a re-run and reports success in place after a fix', async () => {
    setUp();
    action.write('Dockfile.yaml', brokenDockfile);
    await action.invoke({ 'github-token': workflowToken });
    const rerun = await action.invoke({ 'github-token': workflowToken });
    expect(rerun.code).toBe(1);
    expect(comments()).toHaveLength(1);
    expect(commentWrites()).toHaveLength(1);
    const firstId = comments()[0]?.id;

    action.write('Dockfile.yaml', fixedDockfile);
    const fixed = await action.invoke({ 'github-token': workflowToken });
    expect(fixed.code).toBe(0);
    expect(fixed.failed).toBe(false);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.id).toBe(firstId);
    expect(comments()[0]?.body).toContain('✅ `Dockfile.yaml` **is valid**');
    expect(commentWrites().map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(action.outputs().valid).toBe('true');
  });

  it('stays quiet on a clean PR that never had a comment', async () => {
    setUp();
    action.write('Dockfile.yaml', fixedDockfile);
    const { code } = await action.invoke({ 'github-token': workflowToken });
    expect(code).toBe(0);
    expect(comments()).toHaveLength(0);
    expect(action.summary()).toContain('`Dockfile.yaml` **is valid**');
  });

  it('finds its comment on a later page and ignores markers written by someone else', async () => {
    setUp();
    github.state.tokens.set('ghp_personal', {
      login: 'release-bot',
      id: 77,
      type: 'User',
      canReadUser: true,
    });
    const where = { owner: 'acme', repo: 'agents', issueNumber: 7 };
    const human = { login: 'octocat', id: 1, type: 'User' as const, canReadUser: true };
    // Someone quoted our marker: it is not ours to edit.
    seedIssueComment(github.state, where, `${marker}\nquoted by a human`, human);
    for (let i = 0; i < 120; i++) seedIssueComment(github.state, where, `chatter ${i}`, human);
    const ours = seedIssueComment(github.state, where, `${marker}\nold report`, {
      login: 'release-bot',
      id: 77,
      type: 'User',
      canReadUser: true,
    });
    action.write('Dockfile.yaml', brokenDockfile);

    const { code } = await action.invoke({ 'github-token': 'ghp_personal' });
    expect(code).toBe(1);
    expect(comments()).toHaveLength(122);
    expect(ours.body).toContain('4002 InvalidSchemaError');
    expect(comments()[0]?.body).toBe(`${marker}\nquoted by a human`);
    const listed = github.state.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'));
    expect(listed.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
  });

  it('falls back to annotations and the summary when the token is read-only (403)', async () => {
    setUp();
    github.state.readOnly = true;
    action.write('Dockfile.yaml', brokenDockfile);
    const broken = await action.invoke({ 'github-token': workflowToken });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /::warning::the token cannot comment on this pull request.*annotations and the job summary/,
    );
    expect(broken.stdout).toContain('::error title=4002 InvalidSchemaError');
    expect(broken.stdout).toMatch(
      /^::error::Dockfile\.yaml:3:9 4002 agent\.name must be .* \(\+1 more error in the annotations and the job summary\)$/m,
    );
    expect(action.summary()).toContain('`Dockfile.yaml` **is invalid**');
    expect(github.state.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(comments()).toHaveLength(0);

    // The comment failure alone never fails the step.
    action.write('Dockfile.yaml', fixedDockfile);
    const fixed = await action.invoke({ 'github-token': workflowToken });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).not.toContain('::error');
    expect(action.outputs().valid).toBe('true');
  });

  it('does not try to comment on a fork PR and says why', async () => {
    setUp({ headRepository: 'contributor/agents' });
    action.write('Dockfile.yaml', brokenDockfile);
    const { code, stdout } = await action.invoke({ 'github-token': workflowToken });
    expect(code).toBe(1);
    expect(stdout).toMatch(/::warning::pull request from a fork: .*annotations and the job summary/);
    expect(github.state.requests.filter((r) => r.path.includes('/comments'))).toHaveLength(0);
    expect(action.summary()).toContain('`Dockfile.yaml` **is invalid**');
  });

  it('skips the comment when comment is false', async () => {
    setUp();
    action.write('Dockfile.yaml', brokenDockfile);
    const { code } = await action.invoke({ 'github-token': workflowToken, comment: 'false' });
    expect(code).toBe(1);
    expect(github.state.requests).toHaveLength(0);
  });

  it('makes warnings fail with strict', async () => {
    setUp();
    action.write('Dockfile.yaml', fixedDockfile.replace('auth:\n  mode: api_key\n', ''));
    const relaxed = await action.invoke({ 'github-token': workflowToken, comment: 'false' });
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain('::warning title=4100 AuthDefaultedWarning at auth,file=Dockfile.yaml');
    const strict = await action.invoke({ 'github-token': workflowToken, comment: 'false', strict: 'true' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('::error title=4100 AuthDefaultedWarning');
  });

  it('rejects a bad boolean input naming the input and the fix, before doing anything', async () => {
    setUp();
    action.write('Dockfile.yaml', fixedDockfile);
    const { code, stdout } = await action.invoke({ 'github-token': workflowToken, strict: 'yes' });
    expect(code).toBe(2);
    expect(stdout).toContain(
      "::error::usage: input 'strict' must be a boolean (true or false), got 'yes' — fix: set strict: true or strict: false",
    );
    expect(github.state.requests).toHaveLength(0);
  });

  it('reports a missing Dockfile as an annotated error', async () => {
    setUp();
    const { code, stdout } = await action.invoke({
      'github-token': workflowToken,
      dockfile: 'agents/Dockfile.yaml',
    });
    expect(code).toBe(1);
    expect(stdout).toContain('file=agents/Dockfile.yaml,line=1,col=1::agents/Dockfile.yaml does not exist');
  });

  it('on push, auto resolves to deploy and asks for an environment before doing anything', async () => {
    action = createActionRun({
      apiUrl: github.url,
      repository,
      eventName: 'push',
      payload: { ref: 'refs/heads/main' },
    });
    action.write('Dockfile.yaml', fixedDockfile);
    const { code, stdout } = await action.invoke({ 'github-token': workflowToken });
    expect(code).toBe(2);
    expect(stdout).toContain(
      "::error::usage: input 'environment' is required to deploy — fix: e.g. environment: staging",
    );
    expect(github.state.requests).toHaveLength(0);
  });

  it('command: validate on push validates without commenting', async () => {
    action = createActionRun({
      apiUrl: github.url,
      repository,
      eventName: 'push',
      payload: { ref: 'refs/heads/main' },
    });
    action.write('Dockfile.yaml', brokenDockfile);
    const { code, stdout } = await action.invoke({ 'github-token': workflowToken, command: 'validate' });
    expect(code).toBe(1);
    expect(stdout).toContain('::error title=4002 InvalidSchemaError at agent.name');
    expect(github.state.requests).toHaveLength(0);
    expect(action.outputs().valid).toBe('false');
  });

  it("keeps the comment under GitHub's limit with 300 problems: first rows, how many are left out, where the rest are", async () => {
    setUp();
    action.write('Dockfile.yaml', dockfileWithUnknownKeys(300));
    const { code, stdout } = await action.invoke({ 'github-token': workflowToken });
    expect(code).toBe(1);
    // The loopback GitHub refuses bodies over 65,536 characters (422) as GitHub does: it was accepted.
    expect(comments()).toHaveLength(1);
    const body = comments()[0]?.body ?? '';
    expect(codePoints(body)).toBeLessThanOrEqual(60_000);
    const shown = body.split('\n').filter((l) => l.startsWith('| ❌ error | 4002')).length;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(300);
    expect(body).toContain('unknown_key_0');
    expect(body).toContain(
      `**${300 - shown} of 300 problems are not shown here** (the table lists the first ${shown}).`,
    );
    expect(body).toContain('The full list is in the job summary and the `errors-json` output.');
    // The summary and errors-json have every one.
    expect(
      action
        .summary()
        .split('\n')
        .filter((l) => l.startsWith('| ❌ error | 4002')),
    ).toHaveLength(300);
    expect(JSON.parse(action.outputs()['errors-json'] ?? '{}').errors).toHaveLength(300);
    // 10 annotations (what GitHub shows per step), the rest as log lines, and a notice saying so.
    expect(stdout.match(/^::error title=/gm)).toHaveLength(10);
    expect(stdout).toContain(
      "Dockfile.yaml:305:3 4002 agent.unknown_key_299: unknown key 'unknown_key_299' in agent",
    );
    expect(stdout).toMatch(/^::notice::290 more problem\(s\) are not annotated/m);
  });

  it('with thousands of problems the job summary stays under 1 MiB and errors-json keeps them all', async () => {
    setUp();
    action.write('Dockfile.yaml', dockfileWithUnknownKeys(4000));
    const { code } = await action.invoke({ 'github-token': workflowToken });
    expect(code).toBe(1);
    const summary = action.summary();
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1_000_000);
    const shown = summary.split('\n').filter((l) => l.startsWith('| ❌ error | 4002')).length;
    expect(shown).toBeGreaterThan(1000);
    expect(summary).toContain(`**${4000 - shown} of 4000 problems are not shown here**`);
    expect(summary).toContain("this step's `errors-json` output");
    expect(JSON.parse(action.outputs()['errors-json'] ?? '{}').errors).toHaveLength(4000);
    expect(codePoints(comments()[0]?.body ?? '')).toBeLessThanOrEqual(60_000);
  }, 60_000);

  it('when GitHub refuses the update (422), the old ✅ comment is replaced by an out-of-date notice', async () => {
    setUp();
    const old = seedIssueComment(
      github.state,
      where,
      `${marker}\n✅ **Dockfile.yaml is valid** — no problems found.`,
      bot,
    );
    // GitHub answers 422 past its body limit; a lower limit on the loopback server makes the report "too long".
    setCommentBodyLimit(github.state, 700);
    action.write('Dockfile.yaml', brokenDockfile);
    const { code, stdout } = await action.invoke({ 'github-token': workflowToken });
    expect(code).toBe(1);
    expect(old.body).not.toContain('✅');
    expect(old.body.startsWith(`${marker}\n`)).toBe(true);
    expect(old.body).toContain('⚠️ **This report is out of date.**');
    expect(old.body).toContain('could not be written into this comment');
    expect(stdout).toMatch(/::warning::GitHub refused the report for the PR comment \(HTTP 422\)/);
  });

  it('when the comment can be neither updated nor marked stale, the step fails and says so', async () => {
    setUp();
    const old = seedIssueComment(
      github.state,
      where,
      `${marker}\n❌ **Dockfile.yaml is invalid** — 2 error(s).`,
      bot,
    );
    github.state.readOnly = true;
    action.write('Dockfile.yaml', fixedDockfile);
    const { code, stdout } = await action.invoke({ 'github-token': workflowToken });
    // The Dockfile is valid, but the PR still shows the old ❌: that must not pass silently.
    expect(code).toBe(1);
    expect(old.body).toContain('❌');
    const failure = stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(failure).toEqual([
      `::error::github: could not update the PR comment https://github.com/acme/agents/pull/7#issuecomment-${old.id} (HTTP 403); it still shows an earlier report — fix: give the job \`pull-requests: write\` (the comment is edited with github-token), or delete that comment`,
    ]);

    // An invalid Dockfile with an old ✅ that cannot be touched: the Dockfile's error is the failure, the comment one more error.
    old.body = `${marker}\n✅ **Dockfile.yaml is valid** — no problems found.`;
    action.write('Dockfile.yaml', brokenDockfile);
    const broken = await action.invoke({ 'github-token': workflowToken });
    expect(broken.code).toBe(1);
    const errors = broken.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors[0]).toContain('github: could not update the PR comment');
    expect(errors[1]).toMatch(/^::error::Dockfile\.yaml:3:9 4002 /);
  });

  it('deploy with an invalid Dockfile fails the step with one repo-relative line, before any build', async () => {
    action = createActionRun({
      apiUrl: github.url,
      repository,
      eventName: 'push',
      payload: { ref: 'refs/heads/main' },
    });
    action.write('Dockfile.yaml', brokenDockfile);
    const { code, stdout, failed } = await action.invoke({
      'github-token': workflowToken,
      environment: 'staging',
      'environments-repo': 'acme/environments',
    });
    expect(code).toBe(1);
    expect(failed).toBe(true);
    const errors = stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::Dockfile\.yaml:3:9 4002 agent\.name must be a DNS-1123 label.* — fix: use 'invoice-copilot' \(\+1 more error in the job summary\)$/,
    );
    expect(action.summary()).toContain('Dockfile.yaml is invalid (2 error(s))');
    expect(github.state.requests).toHaveLength(0);
  });

  it('env leak: a process-environment value reaches no annotation, summary, comment or errors-json', async () => {
    setUp();
    const canary = 'Canary Secret 9f3Q!';
    action.write(
      'Dockfile.yaml',
      'version: "1.0"\nagent:\n  name: leak\n  handler: app.main:handle\n  framework: ${CANARY}\ndeploy:\n  image: "${CANARY}"\n',
    );
    process.env.CANARY = canary;
    let run: { code: number; stdout: string };
    try {
      run = await action.invoke({ 'github-token': workflowToken });
    } finally {
      delete process.env.CANARY;
    }
    expect(run.code).toBe(1);
    const everything = [
      run.stdout,
      action.summary(),
      JSON.stringify(action.outputs()),
      ...comments().map((c) => c.body),
    ];
    expect(comments()).toHaveLength(1);
    expect(action.outputs()['errors-json']).toContain('${CANARY}');
    for (const text of everything) {
      expect(text.toLowerCase()).not.toContain(canary.toLowerCase());
      expect(text.toLowerCase()).not.toContain('canary-secret');
    }
  });

  it('Markdown and mention injection: unknown keys in the sticky comment render as code', async () => {
    setUp();
    const keys = hostileStrings.map((key) => `${JSON.stringify(key)}: 1`).join('\n');
    action.write('Dockfile.yaml', `${fixedDockfile}${keys}\n`);
    const { code } = await action.invoke({ 'github-token': workflowToken });
    expect(code).toBe(1);
    const body = comments()[0]?.body ?? '';
    expect(body).toContain('@acme/security-team');
    for (const markdown of [body, action.summary()]) {
      const outside = outsideCode(renderGfm(markdown));
      expect(outside).not.toContain('@acme');
      expect(outside).not.toContain('evil.example');
      expect(outside).not.toMatch(/<img|<em>|<del>/);
    }
  });

  it('a Dockfile symlinked to .git/config does not post the persisted checkout token', async () => {
    setUp();
    const token = 'ghs_PersistedCheckoutToken0123456789';
    action.write(
      '.git/config',
      `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${token}\n`,
    );
    symlinkSync('.git/config', join(action.workspace, 'Dockfile.yaml'));
    const { code, stdout } = await action.invoke({ 'github-token': workflowToken });
    expect(code).toBe(1);
    const body = comments()[0]?.body ?? '';
    expect(body).toContain("is inside the repository's .git directory");
    for (const text of [stdout, action.summary(), body, JSON.stringify(action.outputs())]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('extraheader');
    }
  });
});
