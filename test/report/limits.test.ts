/**
 * Everything the Action posts stays within GitHub's size limits: the helpers that count and cut,
 * the validation report (comment and job summary) and the deployment PR body.
 */

import { describe, expect, it } from 'vitest';
import { contractOf } from '../../action/contract/index.ts';
import type { Diagnostic, ValidationResult } from '../../action/dockfile/types.ts';
import {
  contractSectionBudget,
  type PullRequestBodyInput,
  renderPullRequestBody,
} from '../../action/gitops/pr-body.ts';
import { summaryMarkdown as deploySummary } from '../../action/modes/deploy.ts';
import { historyMarkdown } from '../../action/modes/history.ts';
import { diagnosticLine, diagnosticsLine, failureLine } from '../../action/report/failure.ts';
import {
  bodyBudget,
  codePoints,
  fitLines,
  GITHUB_BODY_LIMIT,
  summaryBudget,
  truncateText,
  utf8Bytes,
} from '../../action/report/limits.ts';
import { formatMarkdown } from '../../action/report/markdown.ts';
import { commentBudget, validationMarker } from '../../action/report/sticky-comment.ts';
import { reviewContract } from '../../action/review/contract-section.ts';
import { GitOpsError, UsageError } from '../../shared/errors.ts';
import { withRequiredInputFields } from '../contract/support.ts';
import { fullSpec } from '../generators/support.ts';

function diagnostic(i: number, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return {
    code: severity === 'error' ? 4002 : 4100,
    name: severity === 'error' ? 'InvalidSchemaError' : 'AuthDefaultedWarning',
    path: `deploy.environments.staging.env.VARIABLE_NUMBER_${i}`,
    file: 'agents/invoice/Dockfile.yaml',
    line: 10 + i,
    column: 7,
    message: `deploy.environments.staging.env.VARIABLE_NUMBER_${i} must be a string; found a mapping with ${i} keys — "quoted" <tags> | pipes`,
    hint: 'quote the value, e.g. VARIABLE: "value"; numbers and booleans must be quoted too',
    severity,
  };
}

function result(errors: number, warnings = 0): ValidationResult {
  return {
    valid: errors === 0,
    file: 'agents/invoice/Dockfile.yaml',
    errors: Array.from({ length: errors }, (_, i) => diagnostic(i)),
    warnings: Array.from({ length: warnings }, (_, i) => diagnostic(i, 'warning')),
  };
}

const tableRows = (markdown: string) => markdown.split('\n').filter((l) => /^\| (❌|⚠️)/.test(l));

describe('counting and cutting', () => {
  it('counts code points as GitHub does, and UTF-8 bytes for the summary', () => {
    expect(codePoints('abc')).toBe(3);
    expect(codePoints('✅🌈日')).toBe(3); // '🌈'.length is 2
    expect(utf8Bytes('✅🌈日')).toBe(3 + 4 + 3);
    expect(GITHUB_BODY_LIMIT).toBe(65_536);
    expect(bodyBudget.max).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(summaryBudget().max).toBeLessThan(1024 * 1024);
    expect(summaryBudget(999_000).max).toBe(1_000);
  });

  it('keeps the longest prefix of lines that fits, measuring each once', () => {
    const budget = { max: 100, measure: codePoints };
    const fitted = fitLines(['aaaa', 'bbbb', 'cccc'], 9, budget);
    expect(fitted).toEqual({ lines: ['aaaa', 'bbbb'], omitted: 1 });
    expect(fitLines(['toolong'], 3, budget)).toEqual({ lines: [], omitted: 1 });
  });

  it('truncates without splitting a surrogate pair and always keeps the suffix', () => {
    const budget = { max: 6, measure: (t: string) => t.length };
    const cut = truncateText('ab🌈🌈🌈', budget, '…');
    expect(cut).toBe('ab🌈…');
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(truncateText('short', budget, '…')).toBe('short');
  });
});

describe('the validation report under a budget', () => {
  const marker = validationMarker('agents/invoice/Dockfile.yaml');

  it('is unchanged when it fits', () => {
    const small = result(3, 1);
    expect(formatMarkdown(small, { budget: commentBudget(marker) })).toBe(formatMarkdown(small));
  });

  it.each([165, 300, 5000])(
    'a comment with %i errors fits, lists the first rows, the number left out and where the rest are',
    (n) => {
      const blobUrl = (file: string, line: number) =>
        `https://github.com/acme/agents/blob/${'a'.repeat(40)}/${file}#L${line}`;
      const markdown = formatMarkdown(result(n, 2), {
        budget: commentBudget(marker),
        fullListAt:
          'the [job summary](https://github.com/acme/agents/actions/runs/1) and the `errors-json` output',
        blobUrl,
      });
      const body = `${marker}\n${markdown}`;
      expect(codePoints(body)).toBeLessThanOrEqual(bodyBudget.max);
      // Without the cap, the same table would not fit in a GitHub comment.
      expect(codePoints(formatMarkdown(result(n, 2), { blobUrl }))).toBeGreaterThan(GITHUB_BODY_LIMIT);
      const rows = tableRows(markdown);
      expect(rows.length).toBeGreaterThan(50);
      // Errors come first, in order.
      expect(rows[0]).toContain('VARIABLE_NUMBER_0');
      expect(rows.at(-1)).toContain(`VARIABLE_NUMBER_${rows.length - 1}`);
      const total = n + 2;
      expect(markdown).toContain(
        `**${total - rows.length} of ${total} problems are not shown here** (the table lists the first ${rows.length}).`,
      );
      expect(markdown).toContain(
        'The full list is in the [job summary](https://github.com/acme/agents/actions/runs/1) and the `errors-json` output.',
      );
      expect(markdown).toContain(
        `❌ \`agents/invoice/Dockfile.yaml\` **is invalid** — ${n} error(s), 2 warning(s).`,
      );
    },
  );

  it('a job summary with thousands of errors stays under 1 MiB, with multi-byte text counted in bytes', () => {
    const markdown = formatMarkdown(result(8000), {
      budget: summaryBudget(),
      fullListAt: 'the `errors-json` output',
    });
    expect(utf8Bytes(markdown)).toBeLessThanOrEqual(1_000_000);
    expect(utf8Bytes(formatMarkdown(result(8000)))).toBeGreaterThan(1024 * 1024);
    expect(tableRows(markdown).length).toBeGreaterThan(2000);
    expect(markdown).toMatch(/\*\*\d+ of 8000 problems are not shown here\*\*/);
  });
});

describe('failure lines', () => {
  it('one line: where, code, problem, fix — and how many more', () => {
    const d = { ...diagnostic(0), message: 'first line\n  second line', path: 'deploy.image' };
    expect(diagnosticLine(d)).toBe(
      'agents/invoice/Dockfile.yaml:10:7 4002 deploy.image: first line second line — fix: quote the value, e.g. VARIABLE: "value"; numbers and booleans must be quoted too',
    );
    expect(diagnosticsLine([d, d, d], 'the job summary')).toMatch(/ \(\+2 more errors in the job summary\)$/);
    expect(failureLine(new UsageError("input 'to' is required", 'e.g. to: 1.2.0'))).toBe(
      "usage: input 'to' is required — fix: e.g. to: 1.2.0",
    );
    expect(failureLine(new GitOpsError('push rejected'))).toBe('gitops: push rejected');
    const invalid = Object.assign(new Error('x'), { diagnostics: [{ ...d, file: '/ws/Dockfile.yaml' }] });
    expect(failureLine(invalid, { relative: (f) => f.replace('/ws/', '') })).toMatch(
      /^Dockfile\.yaml:10:7 4002 /,
    );
    expect(failureLine(new Error('plain\nerror'))).toBe('plain error');
  });
});

describe("the deployment PR body under GitHub's limit", () => {
  const base: PullRequestBodyInput = {
    kind: 'deploy',
    agent: 'invoice-copilot',
    environment: 'staging',
    version: '1.2.0',
    image: `ghcr.io/acme/invoice-copilot:1.2.0@sha256:${'a'.repeat(64)}`,
    digest: `sha256:${'a'.repeat(64)}`,
    sourceUrl: 'https://github.com/acme/agents',
    sourceRepository: 'acme/agents',
    sourceCommit: 'b'.repeat(40),
    changedFiles: [{ status: 'M', path: 'staging/invoice-copilot/compose.yaml' }],
    diff: '--- a/compose.yaml\n+++ b/compose.yaml\n-old\n+new',
    diffTruncated: false,
    rollbackCommand:
      'dockrion rollback --environments-repo acme/environments --env staging --agent invoice-copilot --to 1.1.0',
    previousVersion: '1.1.0',
    restoredCommit: null,
  };
  const manyFiles = Array.from({ length: 4000 }, (_, i) => ({
    status: 'A',
    path: `staging/invoice-copilot/config/generated/settings-${String(i).padStart(5, '0')}.yaml`,
  }));
  const wideDiff = Array.from({ length: 80 }, (_, i) => `+line ${i} ${'x'.repeat(2000)} \`\`\``).join('\n');

  it('is unchanged when everything fits', () => {
    expect(renderPullRequestBody(base)).toContain('- `M` `staging/invoice-copilot/compose.yaml`');
    expect(renderPullRequestBody(base)).not.toContain('more (not listed here');
  });

  it('keeps the first files, says how many more, and keeps the first diff lines, within the limit', () => {
    const body = renderPullRequestBody({ ...base, changedFiles: manyFiles, diff: wideDiff });
    expect(codePoints(body)).toBeLessThanOrEqual(bodyBudget.max);
    const listed = body.split('\n').filter((l) => l.startsWith('- `A` `staging/'));
    expect(listed.length).toBeGreaterThan(50);
    expect(listed[0]).toContain('settings-00000.yaml');
    expect(body).toContain(`- … and ${4000 - listed.length} more (not listed here`);
    expect(body).toContain('Rendered diff (first lines)');
    expect(body).toContain('+line 0 ');
    // Both halves got room, and the parts after them are intact.
    expect(body.match(/^\+line \d+/gm)?.length ?? 0).toBeGreaterThan(5);
    expect(body).toContain('### Roll back');
    expect(body).toContain(base.rollbackCommand ?? '');
    // The fence is longer than any backtick run in the diff, and it is closed.
    const fences = body.split('\n').filter((l) => /^````+/.test(l));
    expect(fences).toHaveLength(2);
  });

  it('a contract section of thousands of changes keeps its room, and the whole body fits', () => {
    const before = contractOf(fullSpec());
    const after = withRequiredInputFields(before, 3000);
    const section = reviewContract({ kind: 'contract', contract: before, label: '1.1.0 (deployed)' }, after, {
      budget: contractSectionBudget,
    }).markdown;
    expect(codePoints(section)).toBeLessThanOrEqual(contractSectionBudget.max);
    expect(section).toMatch(/…and \d+ more changes left out to fit/);
    const body = renderPullRequestBody({
      ...base,
      changedFiles: manyFiles,
      diff: wideDiff,
      contractSection: section,
    });
    expect(codePoints(body)).toBeLessThanOrEqual(bodyBudget.max);
    expect(body).toContain(section.trimEnd());
    expect(body).toContain('Rendered diff (first lines)');
    expect(body).toContain('### Roll back');
  });

  it('cuts a single huge diff line instead of dropping the diff', () => {
    const body = renderPullRequestBody({ ...base, diff: `+${'🌈'.repeat(80_000)}` });
    expect(codePoints(body)).toBeLessThanOrEqual(bodyBudget.max);
    expect(body).toMatch(/\+(🌈)+…\n/u);
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
  });
});

describe('job summaries of the deploy and history modes', () => {
  it('a deploy that changed 20,000 files lists the first ones within 1 MiB', () => {
    const files = Array.from(
      { length: 20_000 },
      (_, i) => `staging/invoice-copilot/generated/file-${i}-${'n'.repeat(60)}.yaml`,
    );
    const markdown = deploySummary(
      {
        agent: 'invoice-copilot',
        environment: 'staging',
        version: '1.0.0',
        image: `ghcr.io/acme/invoice-copilot:1.0.0@sha256:${'a'.repeat(64)}`,
        digest: `sha256:${'a'.repeat(64)}`,
        commit: 'c'.repeat(40),
        branch: 'dockrion/staging/invoice-copilot',
        pr_url: 'https://github.com/acme/environments/pull/1',
        pr_number: 1,
        operation: 'created',
        built: true,
        changed_files: files,
        contract_changes: null,
        timings: { render: 1200 },
      },
      'acme/environments',
    );
    expect(utf8Bytes(markdown)).toBeLessThanOrEqual(1_000_000);
    const listed = markdown.split('\n').filter((l) => l.startsWith('- `staging/')).length;
    expect(listed).toBeGreaterThan(5000);
    expect(markdown).toContain(
      `- … and ${20_000 - listed} more (the commit in the environments repo has them all)`,
    );
    expect(markdown.trimEnd().endsWith('<sub>render 1.2 s</sub>')).toBe(true);
  });

  it('a history row whose dockrion.json is corrupt says so instead of showing a version', () => {
    const entry = {
      commit: 'a'.repeat(40),
      date: '2026-01-01T00:00:00Z',
      kind: 'deploy' as const,
      subject: 'deploy',
      version: null,
      digest: null,
      image: null,
      source: null,
      undoes: null,
      undoesDigest: null,
      unreadable: true,
    };
    const markdown = historyMarkdown(
      { environment: 'staging', agent: 'invoice-copilot', deployments: [entry] },
      summaryBudget(),
    );
    expect(markdown).toContain(
      `| \`${'a'.repeat(12)}\` | \`2026-01-01T00:00:00Z\` | deploy | (unreadable \`dockrion.json\`) | – | – |`,
    );
  });

  it('a history of 10,000 entries keeps the newest rows within the budget and points at history-json', () => {
    const deployments = Array.from({ length: 10_000 }, (_, i) => ({
      commit: String(i).padStart(40, 'f'),
      date: '2026-01-01T00:00:00Z',
      kind: 'deploy' as const,
      subject: `deploy ${i}`,
      version: `1.0.${i}`,
      digest: `sha256:${'d'.repeat(64)}`,
      image: 'ghcr.io/acme/a:1',
      source: { repository: 'acme/agents', commit: 'e'.repeat(40) },
      undoes: null,
      undoesDigest: null,
      unreadable: false,
    }));
    const markdown = historyMarkdown(
      { environment: 'staging', agent: 'invoice-copilot', deployments },
      summaryBudget(400_000),
    );
    expect(utf8Bytes(markdown)).toBeLessThanOrEqual(600_000);
    const rows = markdown.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(1000);
    expect(rows[0]).toContain('`1.0.0`');
    expect(markdown).toContain(
      `_${10_000 - rows.length} older entries are not shown here; the \`history-json\` output has all 10000._`,
    );
  });
});
