import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthHeader } from '../../action/gitops/git.ts';
import { deployToEnvironments, readHistory } from '../../action/gitops/index.ts';
import { GitOpsError } from '../../shared/errors.ts';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context, gitOpsFailure } from './support.ts';

const TOKEN = 'ghs_writeTokenForEnvironmentsRepo0001';
const READ_ONLY = 'ghs_workflowTokenOfAnotherRepo0002';

describe('the environments repo over HTTPS with a token (git http-backend)', () => {
  let box: Sandbox;
  let server: GitHttpServer;
  let bare: string;
  beforeAll(async () => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    server = await startGitHttpServer({ root: box.dir, token: TOKEN, readOnlyToken: READ_ONLY });
  });
  afterAll(async () => {
    await server.close();
    box.cleanup();
  });

  it('fetches and pushes with the token sent as a Basic x-access-token header', async () => {
    const ctx = context();
    const record = recordFor('invoice-copilot', 'prod', '1.0.0');
    const out = await deployToEnvironments(
      {
        target: { url: server.url('environments.git'), token: TOKEN },
        record,
        files: manifestsFor(record),
        direct: true,
      },
      ctx,
    );
    expect(out.operation).toBe('direct');
    expect(git(bare, ['rev-parse', 'main'])).toBe(out.commit);
    expect(server.seenAuthorization).toContain(basicAuthHeader(TOKEN).replace('Authorization: ', ''));
    // The token is never part of a URL.
    expect(server.seenUrls.join('\n')).not.toContain(TOKEN);
    const history = await readHistory(
      {
        target: { url: server.url('environments.git'), token: TOKEN },
        environment: 'prod',
        agent: 'invoice-copilot',
      },
      ctx,
    );
    expect(history.map((h) => h.version)).toEqual(['1.0.0']);
  });

  it('names the environments-token input when the token is wrong or missing', async () => {
    const ctx = context();
    const record = recordFor('invoice-copilot', 'prod', '2.0.0');
    for (const token of ['ghp_wrong', null]) {
      const attempt = deployToEnvironments(
        {
          target: { url: server.url('environments.git'), token },
          record,
          files: manifestsFor(record),
          direct: true,
        },
        ctx,
      );
      const error = await gitOpsFailure(attempt);
      expect(error.message).toMatch(/authentication failed \(HTTP 401\)/);
      expect(error.hint).toContain('environments-token');
      expect(error.hint).toContain('GITHUB_TOKEN cannot write to another repository');
      expect(`${error.message} ${error.hint}`).not.toContain('ghp_wrong');
    }
  });

  it('explains a 403 on push (a token that can read but not write)', async () => {
    const ctx = context();
    const record = recordFor('invoice-copilot', 'prod', '3.0.0');
    const error = await gitOpsFailure(
      deployToEnvironments(
        {
          target: { url: server.url('environments.git'), token: READ_ONLY },
          record,
          files: manifestsFor(record),
          direct: true,
        },
        ctx,
      ),
    );
    expect(error).toBeInstanceOf(GitOpsError);
    expect(error.message).toMatch(/push to .* was refused \(HTTP 403\)/);
    expect(error.hint).toContain('environments-token');
    expect(error.message).not.toContain(READ_ONLY);
  });

  it('says a missing repository may be a token that cannot see it', async () => {
    const ctx = context();
    const error = await gitOpsFailure(
      readHistory(
        {
          target: { url: server.url('nope.git'), token: TOKEN },
          environment: 'prod',
          agent: 'invoice-copilot',
        },
        ctx,
      ),
    );
    expect(error).toBeInstanceOf(GitOpsError);
    expect(error.message).toMatch(/not found \(HTTP 404/);
    expect(error.hint).toContain('environments-token');
  });

  it('keeps the token out of every git config the tool writes', async () => {
    // The tool's clones are temporary; prove nothing about the token lands in the remote either.
    const config = readFileSync(join(bare, 'config'), 'utf8');
    expect(config).not.toContain(TOKEN);
    const objects = git(bare, ['cat-file', '--batch-all-objects', '--batch']);
    expect(objects).not.toContain(TOKEN);
  });
});
