import Handlebars from 'handlebars';

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

const TEMPLATE = `## {{#if (eq kind "rollback")}}Rollback{{else}}Deploy{{/if}} \`{{agent}}\` {{version}} to \`{{environment}}\`

| | |
|---|---|
| Agent | \`{{agent}}\` |
| Environment | \`{{environment}}\` |
| Version | \`{{version}}\`{{#if previousVersion}} (was \`{{previousVersion}}\`){{/if}} |
| Image | \`{{image}}\` |
| Digest | \`{{digest}}\` |
{{#if sourceCommit}}
| Source | {{#if sourceUrl}}[{{sourceRepository}}]({{sourceUrl}}) @ [\`{{short sourceCommit}}\`]({{sourceUrl}}/commit/{{sourceCommit}}){{else}}{{sourceRepository}} @ \`{{sourceCommit}}\`{{/if}} |
{{/if}}
{{#if restoredCommit}}
| Restores | \`{{restoredCommit}}\` |
{{/if}}

### Changed files
{{#each changedFiles}}
- \`{{status}}\` \`{{path}}\`
{{/each}}

<details><summary>Rendered diff{{#if diffTruncated}} (first lines){{/if}}</summary>

{{fence}}diff
{{diff}}
{{fence}}

</details>

### Roll back
{{#if rollbackCommand}}
After merging, this deploy is undone with:

\`\`\`sh
{{rollbackCommand}}
\`\`\`

or by reverting its commit (\`git revert\`), which gives the same tree.
{{else}}
This is the first deploy of \`{{agent}}\` to \`{{environment}}\`; to undo it, revert its commit.
{{/if}}

<sub>Opened by dockrion. Secrets are committed only encrypted (\`secrets.env.age\`, \`secret.sops.yaml\` or \`sealedsecret.yaml\`).</sub>
`;

const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
handlebars.registerHelper('short', (s: unknown) => String(s).slice(0, 12));
// Markdown, not HTML: escaping would turn `<` in a diff into `&lt;`.
const render = handlebars.compile(TEMPLATE, { noEscape: true, strict: false });

/** A code fence longer than any run of backticks in the text, so a diff cannot close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  return render({ ...input, fence: fenceFor(input.diff) }).replace(/\n{3,}/g, '\n\n');
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
