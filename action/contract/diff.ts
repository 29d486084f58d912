import { ANY_ENVIRONMENT } from './extract.ts';
import { describeProblem, inlineLocalRefs, jsonEqual, showValue, subsetProblems } from './schema-subset.ts';
import {
  CHANGE_CLASSES,
  type ChangeClass,
  type Contract,
  type ContractAuth,
  type ContractChange,
  type ContractDiff,
  type EnvironmentContract,
  type JsonSchema,
  type JsonValue,
} from './types.ts';

export interface DiffOptions {
  /**
   * Only this environment's deployment changes (plus those of the implicit `*` environment);
   * the rest of the contract is the same in every environment.
   */
  environment?: string;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Collects changes; every message starts with its path. */
class Changes {
  readonly list: ContractChange[] = [];

  add(
    kind: ChangeClass,
    path: string,
    text: string,
    values: { before?: JsonValue | undefined; after?: JsonValue | undefined; environment?: string } = {},
  ): void {
    const change: ContractChange = { class: kind, path, message: `${path}: ${text}` };
    if (values.before !== undefined) change.before = values.before;
    if (values.after !== undefined) change.after = values.after;
    if (values.environment !== undefined) change.environment = values.environment;
    this.list.push(change);
  }

  /**
   * A flag that changed (`before !== after`): turning it on is `on`, off is `off`, each a class
   * and the text after "turned on"/"turned off" (empty, or ": why it matters").
   */
  toggled(
    path: string,
    before: boolean,
    after: boolean,
    on: [ChangeClass, string],
    off: [ChangeClass, string],
  ): void {
    const [kind, why] = after ? on : off;
    this.add(kind, path, `${after ? 'turned on' : 'turned off'}${why}`, { before, after });
  }

  /** Sorted by path, environment, message; duplicates dropped. */
  grouped(): ContractDiff {
    const diff: ContractDiff = { breaking: [], widening: [], operational: [], compatible: [] };
    const seen = new Set<string>();
    const sorted = [...this.list].sort(
      (x, y) =>
        byCodeUnit(x.path, y.path) ||
        byCodeUnit(x.environment ?? '', y.environment ?? '') ||
        byCodeUnit(x.message, y.message),
    );
    for (const change of sorted) {
      const key = `${change.class}\0${change.environment ?? ''}\0${change.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diff[change.class].push(change);
    }
    return diff;
  }
}

/**
 * What changed between two contracts (before: the PR base or what is deployed; after: the new
 * Dockfile), classified for a reviewer. Equal contracts give an empty diff.
 */
export function diffContracts(before: Contract, after: Contract, options: DiffOptions = {}): ContractDiff {
  const changes = new Changes();
  if (before.agent !== after.agent) {
    changes.add(
      'breaking',
      'agent.name',
      `renamed from ${before.agent} to ${after.agent}: a different service`,
      {
        before: before.agent,
        after: after.agent,
      },
    );
  }
  // Named by where the Dockfile says them.
  diffLeaves('agent.description', before.info.description, after.info.description, 'compatible', changes);
  diffLeaves('model', before.info.model, after.info.model, 'compatible', changes);
  diffTimeout(before.info.timeout_sec, after.info.timeout_sec, changes);
  diffIoSchema(before, after, changes);
  diffExposure(before, after, changes);
  diffAuth(before.auth, after.auth, changes);
  diffPolicies(before, after, changes);
  diffSecrets(before, after, changes, options);
  diffEnvironments(before, after, changes, options);
  return changes.grouped();
}

/**
 * `arguments.timeout_sec`: the runtime ends a request running longer with 504, and without it
 * lets requests run (runtime config.py `timeout_seconds`). A limit added or lowered may cut off
 * today's requests, as a lower `max_body_bytes` may reject them: breaking.
 */
function diffTimeout(was: number | null, now: number | null, changes: Changes): void {
  if (was === now) return;
  const path = 'arguments.timeout_sec';
  const values = { before: was ?? undefined, after: now ?? undefined };
  if (now === null) {
    changes.add('compatible', path, `removed (was ${was} s): requests are no longer cut off`, values);
  } else if (was === null || now < was) {
    const text =
      was === null
        ? `set to ${now} s (there was no limit): requests running longer now end with 504`
        : `lowered from ${was} to ${now} s: requests running longer now end with 504`;
    changes.add('breaking', path, text, values);
  } else {
    changes.add('compatible', path, `raised from ${was} to ${now} s`, values);
  }
}

/** How many changes the diff holds, all classes together. */
export function changeCount(diff: ContractDiff): number {
  return CHANGE_CLASSES.reduce((n, kind) => n + diff[kind].length, 0);
}

/** True when the diff has no change at all. */
export function isEmptyDiff(diff: ContractDiff): boolean {
  return changeCount(diff) === 0;
}

// ---------------------------------------------------------------------------------------------
// io_schema

function diffIoSchema(before: Contract, after: Contract, changes: Changes): void {
  const io = { before: before.io_schema, after: after.io_schema };
  // No inline schema: the runtime accepts (or returns) any JSON value (runtime io_contract.py).
  const input = { before: io.before.input ?? true, after: io.after.input ?? true };
  const output = { before: io.before.output ?? true, after: io.after.output ?? true };

  const broken = new Set<string>();
  // Input: every request valid today must still be valid (old ⊆ new).
  for (const problem of subsetProblems(input.before, input.after, { undeclared: 'input' })) {
    const path = schemaPath('io_schema.input', problem.path);
    broken.add(path);
    changes.add('breaking', path, describeProblem(problem, 'before'), {
      before: problem.narrow,
      after: problem.wide,
    });
  }
  // Output: every answer the agent may give must still be one its consumers accept (new ⊆ old).
  if (io.before.output !== null || io.after.output !== null) {
    for (const problem of subsetProblems(output.after, output.before, { undeclared: 'output' })) {
      const path = schemaPath('io_schema.output', problem.path);
      broken.add(path);
      // The check runs new-against-old: the narrow side is the new schema.
      changes.add('breaking', path, describeProblem(problem, 'after'), {
        before: problem.wide,
        after: problem.narrow,
      });
    }
  }
  // Walked as the subset check saw them when it could inline every `$ref` of both sides, so a
  // changed definition shows where it is used; else as written.
  for (const side of ['input', 'output'] as const) {
    const [was, now] = [io.before[side], io.after[side]].map((schema) =>
      schema === null ? null : inlineLocalRefs(schema),
    );
    const asWritten = was?.unresolved === true || now?.unresolved === true;
    compatibleSchemaChanges(
      `io_schema.${side}`,
      asWritten ? io.before[side] : (was?.schema ?? null),
      asWritten ? io.after[side] : (now?.schema ?? null),
      broken,
      changes,
      side,
    );
  }
  for (const key of ['input_class', 'output_class'] as const) {
    const [was, now] = [io.before[key], io.after[key]];
    if (was === now) continue;
    const path = `io_schema.${key}`;
    if (was === null) {
      changes.add(
        'breaking',
        path,
        `set to ${now}; a Python class cannot be compared with the schema before`,
        {
          after: now,
        },
      );
    } else if (now === null) {
      changes.add('breaking', path, `removed (was ${was}); a Python class cannot be compared`, {
        before: was,
      });
    } else {
      changes.add('breaking', path, `changed from ${was} to ${now}; Python classes cannot be compared`, {
        before: was,
        after: now,
      });
    }
  }
  if (io.before.strict !== io.after.strict) {
    if (io.before.strict && io.after.output !== null) {
      changes.add(
        'breaking',
        'io_schema.strict',
        'turned off: the output is no longer checked against its schema',
        {
          before: true,
          after: false,
        },
      );
    } else {
      changes.add('compatible', 'io_schema.strict', `${io.after.strict ? 'turned on' : 'turned off'}`, {
        before: io.before.strict,
        after: io.after.strict,
      });
    }
  }
}

function schemaPath(root: string, segments: readonly string[]): string {
  return [root, ...segments].join('.');
}

/**
 * Differences that broke nothing: a field added, a description changed, an enum widened. One
 * change per property added or removed, else per differing leaf, skipping paths already called
 * breaking.
 */
function compatibleSchemaChanges(
  root: string,
  before: JsonSchema | null,
  after: JsonSchema | null,
  broken: ReadonlySet<string>,
  changes: Changes,
  side: 'input' | 'output',
): void {
  // At or below a path already called breaking: that report says it.
  const isBroken = (path: string) => [...broken].some((b) => b === path || path.startsWith(`${b}.`));
  // A whole value (a schema added or removed) that holds a breaking change is reported by it.
  const holdsBroken = (path: string) => isBroken(path) || [...broken].some((b) => b.startsWith(`${path}.`));
  const walk = (was: JsonValue | undefined, now: JsonValue | undefined, path: string): void => {
    if (jsonEqual(was, now) || isBroken(path)) return;
    if (isMap(was) && isMap(now)) {
      const propertyMap = path.endsWith('.properties');
      for (const key of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort(byCodeUnit)) {
        const at = `${path}.${key}`;
        if (propertyMap && !Object.hasOwn(was, key)) {
          if (!isBroken(at)) {
            changes.add(
              'compatible',
              at,
              side === 'input' ? 'input field added (optional)' : 'output field added',
              {
                after: now[key],
              },
            );
          }
        } else if (propertyMap && !Object.hasOwn(now, key)) {
          if (!isBroken(at)) changes.add('compatible', at, `${side} field removed`, { before: was[key] });
        } else if (!propertyMap && key === 'required') {
          requiredChanges(was[key], now[key], path);
        } else {
          walk(was[key], now[key], at);
        }
      }
      return;
    }
    if (holdsBroken(path)) return;
    const text =
      was === undefined
        ? `added: ${showValue(now)}`
        : now === undefined
          ? `removed (was ${showValue(was)})`
          : `changed from ${showValue(was)} to ${showValue(now)}`;
    changes.add('compatible', path, text, { before: was, after: now });
  };
  // `required` is reported per field, where a reviewer looks for it.
  const requiredChanges = (was: JsonValue | undefined, now: JsonValue | undefined, schemaPath: string) => {
    const old = Array.isArray(was) ? was.filter((v): v is string => typeof v === 'string') : [];
    const next = Array.isArray(now) ? now.filter((v): v is string => typeof v === 'string') : [];
    for (const [names, text] of [
      [difference(next, old), 'field now required'],
      [difference(old, next), 'field no longer required'],
    ] as const) {
      for (const name of names) {
        const at = `${schemaPath}.properties.${name}`;
        if (!isBroken(at)) changes.add('compatible', at, text);
      }
    }
  };
  walk(before ?? undefined, after ?? undefined, root);
}

function isMap(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// expose, endpoints, streaming

function diffExposure(before: Contract, after: Contract, changes: Changes): void {
  for (const endpoint of difference(before.endpoints, after.endpoints)) {
    changes.add('breaking', 'endpoints', `${endpoint} removed`, { before: endpoint });
  }
  for (const endpoint of difference(after.endpoints, before.endpoints)) {
    changes.add('compatible', 'endpoints', `${endpoint} added`, { after: endpoint });
  }
  const [was, now] = [before.expose, after.expose];
  if (was.streaming !== now.streaming) {
    // Which endpoints went or came is reported above; this names the setting.
    const lost = difference(before.endpoints, after.endpoints).length > 0;
    changes.add(
      lost ? 'breaking' : 'compatible',
      'expose.streaming',
      `changed from ${was.streaming} to ${now.streaming}`,
      {
        before: was.streaming,
        after: now.streaming,
      },
    );
  }
  if (was.rest !== now.rest) {
    changes.toggled('expose.rest', was.rest, now.rest, ['compatible', ''], ['breaking', '']);
  }
  if (was.port !== now.port) {
    changes.add(
      'breaking',
      'expose.port',
      `changed from ${was.port} to ${now.port}: callers and probes must follow`,
      {
        before: was.port,
        after: now.port,
      },
    );
  }
  if (was.host !== now.host) {
    changes.add('operational', 'expose.host', `changed from ${was.host} to ${now.host}`, {
      before: was.host,
      after: now.host,
    });
  }
  if (was.max_body_bytes !== now.max_body_bytes) {
    const [old, next] = [was.max_body_bytes, now.max_body_bytes];
    // Unset is the runtime's own default, which the contract does not know: a change to or from
    // it may lower the limit, so it counts as one.
    const lower = old === null || next === null || next < old;
    const text =
      next === null
        ? `removed (was ${old}): the runtime default applies, which may be lower`
        : old === null
          ? `set to ${next} (was the runtime default): larger requests are rejected`
          : `changed from ${old} to ${next}${lower ? ': larger requests are rejected' : ''}`;
    changes.add(lower ? 'breaking' : 'compatible', 'expose.max_body_bytes', text, {
      before: old,
      after: next,
    });
  }
  const CORS_NOUN = { origins: 'origin', methods: 'method', headers: 'header' } as const;
  for (const key of ['origins', 'methods', 'headers'] as const) {
    const path = `expose.cors.${key}`;
    const old = was.cors?.[key] ?? [];
    const next = now.cors?.[key] ?? [];
    for (const item of difference(next, old)) {
      // `*` is every origin: any web page may call the agent from its visitors' browsers.
      const text =
        item === '*'
          ? `${CORS_NOUN[key]} * allowed: browser calls from any ${key === 'origins' ? 'web page' : CORS_NOUN[key]} are allowed`
          : `${CORS_NOUN[key]} ${item} now allowed for browser callers`;
      changes.add('widening', path, text, { after: item });
    }
    for (const item of difference(old, next)) {
      changes.add(
        'breaking',
        path,
        `${CORS_NOUN[key]} ${item} no longer allowed: browser callers using it are rejected`,
        { before: item },
      );
    }
  }
  diffLeaves('streaming', before.streaming, after.streaming, 'compatible', changes);
}

// ---------------------------------------------------------------------------------------------
// auth

const MODE_STRENGTH: Record<ContractAuth['mode'], string> = {
  none: 'no credentials',
  api_key: 'an API key',
  jwt: 'a JWT',
  oauth2: 'an OAuth2 token',
};

function diffAuth(was: ContractAuth, now: ContractAuth, changes: Changes): void {
  if (was.mode !== now.mode) {
    if (now.mode === 'none') {
      changes.add(
        'widening',
        'auth.mode',
        `loosened from ${was.mode} to none: anyone who can reach the agent may call it`,
        {
          before: was.mode,
          after: now.mode,
        },
      );
    } else {
      changes.add(
        'breaking',
        'auth.mode',
        `changed from ${was.mode} to ${now.mode}: callers must now present ${MODE_STRENGTH[now.mode]}`,
        { before: was.mode, after: now.mode },
      );
    }
  } else {
    diffApiKey(was, now, changes);
    diffTokenAuth(was, now, changes);
  }
  if (was.mode === now.mode || now.mode !== 'none') {
    // An API key accepted next to jwt/oauth2 (api_keys.enabled) is another way in.
    if (was.mode !== 'api_key' && now.mode !== 'api_key' && now.mode !== 'none') {
      if (!was.api_key?.enabled && now.api_key?.enabled) {
        changes.add(
          'widening',
          'auth.api_keys.enabled',
          `turned on: API keys are accepted next to ${now.mode}`,
          {
            before: false,
            after: true,
          },
        );
      } else if (was.api_key?.enabled && !now.api_key?.enabled && was.mode === now.mode) {
        changes.add(
          'breaking',
          'auth.api_keys.enabled',
          'turned off: callers using an API key are rejected',
          {
            before: true,
            after: false,
          },
        );
      }
    }
  }
  // Without auth before, roles and limits governed no caller; the mode change says it all.
  if (was.mode !== 'none' && now.mode !== 'none') {
    diffRoles(was, now, changes);
    diffRateLimits(was, now, changes);
  }
}

function diffApiKey(was: ContractAuth, now: ContractAuth, changes: Changes): void {
  const [a, b] = [was.api_key, now.api_key];
  if (a === null || b === null) return;
  if (was.mode === 'api_key' && a.enabled !== b.enabled) {
    changes.toggled(
      'auth.api_keys.enabled',
      a.enabled,
      b.enabled,
      ['breaking', ': callers must present an API key'],
      ['widening', ': requests need no API key'],
    );
  }
  if (a.header !== b.header) {
    changes.add(
      'breaking',
      'auth.api_keys.header',
      `changed from ${a.header} to ${b.header}: callers sending the old header are rejected`,
      {
        before: a.header,
        after: b.header,
      },
    );
  }
  if (a.allow_bearer !== b.allow_bearer) {
    changes.toggled(
      'auth.api_keys.allow_bearer',
      a.allow_bearer,
      b.allow_bearer,
      ['compatible', ': the key is also accepted as a bearer token'],
      ['breaking', ': callers sending the key as a bearer token are rejected'],
    );
  }
  if (a.env_var !== b.env_var) {
    changes.add(
      'operational',
      'auth.api_keys.env_var',
      `the owner key is now read from ${b.env_var} (was ${a.env_var})`,
      {
        before: a.env_var,
        after: b.env_var,
      },
    );
  }
  if (a.prefix !== b.prefix) {
    changes.add(
      'operational',
      'auth.api_keys.prefix',
      `role keys are now read from ${b.prefix === null ? 'nowhere' : `${b.prefix}_<ROLE>`} (was ${a.prefix === null ? 'none' : `${a.prefix}_<ROLE>`})`,
      { before: a.prefix, after: b.prefix },
    );
  }
}

function diffTokenAuth(was: ContractAuth, now: ContractAuth, changes: Changes): void {
  const block = was.mode === 'jwt' ? 'jwt' : was.mode === 'oauth2' ? 'oauth2' : null;
  if (block === null) return;
  const a = (block === 'jwt' ? was.jwt : was.oauth2) as Record<string, JsonValue> | null;
  const b = (block === 'jwt' ? now.jwt : now.oauth2) as Record<string, JsonValue> | null;
  if (a === null || b === null) return;
  const path = (key: string) => `auth.${block}.${key}`;
  for (const key of ['issuer', 'jwks_url', 'public_key_env'] as const) {
    if (a[key] === undefined || jsonEqual(a[key], b[key])) continue;
    changes.add(
      'breaking',
      path(key),
      `changed from ${showValue(a[key])} to ${showValue(b[key])}: tokens valid today may be rejected`,
      { before: a[key], after: b[key] },
    );
  }
  if (a.has_secret_key !== undefined && a.has_secret_key !== b.has_secret_key) {
    changes.add('breaking', path('secret_key'), b.has_secret_key ? 'set' : 'removed', {
      before: a.has_secret_key,
      after: b.has_secret_key,
    });
  }
  // A token must match one listed audience and algorithm: more listed widens, fewer breaks. An
  // empty list is no check (audience) or the runtime's default set (algorithms).
  for (const key of ['audience', 'algorithms'] as const) {
    if (a[key] === undefined) continue;
    const old = (a[key] ?? []) as string[];
    const next = (b[key] ?? []) as string[];
    if (old.length > 0 && next.length === 0) {
      changes.add('widening', path(key), `no longer listed (was ${old.join(', ')})`, {
        before: old,
        after: next,
      });
    } else if (old.length === 0 && next.length > 0) {
      changes.add('breaking', path(key), `now limited to ${next.join(', ')}`, { before: old, after: next });
    } else {
      for (const item of difference(next, old)) {
        changes.add('widening', path(key), `${item} now accepted`, { after: item });
      }
      for (const item of difference(old, next)) {
        changes.add('breaking', path(key), `${item} no longer accepted`, { before: item });
      }
    }
  }
  if (block === 'oauth2') {
    // Scopes a token must carry: one more rejects today's tokens, one fewer accepts more.
    const old = (a.scopes ?? []) as string[];
    const next = (b.scopes ?? []) as string[];
    for (const scope of difference(next, old)) {
      changes.add('breaking', path('scopes'), `${scope} now required`, { after: scope });
    }
    for (const scope of difference(old, next)) {
      changes.add('widening', path('scopes'), `${scope} no longer required`, { before: scope });
    }
  }
  if (block === 'jwt' && a.leeway_seconds !== b.leeway_seconds) {
    const longer = ((b.leeway_seconds as number | null) ?? 0) > ((a.leeway_seconds as number | null) ?? 0);
    changes.add(
      longer ? 'widening' : 'compatible',
      path('leeway_seconds'),
      `changed from ${a.leeway_seconds ?? 0} to ${b.leeway_seconds ?? 0}${longer ? ': expired tokens are accepted for longer' : ''}`,
      { before: a.leeway_seconds, after: b.leeway_seconds },
    );
  }
}

function diffRoles(was: ContractAuth, now: ContractAuth, changes: Changes): void {
  const names = [...new Set([...Object.keys(was.roles), ...Object.keys(now.roles)])].sort(byCodeUnit);
  for (const role of names) {
    const path = `auth.roles.${role}`;
    const old = Object.hasOwn(was.roles, role) ? (was.roles[role] ?? []) : null;
    const next = Object.hasOwn(now.roles, role) ? (now.roles[role] ?? []) : null;
    if (old === null && next !== null) {
      changes.add('widening', path, `role added with ${next.length ? next.join(', ') : 'no permissions'}`, {
        after: next,
      });
      continue;
    }
    if (old !== null && next === null) {
      changes.add('breaking', path, 'role removed: its callers are rejected', { before: old });
      continue;
    }
    if (old === null || next === null) continue;
    for (const permission of difference(next, old)) {
      changes.add('widening', path, `gains permission ${permission}`, { after: permission });
    }
    for (const permission of difference(old, next)) {
      changes.add('breaking', path, `loses permission ${permission}: its callers are rejected there`, {
        before: permission,
      });
    }
  }
}

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  d: 86_400,
  day: 86_400,
};

/** `100/m` → requests and period; null for text the schema would not have let through. */
function parseRate(text: string): { count: number; seconds: number } | null {
  const match = /^([1-9][0-9]*)\s*\/\s*([a-z]+)$/.exec(text.trim());
  const seconds = match ? UNIT_SECONDS[match[2] ?? ''] : undefined;
  return match && seconds ? { count: Number(match[1]), seconds } : null;
}

/**
 * How `b` compares with `a` as a token bucket (runtime/dockrion_runtime/ratelimit.py): by rate,
 * then by burst (the bucket holds N). `more`: more requests get through.
 */
function compareRates(a: string, b: string): { order: number; burstOnly: boolean } {
  const [x, y] = [parseRate(a), parseRate(b)];
  if (!x || !y) return { order: 0, burstOnly: false };
  const rate = y.count / y.seconds - x.count / x.seconds;
  if (Math.abs(rate) > 1e-12) return { order: Math.sign(rate), burstOnly: false };
  return { order: Math.sign(y.count - x.count), burstOnly: true };
}

function diffRateLimits(was: ContractAuth, now: ContractAuth, changes: Changes): void {
  const roles = [...new Set([...Object.keys(was.rate_limits), ...Object.keys(now.rate_limits)])].sort(
    byCodeUnit,
  );
  for (const role of roles) {
    const path = `auth.rate_limits.${role}`;
    const old = Object.hasOwn(was.rate_limits, role) ? was.rate_limits[role] : undefined;
    const next = Object.hasOwn(now.rate_limits, role) ? now.rate_limits[role] : undefined;
    if (old === next) continue;
    if (old === undefined) {
      // A role that is new has no callers yet to reject.
      const newRole = !Object.hasOwn(was.roles, role) && Object.hasOwn(now.roles, role);
      changes.add(
        newRole ? 'compatible' : 'breaking',
        path,
        newRole ? `limit ${next} for the new role` : `limit ${next} added: callers above it are rejected`,
        { after: next },
      );
    } else if (next === undefined) {
      changes.add('widening', path, `limit ${old} removed: no limit`, { before: old });
    } else {
      const { order, burstOnly } = compareRates(old, next);
      const how = burstOnly ? 'same rate, burst' : '';
      changes.add(
        order > 0 ? 'widening' : order < 0 ? 'breaking' : 'compatible',
        path,
        order > 0
          ? `${how ? `${how} ` : ''}raised from ${old} to ${next}`
          : order < 0
            ? `${how ? `${how} ` : ''}lowered from ${old} to ${next}: callers above it are rejected`
            : `rewritten from ${old} to ${next} (same limit)`,
        { before: old, after: next },
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// policies

function diffPolicies(before: Contract, after: Contract, changes: Changes): void {
  const [tools, nextTools] = [before.policies.tools, after.policies.tools];
  for (const tool of difference(nextTools.allowed, tools.allowed)) {
    changes.add('widening', 'policies.tools.allowed', `${tool} added: the agent may call it`, {
      after: tool,
    });
  }
  for (const tool of difference(tools.allowed, nextTools.allowed)) {
    changes.add('compatible', 'policies.tools.allowed', `${tool} removed: the agent may no longer call it`, {
      before: tool,
    });
  }
  if (tools.deny_by_default !== nextTools.deny_by_default) {
    changes.toggled(
      'policies.tools.deny_by_default',
      tools.deny_by_default,
      nextTools.deny_by_default,
      ['compatible', ': unlisted tools are denied'],
      ['widening', ': tools not listed are allowed'],
    );
  }

  const [safety, nextSafety] = [before.policies.safety, after.policies.safety];
  for (const pattern of difference(safety.redact_patterns, nextSafety.redact_patterns)) {
    changes.add(
      'widening',
      'policies.safety.redact_patterns',
      `${pattern} removed: matching text is no longer redacted`,
      {
        before: pattern,
      },
    );
  }
  for (const pattern of difference(nextSafety.redact_patterns, safety.redact_patterns)) {
    changes.add('compatible', 'policies.safety.redact_patterns', `${pattern} added`, { after: pattern });
  }
  if (safety.max_output_chars !== nextSafety.max_output_chars) {
    const [old, next] = [safety.max_output_chars, nextSafety.max_output_chars];
    const raised = next === null || (old !== null && next > old);
    changes.add(
      raised ? 'widening' : 'compatible',
      'policies.safety.max_output_chars',
      next === null
        ? `limit ${old} removed: answers of any length are let through`
        : old === null
          ? `limit ${next} added`
          : raised
            ? `raised from ${old} to ${next}: longer answers are let through`
            : `lowered from ${old} to ${next}`,
      { before: old, after: next },
    );
  }
  for (const key of ['block_prompt_injection', 'halt_on_violation'] as const) {
    if (safety[key] === nextSafety[key]) continue;
    changes.toggled(
      `policies.safety.${key}`,
      safety[key],
      nextSafety[key],
      ['compatible', ''],
      ['widening', ': a safety policy relaxed'],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// secrets and environments

function environmentNames(contract: Contract, options: DiffOptions): string[] {
  return Object.keys(contract.environments)
    .filter(
      (name) => options.environment === undefined || name === options.environment || name === ANY_ENVIRONMENT,
    )
    .sort(byCodeUnit);
}

function diffSecrets(before: Contract, after: Contract, changes: Changes, options: DiffOptions): void {
  const required = new Set(before.secrets.required);
  const declared = new Set([...before.secrets.required, ...before.secrets.optional]);
  for (const name of after.secrets.required) {
    if (required.has(name)) continue;
    const path = `secrets.required.${name}`;
    const what = declared.has(name) ? 'optional secret is now required' : 'new required secret';
    const environments = environmentNames(after, options);
    if (environments.length === 0) {
      changes.add('operational', path, `${what}; no environment is declared to provide it`);
    }
    for (const environment of environments) {
      const profile = after.environments[environment]?.secrets;
      const source = profile?.sources[name];
      const where =
        profile && source
          ? `${source.mapped ? 'mapped to' : 'read as'} ${source.remote_key} from ${profile.location}`
          : 'not provided by its profile';
      const label = environment === ANY_ENVIRONMENT ? 'every environment' : `environment ${environment}`;
      changes.add('operational', path, `${what}; ${label}: ${where}`, { environment, after: name });
    }
  }
  for (const name of difference(after.secrets.optional, [...declared])) {
    changes.add('compatible', `secrets.optional.${name}`, 'new optional secret', { after: name });
  }
  for (const name of difference([...declared], [...after.secrets.required, ...after.secrets.optional])) {
    changes.add(
      'compatible',
      `secrets.${required.has(name) ? 'required' : 'optional'}.${name}`,
      'no longer declared',
      {
        before: name,
      },
    );
  }
  for (const name of after.secrets.optional) {
    if (required.has(name))
      changes.add('compatible', `secrets.optional.${name}`, 'required secret is now optional');
  }
}

function diffEnvironments(before: Contract, after: Contract, changes: Changes, options: DiffOptions): void {
  const oldNames = environmentNames(before, options);
  const newNames = environmentNames(after, options);
  for (const name of difference(newNames, oldNames)) {
    changes.add('operational', `deploy.environments.${name}`, 'environment added', { environment: name });
  }
  for (const name of difference(oldNames, newNames)) {
    changes.add(
      'operational',
      `deploy.environments.${name}`,
      'environment removed: nothing deploys there any more',
      {
        environment: name,
      },
    );
  }
  for (const name of newNames) {
    const was = before.environments[name];
    const now = after.environments[name];
    if (was === undefined || now === undefined) continue;
    diffEnvironment(name, was, now, changes);
  }
}

function diffEnvironment(
  name: string,
  was: EnvironmentContract,
  now: EnvironmentContract,
  changes: Changes,
): void {
  const base = name === ANY_ENVIRONMENT ? 'deploy' : `deploy.environments.${name}`;
  const keys = [
    'target',
    'namespace',
    'replicas',
    'resources',
    'autoscaling',
    'ingress',
    'network_policy',
  ] as const;
  for (const key of keys) {
    if (key === 'ingress') continue;
    diffLeaves(`${base}.${key}`, was[key] as JsonValue, now[key] as JsonValue, 'operational', changes, name);
  }
  diffIngress(`${base}.ingress`, was.ingress, now.ingress, changes, name);
  const [a, b] = [was.secrets, now.secrets];
  if (a.provider !== b.provider || a.location !== b.location) {
    changes.add('operational', `${base}.secrets`, `secrets now come from ${b.location} (was ${a.location})`, {
      environment: name,
      before: a.location,
      after: b.location,
    });
  }
  for (const secret of Object.keys(b.sources).sort(byCodeUnit)) {
    const [old, next] = [a.sources[secret], b.sources[secret]];
    if (old === undefined || next === undefined || old.remote_key === next.remote_key) continue;
    changes.add(
      'operational',
      `${base}.secrets.map.${secret}`,
      `now read from ${next.remote_key} (was ${old.remote_key})`,
      {
        environment: name,
        before: old.remote_key,
        after: next.remote_key,
      },
    );
  }
}

/**
 * The ingress leaf by leaf, except its annotations: the contract holds their values as digests
 * (extract.ts), so a change names the annotation and never a value, not even a digest.
 */
function diffIngress(
  path: string,
  was: EnvironmentContract['ingress'],
  now: EnvironmentContract['ingress'],
  changes: Changes,
  environment: string,
): void {
  const withoutAnnotations = (ingress: EnvironmentContract['ingress']): JsonValue => {
    if (ingress === null) return null;
    const { annotations: _annotations, ...rest } = ingress;
    return rest;
  };
  diffLeaves(path, withoutAnnotations(was), withoutAnnotations(now), 'operational', changes, environment);
  const [old, next] = [was?.annotations ?? {}, now?.annotations ?? {}];
  for (const key of [...new Set([...Object.keys(old), ...Object.keys(next)])].sort(byCodeUnit)) {
    const [a, b] = [
      Object.hasOwn(old, key) ? old[key] : undefined,
      Object.hasOwn(next, key) ? next[key] : undefined,
    ];
    if (a === b) continue;
    const text =
      a === undefined
        ? 'added (its value is not shown)'
        : b === undefined
          ? 'removed'
          : 'value changed (values are not shown)';
    changes.add('operational', `${path}.annotations.${key}`, text, { environment });
  }
}

/** One change per differing leaf (a whole value when one side lacks it). */
function diffLeaves(
  path: string,
  was: JsonValue | undefined,
  now: JsonValue | undefined,
  kind: ChangeClass,
  changes: Changes,
  environment?: string,
): void {
  if (jsonEqual(was ?? null, now ?? null)) return;
  const extra = environment === undefined ? {} : { environment };
  if (isMap(was) && isMap(now)) {
    for (const key of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort(byCodeUnit)) {
      diffLeaves(`${path}.${key}`, was[key], now[key], kind, changes, environment);
    }
    return;
  }
  const text =
    was === undefined || was === null
      ? `set to ${showValue(now)}`
      : now === undefined || now === null
        ? `removed (was ${showValue(was)})`
        : `changed from ${showValue(was)} to ${showValue(now)}`;
  changes.add(kind, path, text, { before: was ?? undefined, after: now ?? undefined, ...extra });
}

/** Items of `a` not in `b`, in `a`'s order. */
function difference(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return a.filter((item) => !other.has(item));
}
