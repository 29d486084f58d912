/**
 * The GitHub runner's rule for where an action.yml may hold a `${{ … }}` expression, applied the way
 * the runner applies it, so a misplaced expression fails a unit test in milliseconds instead of a
 * user's workflow at "Set up job".
 *
 * The runner reads action.yml with a template schema (actions/runner,
 * src/Runner.Worker/action_yaml.json): every node has a definition; a definition may name the
 * contexts an expression there may use, and nodes below it inherit them. A string with `${{` where
 * no context is allowed fails with "A template expression is not allowed in this context" (act says
 * "expressions are not allowed here"); an expression that names a context the definition does not
 * allow fails with "Unrecognized named-value: 'secrets'". In the schema only an input's `default`,
 * an output's `value` and the fields of composite steps and container args/env allow expressions;
 * descriptions, names, `runs.using`, `runs.main` and everything under `branding` do not.
 *
 * The definitions below restate that schema (the parts with meaning for this check: node, composite
 * and container `runs`, inputs, outputs). Types it does not name are the template schema's
 * built-ins: `any`, `string`, `boolean`, `number`, `null`, none of which allow expressions.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

interface MappingDefinition {
  properties?: Record<string, string | { type: string; required?: boolean }>;
  looseKeyType?: string;
  looseValueType?: string;
}

interface Definition {
  /** Contexts (named values) and functions (`name(min,max)`) allowed in an expression here. */
  context?: string[];
  mapping?: MappingDefinition;
  sequence?: { itemType: string };
  string?: { requireNonEmpty?: boolean };
  oneOf?: string[];
}

const stepContext = [
  'github',
  'inputs',
  'strategy',
  'matrix',
  'steps',
  'job',
  'runner',
  'env',
  'hashFiles(1,255)',
];

export const ACTION_DEFINITIONS: Record<string, Definition> = {
  'action-root': {
    mapping: {
      properties: {
        name: 'string',
        description: 'string',
        inputs: 'inputs',
        runs: 'runs',
        outputs: 'outputs',
      },
      looseKeyType: 'non-empty-string',
      looseValueType: 'any',
    },
  },
  inputs: { mapping: { looseKeyType: 'non-empty-string', looseValueType: 'input' } },
  input: {
    mapping: {
      properties: { default: 'input-default-context' },
      looseKeyType: 'non-empty-string',
      looseValueType: 'any',
    },
  },
  outputs: { mapping: { looseKeyType: 'non-empty-string', looseValueType: 'output-definition' } },
  'output-definition': { mapping: { properties: { description: 'string', value: 'output-value' } } },
  runs: { oneOf: ['container-runs', 'node12-runs', 'plugin-runs', 'composite-runs'] },
  'container-runs': {
    mapping: {
      properties: {
        using: 'non-empty-string',
        image: 'non-empty-string',
        entrypoint: 'non-empty-string',
        args: 'container-runs-args',
        env: 'container-runs-env',
        'pre-entrypoint': 'non-empty-string',
        'pre-if': 'non-empty-string',
        'post-entrypoint': 'non-empty-string',
        'post-if': 'non-empty-string',
      },
    },
  },
  'container-runs-args': { sequence: { itemType: 'container-runs-context' } },
  'container-runs-env': {
    context: ['inputs'],
    mapping: { looseKeyType: 'non-empty-string', looseValueType: 'string' },
  },
  // Named after the first node runtime; the runner uses it for every `nodeNN`.
  'node12-runs': {
    mapping: {
      properties: {
        using: 'non-empty-string',
        main: 'non-empty-string',
        pre: 'non-empty-string',
        'pre-if': 'non-empty-string',
        post: 'non-empty-string',
        'post-if': 'non-empty-string',
      },
    },
  },
  'plugin-runs': { mapping: { properties: { plugin: 'non-empty-string' } } },
  'composite-runs': { mapping: { properties: { using: 'non-empty-string', steps: 'composite-steps' } } },
  'composite-steps': { sequence: { itemType: 'composite-step' } },
  'composite-step': { oneOf: ['run-step', 'uses-step'] },
  'run-step': {
    mapping: {
      properties: {
        name: 'string-steps-context',
        id: 'non-empty-string',
        run: { type: 'string-steps-context', required: true },
        env: 'step-env',
        'working-directory': 'string-steps-context',
        shell: { type: 'non-empty-string', required: true },
      },
    },
  },
  'uses-step': {
    mapping: {
      properties: {
        name: 'string-steps-context',
        id: 'non-empty-string',
        uses: { type: 'non-empty-string', required: true },
        with: 'step-with',
        env: 'step-env',
      },
    },
  },
  'container-runs-context': { context: ['inputs'], string: {} },
  'output-value': {
    context: ['github', 'strategy', 'matrix', 'steps', 'inputs', 'job', 'runner', 'env'],
    string: {},
  },
  'input-default-context': {
    context: ['github', 'strategy', 'matrix', 'job', 'runner', 'hashFiles(1,255)'],
    string: {},
  },
  'non-empty-string': { string: { requireNonEmpty: true } },
  'string-steps-context': { context: stepContext, string: {} },
  'step-env': {
    context: stepContext,
    mapping: { looseKeyType: 'non-empty-string', looseValueType: 'string' },
  },
  'step-with': {
    context: stepContext,
    mapping: { looseKeyType: 'non-empty-string', looseValueType: 'string' },
  },
};

/** Functions every expression may call (the expression language's own). */
const BUILTIN_FUNCTIONS = new Set([
  'contains',
  'startswith',
  'endswith',
  'format',
  'join',
  'tojson',
  'fromjson',
]);
const KEYWORDS = new Set(['true', 'false', 'null', 'nan', 'infinity']);

export interface RuleViolation {
  /** Dotted path of the node, e.g. `inputs.secrets.description`. */
  path: string;
  line: number;
  column: number;
  message: string;
}

interface Scope {
  contexts: Set<string>;
  functions: Set<string>;
}

function extend(scope: Scope, definition: Definition | undefined): Scope {
  if (!definition?.context?.length) return scope;
  const contexts = new Set(scope.contexts);
  const functions = new Set(scope.functions);
  for (const entry of definition.context) {
    const fn = /^([A-Za-z_][\w-]*)\(/.exec(entry);
    if (fn?.[1]) functions.add(fn[1].toLowerCase());
    else contexts.add(entry.toLowerCase());
  }
  return { contexts, functions };
}

/**
 * Named values and function calls of one expression: identifiers that are not a property
 * (`.name`), not inside a string literal, and not a keyword.
 */
export function expressionNames(expression: string): { namedValues: string[]; functions: string[] } {
  const withoutStrings = expression.replace(/'(?:[^']|'')*'/g, "''");
  const namedValues: string[] = [];
  const functions: string[] = [];
  for (const m of withoutStrings.matchAll(/[A-Za-z_][\w-]*/g)) {
    const before = withoutStrings.slice(0, m.index).trimEnd();
    if (before.endsWith('.')) continue;
    if (/^\d/.test(m[0])) continue;
    const after = withoutStrings.slice((m.index ?? 0) + m[0].length).trimStart();
    const name = m[0].toLowerCase();
    if (after.startsWith('(')) functions.push(name);
    else if (!KEYWORDS.has(name)) namedValues.push(name);
  }
  return { namedValues, functions };
}

/** `${{ … }}` bodies of a string, or `null` when an expression is not closed. */
function expressionsIn(text: string): string[] | null {
  const found: string[] = [];
  let rest = text;
  for (;;) {
    const start = rest.indexOf('${{');
    if (start < 0) return found;
    const end = rest.indexOf('}}', start + 3);
    if (end < 0) return null;
    found.push(rest.slice(start + 3, end));
    rest = rest.slice(end + 2);
  }
}

const BUILTIN_TYPES = new Set(['any', 'string', 'boolean', 'number', 'null']);

/**
 * Checks a parsed action.yml document against the runner's template schema. Returns every
 * violation, with 1-based line and column (as the runner and act print them).
 */
export function checkActionYaml(text: string): RuleViolation[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const violations: RuleViolation[] = [];
  const at = (node: Node | null | undefined) => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({
      path: '',
      line: e.linePos?.[0]?.line ?? 0,
      column: e.linePos?.[0]?.col ?? 0,
      message: `YAML: ${e.message}`,
    }));
  }

  const checkScalar = (node: Node, type: string, scope: Scope, path: string, out: RuleViolation[]) => {
    if (!isScalar(node)) {
      out.push({
        path,
        ...at(node),
        message: `expected a string (${type}), got a ${isMap(node) ? 'mapping' : 'sequence'}`,
      });
      return;
    }
    const value = node.value;
    if (typeof value !== 'string') return; // booleans/numbers/null are literals; the runner coerces them
    const expressions = expressionsIn(value);
    if (expressions === null) {
      out.push({ path, ...at(node), message: 'an expression is not closed: `${{` without `}}`' });
      return;
    }
    if (expressions.length === 0) {
      if (ACTION_DEFINITIONS[type]?.string?.requireNonEmpty && value === '')
        out.push({ path, ...at(node), message: 'must not be empty' });
      return;
    }
    if (scope.contexts.size === 0 && scope.functions.size === 0) {
      out.push({
        path,
        ...at(node),
        message: `a template expression is not allowed here (${value.slice(value.indexOf('${{'), value.indexOf('}}', value.indexOf('${{')) + 2)})`,
      });
      return;
    }
    for (const expression of expressions) {
      const { namedValues, functions } = expressionNames(expression);
      for (const name of namedValues) {
        if (!scope.contexts.has(name))
          out.push({ path, ...at(node), message: `Unrecognized named-value: '${name}'` });
      }
      for (const fn of functions) {
        if (!BUILTIN_FUNCTIONS.has(fn) && !scope.functions.has(fn))
          out.push({ path, ...at(node), message: `Unrecognized function: '${fn}'` });
      }
    }
  };

  const visit = (
    node: Node | null | undefined,
    type: string,
    inherited: Scope,
    path: string,
    out: RuleViolation[],
  ): void => {
    if (node === null || node === undefined) return;
    if (BUILTIN_TYPES.has(type)) {
      // Built-ins allow no context of their own; only what a parent definition granted.
      if (type === 'any') {
        if (isMap(node)) {
          for (const pair of node.items) {
            const key = pair.key as Node;
            checkScalar(key, 'string', inherited, path, out);
            visit(
              pair.value as Node,
              'any',
              inherited,
              `${path}.${String((key as { value?: unknown }).value)}`,
              out,
            );
          }
        } else if (isSeq(node)) {
          node.items.forEach((item, i) => {
            visit(item as Node, 'any', inherited, `${path}[${i}]`, out);
          });
        } else checkScalar(node, type, inherited, path, out);
        return;
      }
      checkScalar(node, type, inherited, path, out);
      return;
    }
    const definition = ACTION_DEFINITIONS[type];
    if (!definition) throw new Error(`action-yaml-rules: no definition '${type}'`);
    const scope = extend(inherited, definition);
    if (definition.oneOf) {
      // The first alternative that reads the node without a violation wins; else the closest one.
      let best: RuleViolation[] | undefined;
      for (const alternative of definition.oneOf) {
        const attempt: RuleViolation[] = [];
        visit(node, alternative, scope, path, attempt);
        if (attempt.length === 0) return;
        if (!best || attempt.length < best.length) best = attempt;
      }
      out.push(...(best ?? []));
      return;
    }
    if (definition.string) {
      checkScalar(node, type, scope, path, out);
      return;
    }
    if (definition.sequence) {
      if (!isSeq(node)) {
        out.push({ path, ...at(node), message: `expected a sequence (${type})` });
        return;
      }
      node.items.forEach((item, i) => {
        visit(item as Node, definition.sequence?.itemType ?? 'any', scope, `${path}[${i}]`, out);
      });
      return;
    }
    if (definition.mapping) {
      if (!isMap(node)) {
        out.push({ path, ...at(node), message: `expected a mapping (${type})` });
        return;
      }
      const { properties = {}, looseKeyType, looseValueType } = definition.mapping;
      const seen = new Set<string>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node;
        const key = isScalar(keyNode) ? String(keyNode.value) : '';
        const childPath = path ? `${path}.${key}` : key;
        seen.add(key);
        const property = properties[key];
        if (property !== undefined) {
          checkScalar(keyNode, 'non-empty-string', scope, childPath, out);
          visit(
            pair.value as Node,
            typeof property === 'string' ? property : property.type,
            scope,
            childPath,
            out,
          );
        } else if (looseKeyType && looseValueType) {
          checkScalar(keyNode, looseKeyType, scope, childPath, out);
          visit(pair.value as Node, looseValueType, scope, childPath, out);
        } else {
          out.push({ path: childPath, ...at(keyNode), message: `unexpected key '${key}' (${type})` });
        }
      }
      for (const [key, property] of Object.entries(properties)) {
        if (typeof property !== 'string' && property.required && !seen.has(key))
          out.push({ path, ...at(node), message: `required key '${key}' is missing (${type})` });
      }
    }
  };

  visit(doc.contents as Node, 'action-root', { contexts: new Set(), functions: new Set() }, '', violations);
  return violations;
}

export function checkActionYamlFile(file: string): RuleViolation[] {
  return checkActionYaml(readFileSync(file, 'utf8'));
}

export function formatViolation(file: string, v: RuleViolation): string {
  return `${file}:${v.line}:${v.column} ${v.path}: ${v.message}`;
}
