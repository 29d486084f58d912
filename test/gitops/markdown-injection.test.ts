import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Contract, contractOf } from '../../action/contract/index.ts';
import type { Deployment } from '../../action/gitops/history.ts';
import { deployMessage, rollbackMessage } from '../../action/gitops/messages.ts';
import { rollbackCommand } from '../../action/gitops/operations.ts';
import { contractSectionBudget, renderPullRequestBody } from '../../action/gitops/pr-body.ts';
import type { DeployRecord } from '../../action/gitops/record.ts';
import { summaryMarkdown } from '../../action/modes/deploy.ts';
import { noContractReview, reviewContract } from '../../action/review/contract-section.ts';
import { fullSpec } from '../generators/support.ts';
import { hostileStrings, outsideCode, renderGfm } from '../support/gfm.ts';

// A version as it may be read back from the environments repo (a hand edit, an older dockrion):
// the Dockfile grammar no longer admits it, but everything that prints it must stay safe anyway.
const hostileVersion = '7.0.0 && touch PWNED #';

/** A contract whose every user-written string is `hostile`. */
function hostileContract(hostile: string): Contract {
  const contract = contractOf(fullSpec());
  return { ...contract, agent: hostile, endpoints: [...contract.endpoints, hostile] };
}

function expectInert(html: string): void {
  const outside = outsideCode(html);
  expect(outside).not.toContain('@acme');
  expect(outside).not.toContain('evil.example');
  expect(outside).not.toMatch(/<img|<em>|<del>/);
}

describe('Markdown injection in the deployment PR body and the deploy job summary', () => {
  it.each(hostileStrings)('a PR body whose values hold %s renders them as code', (hostile) => {
    const body = renderPullRequestBody({
      kind: 'deploy',
      agent: hostile,
      environment: hostile,
      version: hostile,
      image: hostile,
      digest: hostile,
      sourceUrl: 'https://github.com/acme/agents',
      sourceRepository: hostile,
      sourceCommit: hostile,
      changedFiles: [{ status: 'M', path: hostile }],
      diff: `+ ${hostile}\n\`\`\`\n${hostile}`,
      diffTruncated: false,
      rollbackCommand: `dockrion rollback --to '${hostile}'`,
      previousVersion: hostile,
      restoredCommit: hostile,
      contractSection: reviewContract(
        { kind: 'contract', contract: hostileContract(hostile), label: hostile },
        { ...hostileContract(hostile), secrets: { required: [hostile, 'NEW'], optional: [] } },
        { budget: contractSectionBudget },
      ).markdown,
    });
    expect(body).toContain('Contract changes');
    const html = renderGfm(body);
    expectInert(html);
    for (const href of html.matchAll(/href="([^"]*)"/g))
      expect(href[1]).toMatch(/^https:\/\/github\.com\/acme\/agents/);
    // The table keeps its two columns in every row.
    for (const row of html.split('<tr>').slice(2)) expect(row.match(/<td>/g)).toHaveLength(2);
  });

  it.each(hostileStrings)('the deploy job summary renders %s as code', (hostile) => {
    const markdown = summaryMarkdown(
      {
        agent: hostile,
        environment: hostile,
        version: hostile,
        image: hostile,
        digest: hostile,
        commit: hostile,
        branch: hostile,
        pr_url: 'https://github.com/acme/envs/pull/1',
        pr_number: 1,
        operation: 'created',
        built: true,
        changed_files: [hostile],
        contract_changes: {
          summary: hostile,
          changes: {
            breaking: [{ class: 'breaking', path: hostile, message: `${hostile}: removed` }],
            widening: [],
            operational: [],
            compatible: [{ class: 'compatible', path: 'x', message: hostile }],
          },
        },
        timings: { image: 1000 },
      },
      hostile,
    );
    expect(markdown).toContain('Contract changes');
    expectInert(renderGfm(markdown));
  });

  it.each(hostileStrings)('a contract section with nothing compared shows %s as code', (hostile) => {
    const markdown = noContractReview({
      why: 'No contract to compare: the base commit could not be read',
      detail: hostile,
    }).markdown;
    expect(markdown).toMatch(/^### Contract changes\n\nNo contract to compare: /);
    expectInert(renderGfm(markdown));
  });
});

describe('the suggested rollback command is a shell line whose arguments are quoted', () => {
  const previous = { version: hostileVersion } as Deployment;

  it('a version like "7.0.0 && touch PWNED #" stays one argument', () => {
    const command = rollbackCommand(
      { url: 'https://github.com/acme/envs.git' },
      'staging',
      'agent',
      previous,
      false,
    );
    expect(command).toBe(
      "dockrion rollback --environments-repo https://github.com/acme/envs.git --env staging --agent agent --to '7.0.0 && touch PWNED #'",
    );
    // Run it through a real shell, with `dockrion` standing for a function that prints its arguments.
    const dir = mkdtempSync(join(tmpdir(), 'dockrion-shell-'));
    try {
      const printed = execFileSync('bash', ['-c', `dockrion() { printf '%s\\n' "$@"; }; ${command}`], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(printed.split('\n').slice(-2, -1)).toEqual([hostileVersion]);
      expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("quotes a repository URL, environment and agent with a ' in them", () => {
    const command = rollbackCommand({ url: "/tmp/o'brien/envs" }, "st'g", 'a b', previous, true);
    expect(command).toBe(
      "dockrion rollback --environments-repo '/tmp/o'\\''brien/envs' --env 'st'\\''g' --agent 'a b' --to '7.0.0 && touch PWNED #' --direct",
    );
  });
});

describe('commit messages', () => {
  const record: DeployRecord = {
    agent: 'agent',
    environment: 'staging',
    version: '1.0.0\n\nDockrion-Agent: someone-else',
    image: 'registry/agent:1.0.0@sha256:abc',
    digest: `sha256:${'a'.repeat(64)}`,
    source: { repository: 'acme/agents', commit: 'b'.repeat(40) },
    dockfile_sha256: null,
  };

  it('a newline in the version cannot split the subject or forge a trailer', () => {
    const message = deployMessage(record);
    const [subject, blank] = message.split('\n');
    expect(subject).toBe('deploy(agent): staging 1.0.0 Dockrion-Agent: someone-else @ aaaaaaaaaaaa');
    expect(blank).toBe('');
    expect(message.match(/^Dockrion-Agent: /gm)).toEqual(['Dockrion-Agent: ']);
    const rollback = rollbackMessage({
      target: record,
      targetCommit: 'c'.repeat(40),
      fromVersion: '2\n3',
      fromCommit: null,
    });
    expect(rollback.split('\n')[0]).toBe('rollback(agent): staging 2 3 → 1.0.0 Dockrion-Agent: someone-else');
  });
});
