/**
 * Is every value valid under one JSON Schema (draft 2020-12) also valid under another? A sound,
 * conservative check: "yes" only when it can prove it; every "cannot prove" comes back as a
 * problem naming the keyword, so a reviewer sees why a change was called breaking.
 *
 * Understood keywords: type, enum, const, required, properties, additionalProperties, items,
 * minimum/maximum (and exclusive), multipleOf, minLength/maxLength, minItems/maxItems,
 * uniqueItems, minProperties/maxProperties, pattern, anyOf/allOf on the wider side. Local `$ref`s
 * are inlined first (a recursive or exploding one stays, and the definitions must then be equal).
 * Every other assertion keyword (oneOf, not, if/then/else, prefixItems, …) must be written
 * identically on both sides; with patternProperties, properties/patternProperties/
 * additionalProperties must all be, and with unevaluated* the whole schema. A finite narrow side
 * (enum/const) is checked value by value with a real validator (ajv), which covers every keyword.
 * A fast-check property holds all of this to ajv's verdicts on random schemas and values.
 *
 * `pattern`: regular-expression inclusion is not decidable for the patterns JSON Schema allows
 * (lookaround, back-references), so a different pattern is "not provably compatible": flagged,
 * never silently accepted. `format` is an annotation for the runtime (jsonschema without a format
 * checker, runtime/dockrion_runtime/io_contract.py), so it is ignored like `description`.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema, JsonValue } from './types.ts';

/** How properties that a schema does not declare are read where `additionalProperties` is not written. */
export type UndeclaredProperties =
  /** JSON Schema's own meaning: any value. The plain subset relation. */
  | 'open'
  /**
   * An input contract: callers send only the properties the old schema declares, and a property
   * the new schema no longer declares is a removed field (the agent no longer reads it).
   */
  | 'input'
  /**
   * An output contract (narrow = the new schema, wide = the old one): consumers ignore
   * properties they do not know, and a property the old schema declared that the new one does
   * not is a removed field (consumers read it).
   */
  | 'output';

export interface SubsetOptions {
  undeclared?: UndeclaredProperties;
}

/** What kind of value the narrow schema accepts and the wide one may reject. */
export type SubsetProblemKind =
  /** The wide schema is `false`. */
  | 'nothing'
  /** Values of the narrow enum/const the wide schema rejects (`rejected`). */
  | 'values'
  /** The wide schema is an enum/const and the narrow one is not. */
  | 'enum'
  | 'type'
  /** A minimum/maximum/length/items/properties bound (`keyword`). */
  | 'bound'
  | 'multipleOf'
  | 'pattern'
  | 'uniqueItems'
  | 'anyOf'
  /** A keyword this check does not reason about, written differently (`keyword`). */
  | 'keyword'
  /** A field the wide schema requires that the narrow one does not (`declared`: the narrow one has it). */
  | 'required'
  /** A field one side declares and the other does not (`rejected`: the wide one forbids it). */
  | 'removed';

export interface SubsetProblem {
  kind: SubsetProblemKind;
  /** JSON-pointer-like segments below the compared schemas, e.g. `['properties', 'amount']`. */
  path: string[];
  /** The problem read as "narrow = what is accepted today" (`describeProblem(problem, 'before')`). */
  message: string;
  keyword?: string;
  /** `values`: the narrow values the wide schema rejects. */
  rejected?: JsonValue[];
  /** `required`: the narrow schema declares the field; `removed`: the wide schema forbids it. */
  flag?: boolean;
  /** The narrow schema's side of the problem (e.g. its type), when it has one. */
  narrow?: JsonValue;
  /** The wide schema's side. */
  wide?: JsonValue;
}

type SchemaObject = { [key: string]: JsonValue };
type TypeName = 'null' | 'boolean' | 'object' | 'array' | 'number' | 'integer' | 'string';

const ALL_TYPES: readonly TypeName[] = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** Keywords that never reject a value (for the runtime's validator). */
const ANNOTATIONS = new Set([
  '$anchor',
  '$comment',
  '$defs',
  '$id',
  '$schema',
  '$vocabulary',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'default',
  'definitions',
  'deprecated',
  'description',
  'examples',
  'format',
  'readOnly',
  'title',
  'writeOnly',
]);

/** Keywords this module reasons about; any other assertion must be equal on both sides. */
const UNDERSTOOD = new Set([
  'type',
  'enum',
  'const',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'anyOf',
  'allOf',
  'patternProperties',
]);

/**
 * Keywords whose meaning depends on what their siblings evaluated: a wide schema with one of
 * these is only a superset of a narrow schema equal to it (annotations aside).
 */
const NON_LOCAL = ['unevaluatedProperties', 'unevaluatedItems'];

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ao = a as SchemaObject;
  const bo = b as SchemaObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((key) => Object.hasOwn(bo, key) && jsonEqual(ao[key], bo[key]));
}

function isObject(value: JsonValue | undefined): value is SchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True when the schema accepts every value (`true`, `{}`, or annotations only). */
export function acceptsEverything(schema: JsonSchema): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  return Object.keys(schema).every((key) => ANNOTATIONS.has(key));
}

/** Short, one-line JSON of a value for messages. */
export function showValue(value: JsonValue | undefined): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function typesOf(schema: SchemaObject): Set<TypeName> {
  const type = schema.type;
  if (typeof type === 'string') return new Set([type as TypeName]);
  if (Array.isArray(type))
    return new Set(type.filter((t): t is TypeName => typeof t === 'string') as TypeName[]);
  return new Set(ALL_TYPES);
}

function accepts(types: Set<TypeName>, type: TypeName): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

const validators = new Map<string, ValidateFunction | null>();
let compiler: Ajv2020 | undefined;

/** Whether `value` is valid under `schema` (ajv, draft 2020-12); null when it cannot compile alone. */
function validUnder(value: JsonValue, schema: JsonSchema): boolean | null {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (validate === undefined) {
    compiler ??= new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
    try {
      validate = compiler.compile(typeof schema === 'boolean' ? schema : structuredClone(schema));
    } catch {
      // A $ref into the enclosing document: not checkable on its own.
      validate = null;
    }
    validators.set(key, validate);
  }
  return validate === null ? null : (validate(value) as boolean);
}

/**
 * Every reason a value valid under `narrow` might be rejected by `wide`; empty when `narrow` is
 * provably a subset of `wide`.
 */
export function subsetProblems(
  narrow: JsonSchema,
  wide: JsonSchema,
  options: SubsetOptions = {},
): SubsetProblem[] {
  const problems: SubsetProblem[] = [];
  const [a, b] = [inlineLocalRefs(narrow), inlineLocalRefs(wide)];
  // A `$ref` left in place (recursive, or to an anchor) reads definitions that are compared
  // nowhere else: they must then be the same on both sides.
  if (a.unresolved || b.unresolved) {
    for (const key of ['$defs', 'definitions']) {
      const [x, y] = [definitionsOf(narrow, key), definitionsOf(wide, key)];
      if (!jsonEqual(x, y)) problems.push(keywordProblem([key], key, x, y));
    }
  }
  new SubsetCheck(options.undeclared ?? 'open', problems).check(a.schema, b.schema, []);
  return problems;
}

function definitionsOf(schema: JsonSchema, key: string): JsonValue | undefined {
  return typeof schema === 'object' ? schema[key] : undefined;
}

function keywordProblem(
  path: string[],
  keyword: string,
  narrow?: JsonValue,
  wide?: JsonValue,
): SubsetProblem {
  const problem: SubsetProblem = { kind: 'keyword', path, keyword, message: '' };
  if (narrow !== undefined) problem.narrow = narrow;
  if (wide !== undefined) problem.wide = wide;
  problem.message = describeProblem(problem, 'before');
  return problem;
}

/** How deep `$ref`s are followed; past it (a recursive schema) they stay as written. */
const MAX_REF_DEPTH = 16;
const MAX_INLINED_NODES = 20_000;

/**
 * `schema` with each local `$ref` (`#`, `#/$defs/x`, any `#/…` JSON pointer) replaced by what it
 * points at (`allOf` with the `$ref`'s siblings, which apply too), so that a changed definition
 * is compared where it is used. `unresolved`: some `$ref` stayed (recursion past the depth, an
 * anchor, a pointer to nothing).
 */
export function inlineLocalRefs(schema: JsonSchema): { schema: JsonSchema; unresolved: boolean } {
  if (typeof schema === 'boolean') return { schema, unresolved: false };
  let unresolved = false;
  // Copies made by inlining, so that definitions that fan out (`a` uses `b` twice, `b` uses `c`
  // twice…) cannot make the schema explode.
  let budget = MAX_INLINED_NODES;
  const resolvePointer = (ref: string): JsonValue | undefined => {
    // Only `#` and `#/…` JSON pointers; an anchor (`#name`) or another document is not followed.
    if (ref !== '#' && !ref.startsWith('#/')) return undefined;
    let node: JsonValue | undefined = schema;
    for (const raw of ref.split('/').slice(1)) {
      const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(node)) node = node[Number(segment)];
      else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
      else return undefined;
    }
    return node;
  };
  const walk = (node: JsonValue, depth: number, root: boolean): JsonValue => {
    if (--budget < 0) {
      unresolved = true;
      return node;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, depth, false));
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string') {
      const target = depth < MAX_REF_DEPTH ? resolvePointer(node.$ref) : undefined;
      if (target === undefined) {
        unresolved = true;
      } else {
        const { $ref: _ref, ...siblings } = node;
        const inlined = walk(withoutDefinitions(target), depth + 1, false);
        if (Object.keys(withoutAnnotations(siblings)).length === 0) return inlined;
        return { allOf: [inlined, walk(siblings, depth, false)] };
      }
    }
    const out: { [key: string]: JsonValue } = {};
    for (const [key, value] of Object.entries(node)) {
      // Definitions are read through the references; an unused one constrains nothing.
      if (root && (key === '$defs' || key === 'definitions')) continue;
      Object.defineProperty(out, key, {
        value: walk(value, depth, false),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const inlined = walk(schema, 0, true);
  return unresolved ? { schema, unresolved: true } : { schema: inlined as JsonSchema, unresolved: false };
}

function withoutDefinitions(node: JsonValue): JsonValue {
  if (!isObject(node)) return node;
  const { $defs: _defs, definitions: _definitions, ...rest } = node;
  return rest;
}

/** Whether `narrow` is provably a subset of `wide` (every value valid under it is valid under `wide`). */
export function isSubsetSchema(narrow: JsonSchema, wide: JsonSchema, options: SubsetOptions = {}): boolean {
  return subsetProblems(narrow, wide, options).length === 0;
}

class SubsetCheck {
  constructor(
    private readonly undeclared: UndeclaredProperties,
    private readonly problems: SubsetProblem[],
  ) {}

  private problem(
    kind: SubsetProblemKind,
    path: string[],
    narrow: JsonValue | undefined,
    wide: JsonValue | undefined,
    extra: Pick<SubsetProblem, 'keyword' | 'rejected' | 'flag'> = {},
  ): void {
    const entry: SubsetProblem = { kind, path, message: '', ...extra };
    if (narrow !== undefined) entry.narrow = narrow;
    if (wide !== undefined) entry.wide = wide;
    entry.message = describeProblem(entry, 'before');
    this.problems.push(entry);
  }

  check(narrow: JsonSchema, wide: JsonSchema, path: string[]): void {
    if (jsonEqual(narrow, wide) || acceptsEverything(wide) || narrow === false) return;
    if (wide === false) {
      this.problem('nothing', path, narrow, wide);
      return;
    }
    const a: SchemaObject = typeof narrow === 'boolean' ? {} : narrow;
    const b: SchemaObject = typeof wide === 'boolean' ? {} : wide;

    // A finite narrow side: try every value against the whole wide schema.
    const finite = finiteValues(a);
    if (finite !== null) {
      const rejected: JsonValue[] = [];
      let unknown = false;
      for (const value of finite) {
        // An enum value the narrow schema's other keywords reject is not one of its values.
        if (validUnder(value, a) === false) continue;
        const ok = validUnder(value, b);
        if (ok === null) unknown = true;
        else if (!ok) rejected.push(value);
      }
      if (!unknown) {
        if (rejected.length > 0) {
          this.problem('values', path, a.enum ?? a.const, b.enum ?? b.const ?? b.type, { rejected });
        }
        return;
      }
    }

    const nonLocal = NON_LOCAL.find((key) => b[key] !== undefined);
    if (nonLocal !== undefined && !jsonEqual(withoutAnnotations(a), withoutAnnotations(b))) {
      this.problem('keyword', [...path, nonLocal], a[nonLocal], b[nonLocal], { keyword: nonLocal });
      return;
    }
    for (const [key, value] of Object.entries(b)) {
      if (ANNOTATIONS.has(key) || UNDERSTOOD.has(key)) continue;
      if (!jsonEqual(a[key], value)) {
        this.problem('keyword', [...path, key], a[key], value, { keyword: key });
      }
    }

    if (Array.isArray(b.allOf)) {
      for (const branch of b.allOf) this.check(a, branch as JsonSchema, path);
    }
    if (Array.isArray(b.anyOf) && !jsonEqual(a.anyOf, b.anyOf))
      this.checkAnyOf(a, b.anyOf as JsonSchema[], path);

    // Types the narrow side allows that the wide side rejects; keyword checks go on with the rest.
    const wideTypes = typesOf(b);
    const narrowTypes = [...typesOf(a)].filter((t) => !(t === 'integer' && typesOf(a).has('number')));
    const kept = new Set(narrowTypes.filter((t) => accepts(wideTypes, t)));
    if (kept.size < narrowTypes.length) {
      this.problem('type', [...path, 'type'], a.type ?? 'any', b.type ?? 'any');
    }
    if (b.enum !== undefined || b.const !== undefined) {
      // The wide side is finite but the narrow one is not (or could not be enumerated).
      this.problem('enum', path, a.enum ?? a.const, b.enum ?? b.const, {
        keyword: b.enum !== undefined ? 'enum' : 'const',
      });
    }
    const can = (type: TypeName) => kept.has(type) || (type === 'number' && kept.has('integer'));
    if (can('number')) this.numeric(a, b, path, kept.has('integer') && !kept.has('number'));
    if (can('string')) this.strings(a, b, path);
    if (can('array')) this.arrays(a, b, path);
    if (can('object')) this.objects(a, b, path);
  }

  /** A subset of one branch is a subset of the union; a narrow union needs every branch placed. */
  private checkAnyOf(a: SchemaObject, branches: JsonSchema[], path: string[]): void {
    // Checked here, on schemas whose `$ref`s the caller already inlined (or left as written).
    const fits = (schema: JsonSchema) =>
      branches.some((branch) => {
        const problems: SubsetProblem[] = [];
        new SubsetCheck(this.undeclared, problems).check(schema, branch, []);
        return problems.length === 0;
      });
    const { anyOf: narrowBranches, ...rest } = a;
    if (fits(a)) return;
    if (Array.isArray(narrowBranches)) {
      const merged = narrowBranches.map((branch) =>
        isObject(branch) ? ({ ...rest, ...branch } as SchemaObject) : (branch as JsonSchema),
      );
      if (merged.every(fits)) return;
    }
    this.problem('anyOf', [...path, 'anyOf'], a.anyOf, branches);
  }

  private numeric(a: SchemaObject, b: SchemaObject, path: string[], integerOnly: boolean): void {
    const lowA = bound(a, 'minimum', 'exclusiveMinimum', Math.max);
    const lowB = bound(b, 'minimum', 'exclusiveMinimum', Math.max);
    if (
      lowB &&
      !(
        lowA &&
        (lowA.value > lowB.value || (lowA.value === lowB.value && (lowA.exclusive || !lowB.exclusive)))
      )
    ) {
      this.problem('bound', [...path, lowB.keyword], showBound('>', lowA), showBound('>', lowB), {
        keyword: 'lower bound',
      });
    }
    const highA = bound(a, 'maximum', 'exclusiveMaximum', Math.min);
    const highB = bound(b, 'maximum', 'exclusiveMaximum', Math.min);
    if (
      highB &&
      !(
        highA &&
        (highA.value < highB.value || (highA.value === highB.value && (highA.exclusive || !highB.exclusive)))
      )
    ) {
      this.problem('bound', [...path, highB.keyword], showBound('<', highA), showBound('<', highB), {
        keyword: 'upper bound',
      });
    }
    const stepB = b.multipleOf;
    if (typeof stepB === 'number') {
      const stepA = a.multipleOf;
      const divides =
        (typeof stepA === 'number' && isMultiple(stepA, stepB)) || (integerOnly && isMultiple(1, stepB));
      if (!divides) this.problem('multipleOf', [...path, 'multipleOf'], stepA, stepB);
    }
  }

  private strings(a: SchemaObject, b: SchemaObject, path: string[]): void {
    this.atLeast(a, b, 'minLength', path);
    this.atMost(a, b, 'maxLength', path);
    if (b.pattern !== undefined && a.pattern !== b.pattern) {
      this.problem('pattern', [...path, 'pattern'], a.pattern, b.pattern);
    }
  }

  private arrays(a: SchemaObject, b: SchemaObject, path: string[]): void {
    this.atLeast(a, b, 'minItems', path);
    this.atMost(a, b, 'maxItems', path);
    if (
      b.uniqueItems === true &&
      a.uniqueItems !== true &&
      !(typeof a.maxItems === 'number' && a.maxItems <= 1)
    ) {
      this.problem('uniqueItems', [...path, 'uniqueItems'], a.uniqueItems, true);
    }
    // An array that must be empty has no items to check.
    const empty = typeof a.maxItems === 'number' && a.maxItems <= 0;
    if (b.items === undefined || empty) return;
    this.check(schemaAt(a.items), schemaAt(b.items), [...path, 'items']);
    // `items` applies after `prefixItems`: where only the narrow side has a prefix, its items
    // fall under the wide side's `items` (an equal prefix on both sides was checked as written).
    if (Array.isArray(a.prefixItems) && b.prefixItems === undefined) {
      a.prefixItems.forEach((item, i) => {
        this.check(schemaAt(item), schemaAt(b.items), [...path, 'prefixItems', String(i)]);
      });
    }
  }

  private objects(a: SchemaObject, b: SchemaObject, path: string[]): void {
    const requiredA = new Set(stringList(a.required));
    for (const name of stringList(b.required)) {
      if (!requiredA.has(name)) {
        const declared = isObject(a.properties) && Object.hasOwn(a.properties, name);
        // An output field the new schema drops is reported once, as removed.
        const removed = isObject(b.properties) && Object.hasOwn(b.properties, name);
        if (this.undeclared === 'output' && !declared && removed) continue;
        this.problem('required', [...path, 'properties', name], undefined, 'required', { flag: declared });
      }
    }
    this.atLeast(a, b, 'minProperties', path);
    this.atMost(a, b, 'maxProperties', path);

    // With patternProperties a name may be checked by a pattern instead of additionalProperties;
    // rather than match patterns against names, the three must then be written alike.
    if (a.patternProperties !== undefined || b.patternProperties !== undefined) {
      for (const key of ['properties', 'patternProperties', 'additionalProperties']) {
        if (!jsonEqual(a[key], b[key]))
          this.problem('keyword', [...path, key], a[key], b[key], { keyword: key });
      }
      return;
    }

    const propsA = isObject(a.properties) ? a.properties : {};
    const propsB = isObject(b.properties) ? b.properties : {};
    const extraA = a.additionalProperties;
    const extraB = b.additionalProperties;
    // What a narrow value may hold under a name it does not declare (undefined: no such value).
    const undeclaredInA: JsonSchema | undefined =
      extraA === undefined ? (this.undeclared === 'open' ? true : undefined) : (extraA as JsonSchema);

    for (const [name, wideSchema] of Object.entries(propsB)) {
      const at = [...path, 'properties', name];
      if (Object.hasOwn(propsA, name)) {
        this.check(propsA[name] as JsonSchema, wideSchema as JsonSchema, at);
      } else if (this.undeclared === 'output') {
        this.problem('removed', at, undefined, wideSchema, { flag: false });
      } else if (undeclaredInA !== undefined) {
        this.check(undeclaredInA, wideSchema as JsonSchema, at);
      }
    }
    for (const [name, narrowSchema] of Object.entries(propsA)) {
      if (Object.hasOwn(propsB, name)) continue;
      const at = [...path, 'properties', name];
      if (extraB === undefined) {
        if (this.undeclared === 'input')
          this.problem('removed', at, narrowSchema, undefined, { flag: false });
      } else if (extraB === false) {
        this.problem('removed', at, narrowSchema, undefined, { flag: true });
      } else {
        this.check(narrowSchema as JsonSchema, extraB as JsonSchema, at);
      }
    }
    if (extraB !== undefined && extraB !== true && undeclaredInA !== undefined) {
      this.check(undeclaredInA, extraB as JsonSchema, [...path, 'additionalProperties']);
    }
  }

  private atLeast(a: SchemaObject, b: SchemaObject, key: string, path: string[]): void {
    const wide = b[key];
    if (typeof wide !== 'number' || wide <= 0) return;
    const narrow = a[key];
    if (typeof narrow !== 'number' || narrow < wide) {
      this.problem('bound', [...path, key], narrow, wide, { keyword: key });
    }
  }

  private atMost(a: SchemaObject, b: SchemaObject, key: string, path: string[]): void {
    const wide = b[key];
    if (typeof wide !== 'number') return;
    const narrow = a[key];
    if (typeof narrow !== 'number' || narrow > wide) {
      this.problem('bound', [...path, key], narrow, wide, { keyword: key });
    }
  }
}

function schemaAt(value: JsonValue | undefined): JsonSchema {
  if (value === undefined) return true;
  return typeof value === 'boolean' ? value : isObject(value) ? value : true;
}

function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The values of an `enum`/`const` schema (the intersection when both are written), else null. */
function finiteValues(schema: SchemaObject): JsonValue[] | null {
  if (schema.const !== undefined) {
    return Array.isArray(schema.enum) && !schema.enum.some((v) => jsonEqual(v, schema.const as JsonValue))
      ? []
      : [schema.const];
  }
  return Array.isArray(schema.enum) ? schema.enum : null;
}

interface Bound {
  value: number;
  exclusive: boolean;
  keyword: string;
}

/** The tighter of the inclusive and exclusive bound a schema writes. */
function bound(
  schema: SchemaObject,
  inclusiveKey: string,
  exclusiveKey: string,
  tighter: (x: number, y: number) => number,
): Bound | null {
  const inclusive = typeof schema[inclusiveKey] === 'number' ? (schema[inclusiveKey] as number) : null;
  const exclusive = typeof schema[exclusiveKey] === 'number' ? (schema[exclusiveKey] as number) : null;
  if (inclusive === null && exclusive === null) return null;
  if (inclusive === null) return { value: exclusive as number, exclusive: true, keyword: exclusiveKey };
  if (exclusive === null) return { value: inclusive, exclusive: false, keyword: inclusiveKey };
  const value = tighter(inclusive, exclusive);
  return exclusive === value
    ? { value, exclusive: true, keyword: exclusiveKey }
    : { value, exclusive: false, keyword: inclusiveKey };
}

/** `n` is a whole multiple of `step` (within floating-point noise for decimal steps). */
function isMultiple(n: number, step: number): boolean {
  if (step <= 0) return false;
  const ratio = n / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9 && Math.round(ratio) >= 1;
}

/**
 * One line for a problem, in before/after terms. `narrowIs` says which side the narrow schema is:
 * `before` for an input check (what callers send today must stay valid: old ⊆ new), `after` for
 * an output check (what the agent returns must stay what consumers accept: new ⊆ old).
 */
export function describeProblem(problem: SubsetProblem, narrowIs: 'before' | 'after'): string {
  const forward = narrowIs === 'before';
  const before = forward ? problem.narrow : problem.wide;
  const after = forward ? problem.wide : problem.narrow;
  // Bounds are already text (`>= 0`); other values are shown as JSON.
  const show = (value: JsonValue | undefined) => (typeof value === 'string' ? value : showValue(value));
  const changed = (what: string) =>
    before === undefined
      ? `${what} ${show(after)} added`
      : after === undefined
        ? `${what} ${show(before)} removed`
        : `${what} changed from ${show(before)} to ${show(after)}`;
  switch (problem.kind) {
    case 'nothing':
      return forward ? 'no value is accepted any more' : 'the old schema accepted no value';
    case 'values': {
      const values = (problem.rejected ?? []).map(showValue).join(', ');
      return forward ? `${values} no longer accepted` : `${values} may now be returned`;
    }
    case 'enum':
      return forward
        ? `now limited to ${problem.keyword} ${showValue(after)}`
        : `no longer limited to ${problem.keyword} ${showValue(before)}`;
    case 'type':
      return `type changed from ${showType(before)} to ${showType(after)}`;
    case 'bound':
    case 'multipleOf':
      return changed(problem.keyword ?? problem.kind);
    case 'pattern':
      return `${before === undefined ? 'pattern added' : after === undefined ? 'pattern removed' : 'pattern changed'}; not provably compatible`;
    case 'uniqueItems':
      return forward ? 'items must now be unique' : 'items may now repeat';
    case 'anyOf':
      return forward
        ? 'some values fit no anyOf branch any more'
        : 'may now return values outside the old anyOf';
    case 'keyword':
      return `${problem.keyword} changed; not provably compatible`;
    case 'required':
      return forward
        ? problem.flag
          ? 'field became required'
          : 'new required field'
        : 'field no longer always present';
    case 'removed':
      return forward && problem.flag ? 'field removed and no longer accepted' : 'field removed';
  }
}

function showType(type: JsonValue | undefined): string {
  return Array.isArray(type) ? type.map(String).join('|') : typeof type === 'string' ? type : showValue(type);
}

/** `>= 0`, `> 0`, `<= 10`: a numeric bound as a reader compares it. */
function showBound(direction: '>' | '<', bound: Bound | null): string | undefined {
  return bound === null ? undefined : `${direction}${bound.exclusive ? '' : '='} ${bound.value}`;
}

function withoutAnnotations(schema: SchemaObject): SchemaObject {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !ANNOTATIONS.has(key)));
}
