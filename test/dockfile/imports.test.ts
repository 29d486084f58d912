import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { brief, type TempRepo, tempRepo } from './helpers.ts';

const dockfile = (agent: string, io = '') =>
  `version: "1.0"\nagent:\n  name: imp\n${agent}auth: {mode: api_key}\n${io}`;

describe('--check-imports', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo();
    repo.write('app/__init__.py', '');
    repo.write(
      'app/graph.py',
      'import os\nfrom langgraph.graph import StateGraph as Graph\n\nasync def build_graph():\n    return None\n\nclass Factory:\n    pass\n\nhandler: object = Factory()\n',
    );
    repo.write(
      'app/schemas/__init__.py',
      'from pydantic import BaseModel\nclass InvoiceInput(BaseModel):\n    x: int\n',
    );
    repo.write('broken.py', 'def oops(:\n');
  });
  afterEach(() => repo.cleanup());

  const check = (python: string | null) =>
    loadDockfile('Dockfile.yaml', { cwd: repo.root, checkImports: true, processEnv: {}, python });

  it.each([['python3'], [null]])('accepts defined callables and classes (python: %s)', async (python) => {
    for (const callable of ['build_graph', 'Factory', 'handler', 'Graph']) {
      repo.write(
        'Dockfile.yaml',
        dockfile(
          `  entrypoint: app.graph:${callable}\n  framework: langgraph\n`,
          'io_schema:\n  input_class: app.schemas.InvoiceInput\n  output_class: app.schemas:InvoiceInput\n',
        ),
      );
      const result = await check(python);
      expect(result.errors).toEqual([]);
    }
  });

  it.each([['python3'], [null]])(
    'reports missing modules and callables with 4003/4004 (python: %s)',
    async (python) => {
      repo.write(
        'Dockfile.yaml',
        dockfile(
          '  entrypoint: app.graph:make_graph\n  framework: langgraph\n',
          'io_schema:\n  input_class: app.models:In\n  output_class: app.schemas:Out\n',
        ),
      );
      const result = await check(python);
      expect(brief(result.errors)).toEqual([
        '4003 agent.entrypoint @Dockfile.yaml:4:15',
        '4004 io_schema.input_class @Dockfile.yaml:8:16',
        '4004 io_schema.output_class @Dockfile.yaml:9:17',
      ]);
      expect(result.errors.map((e) => e.message)).toEqual([
        'agent.entrypoint: app.graph does not define make_graph',
        'io_schema.input_class: module app.models not found',
        'io_schema.output_class: app.schemas does not define Out',
      ]);
      expect(result.warnings.some((w) => w.code === 4106)).toBe(python === null);
    },
  );

  it.each([['python3'], [null]])(
    'suggests the closest defined name for a misspelt callable (python: %s)',
    async (python) => {
      repo.write('Dockfile.yaml', dockfile('  entrypoint: app.graph:build_grap\n  framework: langgraph\n'));
      const result = await check(python);
      expect(result.errors.map((e) => [e.code, e.message, e.hint])).toEqual([
        [
          4003,
          'agent.entrypoint: app.graph does not define build_grap',
          'did you mean build_graph? It is defined in app/graph.py',
        ],
      ]);
      repo.write(
        'Dockfile.yaml',
        dockfile('  entrypoint: app.graph:make_everything\n  framework: langgraph\n'),
      );
      const far = await check(python);
      expect(far.errors[0]?.hint).toBe(
        'define a top-level def/class/assignment named make_everything in app/graph.py',
      );
    },
  );

  it('reports a module that does not parse (python ast)', async () => {
    repo.write('Dockfile.yaml', dockfile('  handler: broken:oops\n'));
    const result = await check('python3');
    expect(result.errors.map((e) => e.code)).toEqual([4003]);
    expect(result.errors[0]?.message).toMatch(/broken does not parse: SyntaxError/);
  });
});
