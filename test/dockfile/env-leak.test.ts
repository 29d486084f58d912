import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import { validateDockfileText } from '../../action/dockfile/index.ts';
import type { ValidationResult } from '../../action/dockfile/types.ts';
import { formatJson } from '../../action/report/json.ts';
import { formatMarkdown } from '../../action/report/markdown.ts';
import { formatText } from '../../action/report/text.ts';
import { formatWorkflowCommands } from '../../action/report/workflow-commands.ts';
import { type TempRepo, tempRepo } from './helpers.ts';

/** Letters and digits only, lowercased: catches a value a hint re-cased or re-punctuated. */
const fold = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** Every report a validation result reaches: text (with excerpts), JSON/errors-json, annotations, Markdown. */
function allReports(result: ValidationResult, source: string): string {
  const lines = source.split('\n');
  return [
    formatText(result, () => lines),
    formatJson(result),
    formatWorkflowCommands([...result.errors, ...result.warnings]),
    formatMarkdown(result),
  ].join('\n');
}

/** The parts of the reports that are ours (the text excerpt quotes the file as written, which is fine). */
function diagnosticsText(result: ValidationResult): string {
  return [...result.errors, ...result.warnings].map((d) => `${d.message}\n${d.hint ?? ''}`).join('\n');
}

function expectNoLeak(result: ValidationResult, source: string, secret: string): void {
  const reports = allReports(result, source);
  expect(reports.toLowerCase()).not.toContain(secret.toLowerCase());
  expect(fold(diagnosticsText(result))).not.toContain(fold(secret));
}

describe('process-environment values never reach a validation report', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = tempRepo();
    repo.write('app/__init__.py', '');
    repo.write('app/main.py', 'def handle(payload):\n    return payload\n');
  });
  afterAll(() => repo.cleanup());

  const canary = 'SeCrEt Value!42xq';
  const validate = (text: string, env: Record<string, string>, checkImports = false) =>
    validateDockfileText(text, join(repo.root, 'Dockfile.yaml'), {
      processEnv: env,
      root: repo.root,
      checkImports,
      python: checkImports ? 'python3' : null,
    });

  it.each([
    ['deploy.image: "${CANARY}"', 'deploy:\n  image: "${CANARY}"\n', 'deploy.image'],
    ['agent.framework: ${CANARY}', 'agent:\n  framework: ${CANARY}\n', 'agent.framework'],
    [
      'an io_schema pattern "(${CANARY}"',
      'io_schema:\n  input:\n    type: object\n    properties:\n      q: {type: string, pattern: "(${CANARY}"}\n',
      'io_schema.input',
    ],
  ])('env leak through %s', async (_name, block, path) => {
    const base = 'version: "1.0"\nagent:\n  name: leak\n  handler: app.main:handle\n';
    const text = block.startsWith('agent:')
      ? `version: "1.0"\nagent:\n  name: leak\n  handler: app.main:handle\n  ${block.split('\n')[1]?.trim()}\n`
      : base + block;
    const result = await validate(text, { CANARY: canary });
    const finding = result.errors.find((d) => d.path === path);
    expect(finding?.message).toContain('${CANARY}');
    expectNoLeak(result, text, canary);
  });

  it('env leak through --check-imports with handler: app.${X}:handle', async () => {
    const text = 'version: "1.0"\nagent:\n  name: leak\n  handler: app.${X}:handle\n';
    const result = await validate(text, { X: 'Zq9SecretModule' }, true);
    expect(result.errors.map((d) => d.message)).toEqual(['agent.handler: module app.${X} not found']);
    expect(result.errors[0]?.hint).toBe('expected app/${X}.py or app/${X}/__init__.py next to the Dockfile');
    expectNoLeak(result, text, 'Zq9SecretModule');
  });

  it('env leak through the lowercased hint of deploy.image', async () => {
    const text =
      'version: "1.0"\nagent:\n  name: leak\n  handler: app.main:handle\ndeploy:\n  image: "ghcr.io/${ORG}/x"\n';
    const result = await validate(text, { ORG: 'Acme Corp Token' });
    expect(result.errors[0]?.hint).not.toMatch(/acme/i);
    expectNoLeak(result, text, 'Acme Corp Token');
  });

  // Every string value of a complete Dockfile, in turn, becomes `${CANARY}` (whole, or inside other
  // text); whatever checks that value reaches, no report may show the canary in any spelling.
  const example = readFileSync(
    join(import.meta.dirname, '../../examples/plain-handler/Dockfile.yaml'),
    'utf8',
  );
  const extras =
    'agent:\n  framework: custom\nauth:\n  roles:\n    - {name: reader, permissions: [invoke]}\n  rate_limits: {reader: 10/m}\n  jwt: {secret_key: short}\ndeploy:\n  image: ghcr.io/acme/agent\n  namespace: tools\n';
  const documentText = mergeExtras(example, extras);
  const placements = stringLeaves(documentText);

  it('a canary through every check (property)', async () => {
    expect(placements.length).toBeGreaterThan(40);
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9]{6,14}$/),
        fc.constantFrom('', '-', ' ', '!', '.', '/', ':'),
        fc.constantFrom('whole', 'prefix', 'suffix'),
        async (random, separator, shape) => {
          const secret = `Qz${random.slice(0, 3)}${separator}${random.slice(3)}`;
          for (const placement of placements) {
            const reference =
              shape === 'whole' ? '${CANARY}' : shape === 'prefix' ? 'x-${CANARY}' : '${CANARY}.y';
            const text = placement.replace(reference);
            const result = await validate(text, { CANARY: secret });
            const reports = allReports(result, text);
            const leaked =
              reports.toLowerCase().includes(secret.toLowerCase()) ||
              fold(diagnosticsText(result)).includes(fold(secret));
            if (leaked) throw new Error(`${placement.path} leaks ${secret}:\n${diagnosticsText(result)}`);
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);
});

interface Placement {
  path: string;
  replace(reference: string): string;
}

/** The Dockfile text with each string scalar's source range, so one value can be swapped in place. */
function stringLeaves(text: string): Placement[] {
  const document = parseDocument(text);
  const out: Placement[] = [];
  const visit = (node: Node | null, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key))
          visit(pair.value as Node | null, `${path}.${String(pair.key.value)}`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        visit(item as Node | null, `${path}[${index}]`);
      });
    } else if (isScalar(node) && typeof node.value === 'string' && node.range) {
      const [start, end] = node.range;
      out.push({
        path,
        replace: (reference) => `${text.slice(0, start)}${JSON.stringify(reference)}${text.slice(end)}`,
      });
    }
  };
  visit(document.contents as Node | null, '');
  return out;
}

/** The example with a few more keys, so checks it does not exercise (roles, image, framework) run too. */
function mergeExtras(base: string, extras: string): string {
  const document = parseDocument(base);
  const more = parseDocument(extras).toJS() as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(more)) {
    for (const [key, value] of Object.entries(values)) document.setIn([section, key], value);
  }
  return document.toString();
}
