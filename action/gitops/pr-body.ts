import Handlebars from 'handlebars';
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
}

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

### Changed files
{{#each files}}
- {{this}}
{{/each}}

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

<sub>Opened by dockrion. Secrets are committed only as \`secrets.env.age\` (age-encrypted).</sub>
`;

const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
// Markdown, not HTML: escaping would turn `<` in a diff into `&lt;`.
const render = handlebars.compile(TEMPLATE, { noEscape: true, strict: false });

export function renderPullRequestBody(input: PullRequestBodyInput): string {
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
    files: input.changedFiles.map((f) => `${codeSpan(f.status)} ${codeSpan(f.path)}`),
    diffBlock: codeBlock(input.diff, 'diff'),
    rollbackBlock: input.rollbackCommand === null ? '' : codeBlock(input.rollbackCommand, 'sh'),
  }).replace(/\n{3,}/g, '\n\n');
}

/** Keeps the diff short and leaves out ciphertext, which tells a reviewer nothing. */
export function summarizeDiff(diff: string, maxLines = 80): { diff: string; truncated: boolean } {
  const kept: string[] = [];
  let skipping = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      skipping = /\.age$/.test(line);
      if (skipping) kept.push(`${line}\n(encrypted; contents not shown)`);
    }
    if (!skipping) kept.push(line);
  }
  const lines = kept.join('\n').trimEnd().split('\n');
  return { diff: lines.slice(0, maxLines).join('\n'), truncated: lines.length > maxLines };
}
