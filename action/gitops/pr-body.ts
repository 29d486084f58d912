import Handlebars from 'handlebars';
import { bodyBudget, codePoints, largest, type TextBudget, truncateText } from '../report/limits.ts';
import { codeBlock, codeSpan, linkDestination } from '../report/markdown-escape.ts';

export interface ChangedFile {
  /** git's name-status letter: A, M, D. */
  status: string;
  path: string;
}

export interface PullRequestBodyInput {
  kind: 'deploy' | 'rollback';
  agent: string;
  environment: string;
  version: string;
  image: string;
  digest: string;
  /** Web link to the source repository, when known. */
  sourceUrl: string | null;
  sourceRepository: string | null;
  sourceCommit: string | null;
  changedFiles: ChangedFile[];
  /** Unified diff of the folder (already cut to size; encrypted files left out). */
  diff: string;
  diffTruncated: boolean;
  /** The command that undoes this change, or null for a first deploy. */
  rollbackCommand: string | null;
  previousVersion: string | null;
  restoredCommit: string | null;
  /**
   * The "Contract changes" section (action/review), already escaped and within
   * {@link contractSectionBudget}; null leaves it out.
   */
  contractSection?: string | null;
}

/**
 * The most the contract section may take of a PR body (GitHub allows 65,536 characters): the
 * file list and the rendered diff share the rest. It comes first: it is what a reviewer decides on.
 */
export const contractSectionBudget: TextBudget = { max: 20_000, measure: codePoints };

// Every value is user-controlled (a Dockfile's version, a repository name, a path) and arrives
// here already rendered by the one code-span helper (`code.*`, `list`): literal code, never
// Markdown, so it can show no link, image, mention or HTML.
const TEMPLATE = `## {{#if (eq kind "rollback")}}Rollback{{else}}Deploy{{/if}} {{code.agent}} {{code.version}} to {{code.environment}}

| | |
|---|---|
| Agent | {{code.agent}} |
| Environment | {{code.environment}} |
| Version | {{code.version}}{{#if previousVersion}} (was {{code.previousVersion}}){{/if}} |
| Image | {{code.image}} |
| Digest | {{code.digest}} |
{{#if sourceCommit}}
| Source | {{#if link.sourceUrl}}[{{code.sourceRepository}}]({{link.sourceUrl}}){{else}}{{code.sourceRepository}}{{/if}} @ {{#if link.commitUrl}}[{{code.shortCommit}}]({{link.commitUrl}}){{else}}{{code.sourceCommit}}{{/if}} |
{{/if}}
{{#if restoredCommit}}
| Restores | {{code.restoredCommit}} |
{{/if}}
{{#if contractSection}}

{{contractSection}}
{{/if}}

### Changed files
{{#each files}}
- {{this}}
{{/each}}
{{#if filesOmitted}}
- … and {{filesOmitted}} more (not listed here, to stay within GitHub's size limit; see *Files changed*)
{{/if}}

<details><summary>Rendered diff{{#if diffTruncated}} (first lines){{/if}}</summary>

{{diffBlock}}

</details>

### Roll back
{{#if rollbackCommand}}
After merging, this deploy is undone with:

{{rollbackBlock}}

or by reverting its commit (\`git revert\`), which gives the same tree.
{{else}}
This is the first deploy of {{code.agent}} to {{code.environment}}; to undo it, revert its commit.
{{/if}}

<sub>Opened by dockrion. Secrets are committed only encrypted (\`secrets.env.age\`, \`secret.sops.yaml\` or \`sealedsecret.yaml\`).</sub>
`;

const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
// Markdown, not HTML: escaping would turn `<` in a diff into `&lt;`.
const render = handlebars.compile(TEMPLATE, { noEscape: true, strict: false });

function renderBody(input: PullRequestBodyInput, filesOmitted = 0): string {
  const cell = (text: string | null) => (text === null ? '' : codeSpan(text, { table: true }));
  const code = {
    agent: cell(input.agent),
    environment: cell(input.environment),
    version: cell(input.version),
    previousVersion: cell(input.previousVersion),
    image: cell(input.image),
    digest: cell(input.digest),
    sourceRepository: cell(input.sourceRepository ?? input.sourceUrl ?? ''),
    sourceCommit: cell(input.sourceCommit),
    shortCommit: cell(input.sourceCommit?.slice(0, 12) ?? null),
    restoredCommit: cell(input.restoredCommit),
  };
  // Links only to the source repository's web URL, and to a commit only by its hex id.
  const isCommitId = /^[0-9a-f]{7,64}$/.test(input.sourceCommit ?? '');
  const link = {
    sourceUrl: input.sourceUrl ? linkDestination(input.sourceUrl) : null,
    commitUrl:
      input.sourceUrl && isCommitId
        ? linkDestination(`${input.sourceUrl}/commit/${input.sourceCommit}`)
        : null,
  };
  return render({
    ...input,
    code,
    link,
    filesOmitted,
    files: input.changedFiles.map((f) => `${codeSpan(f.status)} ${codeSpan(f.path)}`),
    diffBlock: codeBlock(input.diff, 'diff'),
    rollbackBlock: input.rollbackCommand === null ? '' : codeBlock(input.rollbackCommand, 'sh'),
  }).replace(/\n{3,}/g, '\n\n');
}

/**
 * The PR body, within GitHub's limit (65,536 characters; `budget` leaves margin). When the file
 * list and the diff do not both fit, each gets at least half of the room left by the rest of the
 * body: the list keeps its first files and says how many more there are, the diff keeps its first
 * lines (the last one possibly cut) and is marked "first lines".
 */
export function renderPullRequestBody(input: PullRequestBodyInput, budget: TextBudget = bodyBudget): string {
  const fits = (text: string) => budget.measure(text) <= budget.max;
  const full = renderBody(input);
  if (fits(full)) return full;

  const files = input.changedFiles;
  const withFiles = (kept: number, diff: string) =>
    renderBody(
      { ...input, changedFiles: files.slice(0, kept), diff, diffTruncated: true },
      files.length - kept,
    );
  const bare = withFiles(0, '');
  if (!fits(bare)) return truncateText(bare, budget, "\n\n_(cut to fit GitHub's size limit)_\n");

  const room = budget.max - budget.measure(bare);
  const filesRoom = Math.max(Math.floor(room / 2), room - budget.measure(input.diff));
  const keptFiles = largest(
    files.length,
    (n) => budget.measure(withFiles(n, '')) - budget.measure(bare) <= filesRoom,
  );

  const lines = input.diff.split('\n');
  const keptLines = largest(lines.length, (n) => fits(withFiles(keptFiles, lines.slice(0, n).join('\n'))));
  let diff = lines.slice(0, keptLines).join('\n');
  const next = lines[keptLines];
  if (next !== undefined) {
    // A very long line (minified JSON, a long value) is cut rather than dropped whole.
    const join = (part: string) => (diff ? `${diff}\n${part}…` : `${part}…`);
    const chars = largest(next.length, (n) => fits(withFiles(keptFiles, join(next.slice(0, n)))));
    // Never end on half of a surrogate pair.
    const end = /[\uD800-\uDBFF]/.test(next.charAt(chars - 1)) ? chars - 1 : chars;
    if (end > 0) diff = join(next.slice(0, end));
  }
  return withFiles(keptFiles, diff);
}

/** Keeps the diff short and leaves out ciphertext, which tells a reviewer nothing. */
export function summarizeDiff(diff: string, maxLines = 80): { diff: string; truncated: boolean } {
  const kept: string[] = [];
  let skipping = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      // secrets.env.age, secret.sops.yaml, sealedsecret.yaml: the diff would be a wall of base64.
      skipping = /(\.age|\/secret\.sops\.yaml|\/sealedsecret\.yaml)$/.test(line);
      if (skipping) kept.push(`${line}\n(encrypted; contents not shown)`);
    }
    if (!skipping) kept.push(line);
  }
  const lines = kept.join('\n').trimEnd().split('\n');
  return { diff: lines.slice(0, maxLines).join('\n'), truncated: lines.length > maxLines };
}
