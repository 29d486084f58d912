import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDockfileText } from '../../action/dockfile/index.ts';
import { formatMarkdown } from '../../action/report/markdown.ts';
import { codeBlock, codeLines, codeSpan } from '../../action/report/markdown-escape.ts';
import { type TempRepo, tempRepo } from '../dockfile/helpers.ts';
import { hostileStrings, outsideCode, renderGfm } from '../support/gfm.ts';

function expectInert(html: string): void {
  // Our own emphasis (the verdict) is the only one allowed.
  const outside = outsideCode(html).replace(/<strong>is (in)?valid<\/strong>/g, '');
  expect(outside).not.toContain('@acme');
  expect(outside).not.toContain('evil.example');
  expect(outside).not.toMatch(/<img|<em>|<strong>|<del>/);
}

describe('Markdown and mention injection in the validation comment and summary', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = tempRepo();
  });
  afterAll(() => repo.cleanup());

  it('unknown keys like @acme/security-team, [approve](…) and ![x](…) render as code, not as mention, link or image', async () => {
    const keys = hostileStrings.map((s) => `${JSON.stringify(s)}: 1`).join('\n');
    const text = `version: "1.0"\nagent:\n  name: inert\n  handler: app:run\n  framework: ${JSON.stringify(hostileStrings[1])}\n${keys}\n`;
    const result = await validateDockfileText(text, 'Dockfile.yaml', {
      processEnv: {},
      python: null,
      root: repo.root,
    });
    expect(result.errors.length).toBeGreaterThanOrEqual(hostileStrings.length);
    const markdown = formatMarkdown(result, {
      blobUrl: (file, line) => `https://github.com/acme/agents/blob/${'a'.repeat(40)}/${file}#L${line}`,
    });
    const html = renderGfm(markdown);
    expectInert(html);
    // Only our own links (to the Dockfile's lines), and every row keeps its five cells.
    for (const href of html.matchAll(/href="([^"]*)"/g))
      expect(href[1]).toMatch(/^https:\/\/github\.com\/acme\/agents\/blob\//);
    const rows = html.split('<tr>').slice(2);
    expect(rows).toHaveLength(result.errors.length + result.warnings.length);
    for (const row of rows) expect(row.match(/<td>/g)).toHaveLength(5);
  });

  it.each(hostileStrings)('one code span helper keeps %s literal, in and out of tables', (hostile) => {
    const inline = renderGfm(`see ${codeSpan(hostile)} here\n`);
    expectInert(inline);
    const table = renderGfm(`| a | b |\n|---|---|\n| ${codeLines(`${hostile}\n${hostile}`)} | x |\n`);
    expectInert(table);
    expect(table.match(/<td>/g)).toHaveLength(2);
    expectInert(renderGfm(`${codeBlock(hostile, 'sh')}\n`));
  });

  it('a code span shows the text exactly as written', () => {
    expect(renderGfm(`${codeSpan('`a` b ``c``')}\n`)).toBe('<p><code>`a` b ``c``</code></p>\n');
    const cell = (text: string) =>
      renderGfm(`| x | y |\n|---|---|\n| ${codeSpan(text, { table: true })} | z |\n`);
    expect(cell('a|b')).toContain('<td><code>a|b</code></td>\n<td>z</td>');
    // A backslash right before a pipe: GitHub's table scanner reads `\\` as an escaped backslash
    // (older cmark-gfm does not), so the run is made even; the row keeps its cells either way.
    expect(cell('b\\|c')).toMatch(/<td><code>b\\+\|c<\/code><\/td>\n<td>z<\/td>/);
  });
});
