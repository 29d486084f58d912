/**
 * The "Contract changes" section as GitHub renders it (cmark-gfm): user text from the Dockfile
 * (property names, descriptions, redact patterns) stays inside code, and the section fits the
 * budget it is given.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { diffContracts } from '../../action/contract/diff.ts';
import { contractDiffJson, contractDiffMarkdown, contractDiffText } from '../../action/contract/render.ts';
import type { ContractChange, ContractDiff } from '../../action/contract/types.ts';
import { codePoints } from '../../action/report/limits.ts';
import { hostileStrings, outsideCode, renderGfm } from '../support/gfm.ts';
import { contractOfText, patchedDockfile, scratchDir } from './support.ts';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

const EMPTY: ContractDiff = { breaking: [], widening: [], operational: [], compatible: [] };

function change(kind: ContractChange['class'], path: string, text: string): ContractChange {
  return { class: kind, path, message: `${path}: ${text}` };
}

describe('contractDiffMarkdown', () => {
  it('renders each class under its heading, most serious first', () => {
    const diff: ContractDiff = {
      ...EMPTY,
      breaking: [change('breaking', 'expose.port', 'changed from 8080 to 9090')],
      compatible: [change('compatible', 'endpoints', 'GET /invoke/ws added')],
    };
    expect(contractDiffMarkdown(diff, { against: 'main' })).toBe(
      [
        '### Contract changes against `main`',
        '',
        '1 breaking, 1 compatible.',
        '',
        "**Breaking** (1): today's callers may be rejected or get a different answer",
        '',
        '- `expose.port`: `changed from 8080 to 9090`',
        '',
        '**Compatible** (1): no caller or operator needs to act',
        '',
        '- `endpoints`: `GET /invoke/ws added`',
        '',
      ].join('\n'),
    );
    expect(contractDiffMarkdown(EMPTY)).toBe('### Contract changes\n\nNo contract changes.\n');
  });

  it('keeps hostile Dockfile text (property names, descriptions, patterns) inside code', async () => {
    const properties = Object.fromEntries(
      hostileStrings.map((text, i) => [
        text,
        { type: 'string', description: hostileStrings[(i + 1) % hostileStrings.length] },
      ]),
    );
    const before = await contractOfText(patchedDockfile(''), scratch.dir);
    const after = await contractOfText(
      patchedDockfile(
        JSON.stringify({
          io_schema: {
            input: { properties },
            output: { properties: { total: { description: hostileStrings[0] } } },
          },
          policies: {
            safety: { redact_patterns: ['[approve](https://evil.example)', '@acme/security-team'] },
          },
        }),
      ),
      scratch.dir,
    );
    const diff = diffContracts(after, before);
    const markdown = contractDiffMarkdown(diff, { against: '@acme/security-team <b>main</b>' });
    const html = renderGfm(markdown);
    const bare = outsideCode(html);
    for (const text of [...hostileStrings, 'evil.example', '@acme']) expect(bare).not.toContain(text);
    expect(bare).not.toMatch(/<(a|img|b)\b/);
    // Every change is still there, as one list item each.
    const changes =
      diff.breaking.length + diff.widening.length + diff.operational.length + diff.compatible.length;
    expect(changes).toBeGreaterThan(hostileStrings.length);
    expect(html.match(/<li>/g)?.length).toBe(changes);
  });

  it('fits the budget it is given, counting what it left out', () => {
    const many: ContractChange[] = Array.from({ length: 500 }, (_, i) =>
      change('compatible', `io_schema.input.properties.field_${i}`, 'input field added (optional)'),
    );
    const diff: ContractDiff = {
      ...EMPTY,
      breaking: [change('breaking', 'expose.port', 'changed')],
      compatible: many,
    };
    const budget = { max: 2_000, measure: codePoints };
    const markdown = contractDiffMarkdown(diff, { budget });
    expect(codePoints(markdown)).toBeLessThanOrEqual(2_000);
    // The most serious changes come first, so they are the ones kept.
    expect(markdown).toContain('- `expose.port`: `changed`');
    const omitted = Number(/…and (\d+) more changes left out to fit/.exec(markdown)?.[1]);
    const shown = markdown.match(/^- /gm)?.length ?? 0;
    expect(shown + omitted).toBe(501);
    expect(omitted).toBeGreaterThan(0);
  });
});

describe('contractDiffText and contractDiffJson', () => {
  const diff: ContractDiff = {
    ...EMPTY,
    widening: [{ ...change('widening', 'auth.mode', 'loosened'), before: 'api_key', after: 'none' }],
    operational: [
      { ...change('operational', 'secrets.required.A', 'new required secret'), environment: 'prod' },
    ],
  };

  it('text: a summary, then one line per change under its class', () => {
    expect(contractDiffText(diff)).toBe(
      [
        'Contract changes: 1 widening, 1 operational',
        '',
        'Widening (security) (1):',
        '  auth.mode: loosened',
        '',
        'Operational (1):',
        '  secrets.required.A: new required secret',
        '',
      ].join('\n'),
    );
    expect(contractDiffText(EMPTY)).toBe('No contract changes.\n');
  });

  it('text: control characters from the Dockfile cannot reach the terminal', () => {
    const path = 'io_schema.input.properties.\u001b[31mred\u0007';
    const text = contractDiffText({
      ...EMPTY,
      compatible: [change('compatible', path, 'input field added')],
    });
    expect(text).toContain('io_schema.input.properties.\\u001b[31mred\\u0007: input field added');
    const controls = [...text].filter(
      (c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
    );
    expect(controls).toEqual([]);
  });

  it('json: every class present, each change with its path, message and what it has', () => {
    expect(JSON.parse(contractDiffJson(diff))).toEqual({
      summary: '1 widening, 1 operational',
      breaking: [],
      widening: [{ path: 'auth.mode', message: 'auth.mode: loosened', before: 'api_key', after: 'none' }],
      operational: [
        {
          path: 'secrets.required.A',
          message: 'secrets.required.A: new required secret',
          environment: 'prod',
        },
      ],
      compatible: [],
    });
  });
});
