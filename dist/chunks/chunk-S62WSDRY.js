import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  redactUrl
} from "./chunk-4P7MY5G4.js";
import {
  normalizeDockfile,
  require__,
  validateDockfileText
} from "./chunk-CJK7HBET.js";
import {
  require_dist,
  resolveEnvironment
} from "./chunk-Y7HVPOHU.js";
import {
  DockrionError,
  UsageError
} from "./chunk-NQESISYT.js";
import {
  __toESM
} from "./chunk-TC6B22LF.js";

// action/report/limits.ts
var STEP_SUMMARY_LIMIT = 1024 * 1024;
function codePoints(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 55296 && unit <= 56319 && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 56320 && next <= 57343) i++;
    }
    n++;
  }
  return n;
}
function utf8Bytes(text) {
  return Buffer.byteLength(text, "utf8");
}
var bodyBudget = { max: 6e4, measure: codePoints };
function summaryBudget(alreadyWritten = 0) {
  return { max: Math.max(0, 1e6 - alreadyWritten), measure: utf8Bytes };
}
function fitLines(lines, room, budget, separator = "\n") {
  const separatorSize = budget.measure(separator);
  const kept = [];
  let used = 0;
  for (const line of lines) {
    const size = budget.measure(line) + (kept.length > 0 ? separatorSize : 0);
    if (used + size > room) break;
    kept.push(line);
    used += size;
  }
  return { lines: kept, omitted: lines.length - kept.length };
}
function fitRowsWithNote(head, rows, note, budget) {
  const room = budget.max - budget.measure(head) - budget.measure(note(rows.length));
  const fitted = fitLines(rows, room, budget);
  return `${head}${fitted.lines.join("\n")}${fitted.omitted > 0 ? note(fitted.omitted) : "\n"}`;
}
function largest(max, ok) {
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}
function truncateText(text, budget, suffix) {
  if (budget.measure(text) <= budget.max) return text;
  const room = budget.max - budget.measure(suffix);
  if (room <= 0) return "";
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (budget.measure(text.slice(0, mid)) <= room) low = mid;
    else high = mid - 1;
  }
  let end = low;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 55296 && last <= 56319) end--;
  return `${text.slice(0, end)}${suffix}`;
}

// action/report/markdown-escape.ts
function longestBacktickRun(text) {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}
function escapePipes(text) {
  return text.replace(/(\\*)\|/g, (_match, run) => `${run}${run.length % 2 === 1 ? "\\" : ""}\\|`);
}
function codeSpan(text, options = {}) {
  if (text === "") return "";
  let content = text.replace(/\r\n|[\r\n\u2028\u2029]/g, " ");
  const fence = "`".repeat(longestBacktickRun(content) + 1);
  if (content.startsWith("`") || content.endsWith("`") || content.startsWith(" ") && content.endsWith(" ")) {
    content = ` ${content} `;
  }
  if (options.table) content = escapePipes(content);
  return `${fence}${content}${fence}`;
}
function codeLines(text) {
  return text.split(/\r\n|[\r\n\u2028\u2029]/).filter((line) => line !== "").map((line) => codeSpan(line, { table: true })).join("<br>");
}
function codeFence(text) {
  return "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
}
function codeBlock(text, info = "") {
  const fence = codeFence(text);
  return `${fence}${info}
${text.replace(/\n+$/, "")}
${fence}`;
}
function linkDestination(url) {
  return url.replace(
    /[\s()<>"'\\`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`
  );
}

// action/contract/extract.ts
import { createHash } from "node:crypto";

// action/contract/types.ts
var CONTRACT_FORMAT = 2;
var CHANGE_CLASSES = ["breaking", "widening", "operational", "compatible"];

// action/contract/extract.ts
var ANY_ENVIRONMENT = "*";
var ContractFormatError = class extends DockrionError {
  constructor(message, hint, cause) {
    super(message, { code: "gitops", hint, cause });
  }
};
function record(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
}
var byCodeUnit = (a, b) => a < b ? -1 : a > b ? 1 : 0;
function sortedUnique(values) {
  return [...new Set(values ?? [])].sort(byCodeUnit);
}
function listOf(value) {
  return value === void 0 ? [] : typeof value === "string" ? [value] : sortedUnique(value);
}
function canonicalJson(value) {
  if (Array.isArray(value)) return value.map((item) => canonicalJson(item ?? null));
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value).sort(byCodeUnit)) {
      const child = value[key];
      if (child === void 0) continue;
      Object.defineProperty(out, key, {
        value: canonicalJson(child),
        enumerable: true,
        writable: true,
        configurable: true
      });
    }
    return out;
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return null;
}
function schemaOf(value) {
  if (value === void 0 || value === null) return null;
  if (typeof value === "boolean") return value;
  return canonicalJson(value);
}
function endpointsOf(rest, streaming) {
  const endpoints = [];
  if (rest) endpoints.push("POST /invoke");
  if (streaming === "sse" || streaming === "websocket") endpoints.push("POST /invoke/stream");
  if (streaming === "websocket") endpoints.push("GET /invoke/ws");
  return endpoints.sort(byCodeUnit);
}
function authOf(auth) {
  const mode = auth.mode ?? "api_key";
  const apiKeys = record(auth.api_keys);
  const apiKeyEnabled = mode === "api_key" ? apiKeys.enabled !== false : apiKeys.enabled === true;
  const jwt = record(auth.jwt);
  const oauth2 = record(auth.oauth2);
  const roles = {};
  for (const role of auth.roles ?? []) {
    roles[role.name] = sortedUnique([...roles[role.name] ?? [], ...role.permissions]);
  }
  return {
    mode,
    api_key: mode === "api_key" || apiKeyEnabled ? {
      header: apiKeys.header ?? "X-API-Key",
      env_var: apiKeys.env_var ?? "DOCKRION_API_KEY",
      prefix: apiKeys.prefix ?? null,
      allow_bearer: apiKeys.allow_bearer === true,
      enabled: apiKeyEnabled
    } : null,
    jwt: mode === "jwt" ? {
      issuer: jwt.issuer ?? null,
      audience: listOf(jwt.audience),
      algorithms: sortedUnique(jwt.algorithms),
      jwks_url: urlOrNull(jwt.jwks_url),
      public_key_env: jwt.public_key_env ?? null,
      has_secret_key: typeof jwt.secret_key === "string" && jwt.secret_key !== "",
      leeway_seconds: jwt.leeway_seconds ?? null
    } : null,
    oauth2: mode === "oauth2" ? {
      issuer: oauth2.issuer ?? null,
      jwks_url: urlOrNull(oauth2.jwks_url),
      audience: listOf(oauth2.audience),
      scopes: sortedUnique(oauth2.scopes)
    } : null,
    roles: canonicalJson(roles),
    rate_limits: canonicalJson(record(auth.rate_limits))
  };
}
function valueDigest(value) {
  return `sha256:${createHash("sha256").update(value, "utf8").digest("hex")}`;
}
function contractUrl(url) {
  const withoutUser = redactUrl(url);
  const cut = withoutUser.search(/[?#]/);
  return cut === -1 ? withoutUser : `${withoutUser.slice(0, cut)}?${valueDigest(withoutUser.slice(cut))}`;
}
function urlOrNull(value) {
  return typeof value === "string" ? contractUrl(value) : null;
}
function annotationDigests(annotations) {
  const out = {};
  for (const key of Object.keys(annotations).sort(byCodeUnit)) {
    const value = String(annotations[key]);
    Object.defineProperty(out, key, {
      value: valueDigest(value),
      enumerable: true,
      writable: true,
      configurable: true
    });
  }
  return out;
}
function streamingOf(value) {
  if (value === void 0 || value === null) return null;
  const streaming = canonicalJson(value);
  const redis = streaming.redis;
  if (redis !== null && typeof redis === "object" && !Array.isArray(redis) && typeof redis.url === "string") {
    streaming.redis = { ...redis, url: contractUrl(redis.url) };
  }
  return streaming;
}
function locationOf(profile) {
  if (profile.provider === "vault" && profile.vault) {
    const mount = profile.vault.mount ?? "secret";
    return `vault ${contractUrl(profile.vault.address)} ${mount}/${profile.vault.path}`;
  }
  if (profile.provider === "aws" && profile.aws) {
    return `aws secretsmanager ${profile.aws.region ?? "(AWS_REGION)"} ${profile.aws.secret_id}`;
  }
  return "GitHub Secrets";
}
function secretsOf(resolved) {
  const profile = resolved.secrets.profile;
  const map = profile.map ?? {};
  const sources = {};
  for (const name of sortedUnique([...resolved.secrets.required, ...resolved.secrets.optional])) {
    const mapped = Object.hasOwn(map, name);
    sources[name] = { remote_key: mapped ? map[name] : name, mapped };
  }
  return { provider: profile.provider, location: locationOf(profile), sources };
}
function environmentContract(resolved, implicit) {
  const ingress = resolved.ingress;
  return {
    target: resolved.target,
    namespace: implicit ? null : resolved.namespace,
    replicas: resolved.replicas,
    resources: {
      requests: { ...resolved.resources.requests },
      limits: { ...resolved.resources.limits }
    },
    autoscaling: resolved.autoscaling ? { ...resolved.autoscaling } : null,
    ingress: ingress ? {
      host: ingress.host,
      path: ingress.path ?? null,
      tls: ingress.tls !== void 0 && ingress.tls !== false,
      tls_secret: typeof ingress.tls === "object" ? ingress.tls.secret_name ?? null : null,
      class_name: ingress.class_name ?? null,
      annotations: annotationDigests(ingress.annotations ?? {})
    } : null,
    network_policy: { enabled: resolved.networkPolicy.enabled, egress: [...resolved.networkPolicy.egress] },
    secrets: secretsOf(resolved)
  };
}
function contractOf(spec) {
  const normalized = normalizeDockfile(spec);
  const io = record(normalized.io_schema);
  const expose = record(normalized.expose);
  const policies = record(normalized.policies);
  const tools = record(policies.tools);
  const safety = record(policies.safety);
  const secrets = record(normalized.secrets);
  const cors = expose.cors === void 0 ? null : record(expose.cors);
  const rest = expose.rest !== false;
  const streaming = expose.streaming ?? "sse";
  const declared = Object.keys(spec.deploy?.environments ?? {}).sort(byCodeUnit);
  const environments = {};
  if (spec.deploy?.environments === void 0) {
    environments[ANY_ENVIRONMENT] = environmentContract(resolveEnvironment(spec, "default"), true);
  } else {
    for (const name of declared)
      environments[name] = environmentContract(resolveEnvironment(spec, name), false);
  }
  return {
    format: CONTRACT_FORMAT,
    agent: spec.agent.name,
    info: {
      description: spec.agent.description ?? null,
      model: spec.model ? `${spec.model.provider}/${spec.model.name}` : null,
      timeout_sec: typeof spec.arguments?.timeout_sec === "number" ? spec.arguments.timeout_sec : null
    },
    io_schema: {
      input: schemaOf(io.input),
      output: schemaOf(io.output),
      input_class: io.input_class ?? null,
      output_class: io.output_class ?? null,
      strict: io.strict !== false
    },
    endpoints: endpointsOf(rest, streaming),
    expose: {
      rest,
      streaming,
      port: expose.port,
      host: expose.host,
      max_body_bytes: expose.max_body_bytes ?? null,
      cors: cors ? {
        origins: sortedUnique(cors.origins),
        methods: sortedUnique(cors.methods),
        headers: sortedUnique(cors.headers)
      } : null
    },
    streaming: streamingOf(normalized.streaming),
    auth: authOf(record(normalized.auth)),
    policies: {
      tools: {
        allowed: sortedUnique(tools.allowed),
        deny_by_default: tools.deny_by_default !== false
      },
      safety: {
        // Order kept: patterns apply in order, and a reorder is still shown.
        redact_patterns: [...safety.redact_patterns ?? []],
        max_output_chars: safety.max_output_chars ?? null,
        block_prompt_injection: safety.block_prompt_injection !== false,
        halt_on_violation: safety.halt_on_violation === true
      }
    },
    secrets: {
      required: sortedUnique(secrets.required.map((s) => s.name)),
      optional: sortedUnique(secrets.optional.map((s) => s.name))
    },
    environments
  };
}
function serializeContract(contract) {
  return `${JSON.stringify(canonicalJson(contract), null, 2)}
`;
}
function parseContract(text, where) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ContractFormatError(
      `${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      "it is written by dockrion deploy; delete it to have the next deploy write it again",
      e
    );
  }
  const problem = contractShapeProblem(value);
  if (problem !== null) {
    throw new ContractFormatError(
      `${where} is not a dockrion contract (format ${CONTRACT_FORMAT}): ${problem}`,
      "it is written by dockrion deploy; delete it to have the next deploy write it again"
    );
  }
  return value.format === 1 ? fromFormat1(value) : value;
}
function fromFormat1(contract) {
  const url = (value) => typeof value === "string" ? contractUrl(value) : null;
  const auth = contract.auth;
  const environments = {};
  for (const [name, environment] of Object.entries(contract.environments)) {
    const ingress = environment.ingress;
    const location = environment.secrets.location;
    const vault = /^vault (\S+)( .*)?$/.exec(location);
    environments[name] = {
      ...environment,
      ingress: ingress ? {
        ...ingress,
        annotations: annotationDigests(record(ingress.annotations))
      } : null,
      secrets: {
        ...environment.secrets,
        location: vault ? `vault ${contractUrl(vault[1])}${vault[2] ?? ""}` : location
      }
    };
  }
  return {
    ...contract,
    format: CONTRACT_FORMAT,
    auth: {
      ...auth,
      jwt: auth.jwt ? { ...auth.jwt, jwks_url: url(auth.jwt.jwks_url) } : auth.jwt,
      oauth2: auth.oauth2 ? { ...auth.oauth2, jwks_url: url(auth.oauth2.jwks_url) } : auth.oauth2
    },
    streaming: contract.streaming ? streamingOf(contract.streaming) : null,
    environments
  };
}
var isString = (v) => typeof v === "string";
var isStringList = (v) => Array.isArray(v) && v.every(isString);
var isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
function contractShapeProblem(value) {
  if (!isMap(value)) return "the document is not a JSON object";
  if (value.format !== CONTRACT_FORMAT && value.format !== 1) {
    return `format is ${JSON.stringify(value.format ?? null)}`;
  }
  if (!isString(value.agent)) return "agent is not a string";
  const checks = [
    ["info", isMap],
    ["io_schema", isMap],
    ["endpoints", isStringList],
    ["expose", isMap],
    ["auth", isMap],
    ["policies", isMap],
    ["secrets", isMap],
    ["environments", isMap]
  ];
  for (const [key, ok] of checks) if (!ok(value[key])) return `${key} is missing or of the wrong type`;
  const io = value.io_schema;
  for (const key of ["input", "output"]) {
    const schema = io[key];
    if (schema !== null && typeof schema !== "boolean" && !isMap(schema))
      return `io_schema.${key} is not a schema`;
  }
  const expose = value.expose;
  if (typeof expose.port !== "number") return "expose.port is not a number";
  if (!isString(expose.streaming)) return "expose.streaming is not a string";
  const auth = value.auth;
  if (!isString(auth.mode)) return "auth.mode is not a string";
  if (!isMap(auth.roles) || !Object.values(auth.roles).every(isStringList))
    return "auth.roles is not a map of lists";
  if (!isMap(auth.rate_limits) || !Object.values(auth.rate_limits).every(isString)) {
    return "auth.rate_limits is not a map of strings";
  }
  const policies = value.policies;
  const tools = policies.tools;
  const safety = policies.safety;
  if (!isMap(tools) || !isStringList(tools.allowed)) return "policies.tools.allowed is not a list";
  if (!isMap(safety) || !isStringList(safety.redact_patterns))
    return "policies.safety.redact_patterns is not a list";
  const secrets = value.secrets;
  if (!isStringList(secrets.required) || !isStringList(secrets.optional))
    return "secrets lists are not lists";
  for (const [name, environment] of Object.entries(value.environments)) {
    if (!isMap(environment)) return `environments.${name} is not an object`;
    if (typeof environment.replicas !== "number") return `environments.${name}.replicas is not a number`;
    if (!isMap(environment.resources)) return `environments.${name}.resources is missing`;
    const envSecrets = environment.secrets;
    if (!isMap(envSecrets) || !isString(envSecrets.provider) || !isMap(envSecrets.sources)) {
      return `environments.${name}.secrets is missing or of the wrong type`;
    }
  }
  return null;
}

// action/contract/schema-subset.ts
var import__ = __toESM(require__(), 1);
var ALL_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];
var ANNOTATIONS = /* @__PURE__ */ new Set([
  "$anchor",
  "$comment",
  "$defs",
  "$id",
  "$schema",
  "$vocabulary",
  "contentEncoding",
  "contentMediaType",
  "contentSchema",
  "default",
  "definitions",
  "deprecated",
  "description",
  "examples",
  "format",
  "readOnly",
  "title",
  "writeOnly"
]);
var UNDERSTOOD = /* @__PURE__ */ new Set([
  "type",
  "enum",
  "const",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "anyOf",
  "allOf",
  "patternProperties"
]);
var NON_LOCAL = ["unevaluatedProperties", "unevaluatedItems"];
function jsonEqual(a, b) {
  if (a === b) return true;
  if (a === void 0 || b === void 0 || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ao = a;
  const bo = b;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((key) => Object.hasOwn(bo, key) && jsonEqual(ao[key], bo[key]));
}
function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function acceptsEverything(schema) {
  if (schema === true) return true;
  if (schema === false) return false;
  return Object.keys(schema).every((key) => ANNOTATIONS.has(key));
}
function showValue(value) {
  const text = value === void 0 ? "nothing" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
function typesOf(schema) {
  const type = schema.type;
  if (typeof type === "string") return /* @__PURE__ */ new Set([type]);
  if (Array.isArray(type))
    return new Set(type.filter((t) => typeof t === "string"));
  return new Set(ALL_TYPES);
}
function accepts(types, type) {
  return types.has(type) || type === "integer" && types.has("number");
}
var validators = /* @__PURE__ */ new Map();
var compiler;
function validUnder(value, schema) {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (validate === void 0) {
    compiler ??= new import__.Ajv2020({ strict: false, allErrors: false, validateFormats: false });
    try {
      validate = compiler.compile(typeof schema === "boolean" ? schema : structuredClone(schema));
    } catch {
      validate = null;
    }
    validators.set(key, validate);
  }
  return validate === null ? null : validate(value);
}
function subsetProblems(narrow, wide, options = {}) {
  const problems = [];
  const [a, b] = [inlineLocalRefs(narrow), inlineLocalRefs(wide)];
  if (a.unresolved || b.unresolved) {
    for (const key of ["$defs", "definitions"]) {
      const [x, y] = [definitionsOf(narrow, key), definitionsOf(wide, key)];
      if (!jsonEqual(x, y)) problems.push(keywordProblem([key], key, x, y));
    }
  }
  new SubsetCheck(options.undeclared ?? "open", problems).check(a.schema, b.schema, []);
  return problems;
}
function definitionsOf(schema, key) {
  return typeof schema === "object" ? schema[key] : void 0;
}
function keywordProblem(path, keyword, narrow, wide) {
  const problem = { kind: "keyword", path, keyword, message: "" };
  if (narrow !== void 0) problem.narrow = narrow;
  if (wide !== void 0) problem.wide = wide;
  problem.message = describeProblem(problem, "before");
  return problem;
}
var MAX_REF_DEPTH = 16;
var MAX_INLINED_NODES = 2e4;
function inlineLocalRefs(schema) {
  if (typeof schema === "boolean") return { schema, unresolved: false };
  let unresolved = false;
  let budget = MAX_INLINED_NODES;
  const resolvePointer = (ref) => {
    if (ref !== "#" && !ref.startsWith("#/")) return void 0;
    let node = schema;
    for (const raw of ref.split("/").slice(1)) {
      const segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      if (Array.isArray(node)) node = node[Number(segment)];
      else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
      else return void 0;
    }
    return node;
  };
  const walk = (node, depth, root) => {
    if (--budget < 0) {
      unresolved = true;
      return node;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, depth, false));
    if (!isObject(node)) return node;
    if (typeof node.$ref === "string") {
      const target = depth < MAX_REF_DEPTH ? resolvePointer(node.$ref) : void 0;
      if (target === void 0) {
        unresolved = true;
      } else {
        const { $ref: _ref, ...siblings } = node;
        const inlined2 = walk(withoutDefinitions(target), depth + 1, false);
        if (Object.keys(withoutAnnotations(siblings)).length === 0) return inlined2;
        return { allOf: [inlined2, walk(siblings, depth, false)] };
      }
    }
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (root && (key === "$defs" || key === "definitions")) continue;
      Object.defineProperty(out, key, {
        value: walk(value, depth, false),
        enumerable: true,
        writable: true,
        configurable: true
      });
    }
    return out;
  };
  const inlined = walk(schema, 0, true);
  return unresolved ? { schema, unresolved: true } : { schema: inlined, unresolved: false };
}
function withoutDefinitions(node) {
  if (!isObject(node)) return node;
  const { $defs: _defs, definitions: _definitions, ...rest } = node;
  return rest;
}
var SubsetCheck = class _SubsetCheck {
  constructor(undeclared, problems) {
    this.undeclared = undeclared;
    this.problems = problems;
  }
  undeclared;
  problems;
  problem(kind, path, narrow, wide, extra = {}) {
    const entry = { kind, path, message: "", ...extra };
    if (narrow !== void 0) entry.narrow = narrow;
    if (wide !== void 0) entry.wide = wide;
    entry.message = describeProblem(entry, "before");
    this.problems.push(entry);
  }
  check(narrow, wide, path) {
    if (jsonEqual(narrow, wide) || acceptsEverything(wide) || narrow === false) return;
    if (wide === false) {
      this.problem("nothing", path, narrow, wide);
      return;
    }
    const a = typeof narrow === "boolean" ? {} : narrow;
    const b = typeof wide === "boolean" ? {} : wide;
    const finite = finiteValues(a);
    if (finite !== null) {
      const rejected = [];
      let unknown = false;
      for (const value of finite) {
        if (validUnder(value, a) === false) continue;
        const ok = validUnder(value, b);
        if (ok === null) unknown = true;
        else if (!ok) rejected.push(value);
      }
      if (!unknown) {
        if (rejected.length > 0) {
          this.problem("values", path, a.enum ?? a.const, b.enum ?? b.const ?? b.type, { rejected });
        }
        return;
      }
    }
    const nonLocal = NON_LOCAL.find((key) => b[key] !== void 0);
    if (nonLocal !== void 0 && !jsonEqual(withoutAnnotations(a), withoutAnnotations(b))) {
      this.problem("keyword", [...path, nonLocal], a[nonLocal], b[nonLocal], { keyword: nonLocal });
      return;
    }
    for (const [key, value] of Object.entries(b)) {
      if (ANNOTATIONS.has(key) || UNDERSTOOD.has(key)) continue;
      if (!jsonEqual(a[key], value)) {
        this.problem("keyword", [...path, key], a[key], value, { keyword: key });
      }
    }
    if (Array.isArray(b.allOf)) {
      for (const branch of b.allOf) this.check(a, branch, path);
    }
    if (Array.isArray(b.anyOf) && !jsonEqual(a.anyOf, b.anyOf))
      this.checkAnyOf(a, b.anyOf, path);
    const wideTypes = typesOf(b);
    const narrowTypes = [...typesOf(a)].filter((t) => !(t === "integer" && typesOf(a).has("number")));
    const kept = new Set(narrowTypes.filter((t) => accepts(wideTypes, t)));
    if (kept.size < narrowTypes.length) {
      this.problem("type", [...path, "type"], a.type ?? "any", b.type ?? "any");
    }
    if (b.enum !== void 0 || b.const !== void 0) {
      this.problem("enum", path, a.enum ?? a.const, b.enum ?? b.const, {
        keyword: b.enum !== void 0 ? "enum" : "const"
      });
    }
    const can = (type) => kept.has(type) || type === "number" && kept.has("integer");
    if (can("number")) this.numeric(a, b, path, kept.has("integer") && !kept.has("number"));
    if (can("string")) this.strings(a, b, path);
    if (can("array")) this.arrays(a, b, path);
    if (can("object")) this.objects(a, b, path);
  }
  /** A subset of one branch is a subset of the union; a narrow union needs every branch placed. */
  checkAnyOf(a, branches, path) {
    const fits = (schema) => branches.some((branch) => {
      const problems = [];
      new _SubsetCheck(this.undeclared, problems).check(schema, branch, []);
      return problems.length === 0;
    });
    const { anyOf: narrowBranches, ...rest } = a;
    if (fits(a)) return;
    if (Array.isArray(narrowBranches)) {
      const merged = narrowBranches.map(
        (branch) => isObject(branch) ? { ...rest, ...branch } : branch
      );
      if (merged.every(fits)) return;
    }
    this.problem("anyOf", [...path, "anyOf"], a.anyOf, branches);
  }
  numeric(a, b, path, integerOnly) {
    const lowA = bound(a, "minimum", "exclusiveMinimum", Math.max);
    const lowB = bound(b, "minimum", "exclusiveMinimum", Math.max);
    if (lowB && !(lowA && (lowA.value > lowB.value || lowA.value === lowB.value && (lowA.exclusive || !lowB.exclusive)))) {
      this.problem("bound", [...path, lowB.keyword], showBound(">", lowA), showBound(">", lowB), {
        keyword: "lower bound"
      });
    }
    const highA = bound(a, "maximum", "exclusiveMaximum", Math.min);
    const highB = bound(b, "maximum", "exclusiveMaximum", Math.min);
    if (highB && !(highA && (highA.value < highB.value || highA.value === highB.value && (highA.exclusive || !highB.exclusive)))) {
      this.problem("bound", [...path, highB.keyword], showBound("<", highA), showBound("<", highB), {
        keyword: "upper bound"
      });
    }
    const stepB = b.multipleOf;
    if (typeof stepB === "number") {
      const stepA = a.multipleOf;
      const divides = typeof stepA === "number" && isMultiple(stepA, stepB) || integerOnly && isMultiple(1, stepB);
      if (!divides) this.problem("multipleOf", [...path, "multipleOf"], stepA, stepB);
    }
  }
  strings(a, b, path) {
    this.atLeast(a, b, "minLength", path);
    this.atMost(a, b, "maxLength", path);
    if (b.pattern !== void 0 && a.pattern !== b.pattern) {
      this.problem("pattern", [...path, "pattern"], a.pattern, b.pattern);
    }
  }
  arrays(a, b, path) {
    this.atLeast(a, b, "minItems", path);
    this.atMost(a, b, "maxItems", path);
    if (b.uniqueItems === true && a.uniqueItems !== true && !(typeof a.maxItems === "number" && a.maxItems <= 1)) {
      this.problem("uniqueItems", [...path, "uniqueItems"], a.uniqueItems, true);
    }
    const empty = typeof a.maxItems === "number" && a.maxItems <= 0;
    if (b.items === void 0 || empty) return;
    this.check(schemaAt(a.items), schemaAt(b.items), [...path, "items"]);
    if (Array.isArray(a.prefixItems) && b.prefixItems === void 0) {
      a.prefixItems.forEach((item, i) => {
        this.check(schemaAt(item), schemaAt(b.items), [...path, "prefixItems", String(i)]);
      });
    }
  }
  objects(a, b, path) {
    const requiredA = new Set(stringList(a.required));
    for (const name of stringList(b.required)) {
      if (!requiredA.has(name)) {
        const declared = isObject(a.properties) && Object.hasOwn(a.properties, name);
        const removed = isObject(b.properties) && Object.hasOwn(b.properties, name);
        if (this.undeclared === "output" && !declared && removed) continue;
        this.problem("required", [...path, "properties", name], void 0, "required", { flag: declared });
      }
    }
    this.atLeast(a, b, "minProperties", path);
    this.atMost(a, b, "maxProperties", path);
    if (a.patternProperties !== void 0 || b.patternProperties !== void 0) {
      for (const key of ["properties", "patternProperties", "additionalProperties"]) {
        if (!jsonEqual(a[key], b[key]))
          this.problem("keyword", [...path, key], a[key], b[key], { keyword: key });
      }
      return;
    }
    const propsA = isObject(a.properties) ? a.properties : {};
    const propsB = isObject(b.properties) ? b.properties : {};
    const extraA = a.additionalProperties;
    const extraB = b.additionalProperties;
    const undeclaredInA = extraA === void 0 ? this.undeclared === "open" ? true : void 0 : extraA;
    for (const [name, wideSchema] of Object.entries(propsB)) {
      const at = [...path, "properties", name];
      if (Object.hasOwn(propsA, name)) {
        this.check(propsA[name], wideSchema, at);
      } else if (this.undeclared === "output") {
        this.problem("removed", at, void 0, wideSchema, { flag: false });
      } else if (undeclaredInA !== void 0) {
        this.check(undeclaredInA, wideSchema, at);
      }
    }
    for (const [name, narrowSchema] of Object.entries(propsA)) {
      if (Object.hasOwn(propsB, name)) continue;
      const at = [...path, "properties", name];
      if (extraB === void 0) {
        if (this.undeclared === "input")
          this.problem("removed", at, narrowSchema, void 0, { flag: false });
      } else if (extraB === false) {
        this.problem("removed", at, narrowSchema, void 0, { flag: true });
      } else {
        this.check(narrowSchema, extraB, at);
      }
    }
    if (extraB !== void 0 && extraB !== true && undeclaredInA !== void 0) {
      this.check(undeclaredInA, extraB, [...path, "additionalProperties"]);
    }
  }
  atLeast(a, b, key, path) {
    const wide = b[key];
    if (typeof wide !== "number" || wide <= 0) return;
    const narrow = a[key];
    if (typeof narrow !== "number" || narrow < wide) {
      this.problem("bound", [...path, key], narrow, wide, { keyword: key });
    }
  }
  atMost(a, b, key, path) {
    const wide = b[key];
    if (typeof wide !== "number") return;
    const narrow = a[key];
    if (typeof narrow !== "number" || narrow > wide) {
      this.problem("bound", [...path, key], narrow, wide, { keyword: key });
    }
  }
};
function schemaAt(value) {
  if (value === void 0) return true;
  return typeof value === "boolean" ? value : isObject(value) ? value : true;
}
function stringList(value) {
  return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
}
function finiteValues(schema) {
  if (schema.const !== void 0) {
    return Array.isArray(schema.enum) && !schema.enum.some((v) => jsonEqual(v, schema.const)) ? [] : [schema.const];
  }
  return Array.isArray(schema.enum) ? schema.enum : null;
}
function bound(schema, inclusiveKey, exclusiveKey, tighter) {
  const inclusive = typeof schema[inclusiveKey] === "number" ? schema[inclusiveKey] : null;
  const exclusive = typeof schema[exclusiveKey] === "number" ? schema[exclusiveKey] : null;
  if (inclusive === null && exclusive === null) return null;
  if (inclusive === null) return { value: exclusive, exclusive: true, keyword: exclusiveKey };
  if (exclusive === null) return { value: inclusive, exclusive: false, keyword: inclusiveKey };
  const value = tighter(inclusive, exclusive);
  return exclusive === value ? { value, exclusive: true, keyword: exclusiveKey } : { value, exclusive: false, keyword: inclusiveKey };
}
function isMultiple(n, step) {
  if (step <= 0) return false;
  const ratio = n / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9 && Math.round(ratio) >= 1;
}
function describeProblem(problem, narrowIs) {
  const forward = narrowIs === "before";
  const before = forward ? problem.narrow : problem.wide;
  const after = forward ? problem.wide : problem.narrow;
  const show = (value) => typeof value === "string" ? value : showValue(value);
  const changed = (what) => before === void 0 ? `${what} ${show(after)} added` : after === void 0 ? `${what} ${show(before)} removed` : `${what} changed from ${show(before)} to ${show(after)}`;
  switch (problem.kind) {
    case "nothing":
      return forward ? "no value is accepted any more" : "the old schema accepted no value";
    case "values": {
      const values = (problem.rejected ?? []).map(showValue).join(", ");
      return forward ? `${values} no longer accepted` : `${values} may now be returned`;
    }
    case "enum":
      return forward ? `now limited to ${problem.keyword} ${showValue(after)}` : `no longer limited to ${problem.keyword} ${showValue(before)}`;
    case "type":
      return `type changed from ${showType(before)} to ${showType(after)}`;
    case "bound":
    case "multipleOf":
      return changed(problem.keyword ?? problem.kind);
    case "pattern":
      return `${before === void 0 ? "pattern added" : after === void 0 ? "pattern removed" : "pattern changed"}; not provably compatible`;
    case "uniqueItems":
      return forward ? "items must now be unique" : "items may now repeat";
    case "anyOf":
      return forward ? "some values fit no anyOf branch any more" : "may now return values outside the old anyOf";
    case "keyword":
      return `${problem.keyword} changed; not provably compatible`;
    case "required":
      return forward ? problem.flag ? "field became required" : "new required field" : "field no longer always present";
    case "removed":
      return forward && problem.flag ? "field removed and no longer accepted" : "field removed";
  }
}
function showType(type) {
  return Array.isArray(type) ? type.map(String).join("|") : typeof type === "string" ? type : showValue(type);
}
function showBound(direction, bound2) {
  return bound2 === null ? void 0 : `${direction}${bound2.exclusive ? "" : "="} ${bound2.value}`;
}
function withoutAnnotations(schema) {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !ANNOTATIONS.has(key)));
}

// action/contract/diff.ts
var byCodeUnit2 = (a, b) => a < b ? -1 : a > b ? 1 : 0;
var Changes = class {
  list = [];
  add(kind, path, text, values = {}) {
    const change = { class: kind, path, message: `${path}: ${text}` };
    if (values.before !== void 0) change.before = values.before;
    if (values.after !== void 0) change.after = values.after;
    if (values.environment !== void 0) change.environment = values.environment;
    this.list.push(change);
  }
  /**
   * A flag that changed (`before !== after`): turning it on is `on`, off is `off`, each a class
   * and the text after "turned on"/"turned off" (empty, or ": why it matters").
   */
  toggled(path, before, after, on, off) {
    const [kind, why] = after ? on : off;
    this.add(kind, path, `${after ? "turned on" : "turned off"}${why}`, { before, after });
  }
  /** Sorted by path, environment, message; duplicates dropped. */
  grouped() {
    const diff = { breaking: [], widening: [], operational: [], compatible: [] };
    const seen = /* @__PURE__ */ new Set();
    const sorted = [...this.list].sort(
      (x, y) => byCodeUnit2(x.path, y.path) || byCodeUnit2(x.environment ?? "", y.environment ?? "") || byCodeUnit2(x.message, y.message)
    );
    for (const change of sorted) {
      const key = `${change.class}\0${change.environment ?? ""}\0${change.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diff[change.class].push(change);
    }
    return diff;
  }
};
function diffContracts(before, after, options = {}) {
  const changes = new Changes();
  if (before.agent !== after.agent) {
    changes.add(
      "breaking",
      "agent.name",
      `renamed from ${before.agent} to ${after.agent}: a different service`,
      {
        before: before.agent,
        after: after.agent
      }
    );
  }
  diffLeaves("agent.description", before.info.description, after.info.description, "compatible", changes);
  diffLeaves("model", before.info.model, after.info.model, "compatible", changes);
  diffTimeout(before.info.timeout_sec, after.info.timeout_sec, changes);
  diffIoSchema(before, after, changes);
  diffExposure(before, after, changes);
  diffAuth(before.auth, after.auth, changes);
  diffPolicies(before, after, changes);
  diffSecrets(before, after, changes, options);
  diffEnvironments(before, after, changes, options);
  return changes.grouped();
}
function diffTimeout(was, now, changes) {
  if (was === now) return;
  const path = "arguments.timeout_sec";
  const values = { before: was ?? void 0, after: now ?? void 0 };
  if (now === null) {
    changes.add("compatible", path, `removed (was ${was} s): requests are no longer cut off`, values);
  } else if (was === null || now < was) {
    const text = was === null ? `set to ${now} s (there was no limit): requests running longer now end with 504` : `lowered from ${was} to ${now} s: requests running longer now end with 504`;
    changes.add("breaking", path, text, values);
  } else {
    changes.add("compatible", path, `raised from ${was} to ${now} s`, values);
  }
}
function changeCount(diff) {
  return CHANGE_CLASSES.reduce((n, kind) => n + diff[kind].length, 0);
}
function isEmptyDiff(diff) {
  return changeCount(diff) === 0;
}
function diffIoSchema(before, after, changes) {
  const io = { before: before.io_schema, after: after.io_schema };
  const input = { before: io.before.input ?? true, after: io.after.input ?? true };
  const output = { before: io.before.output ?? true, after: io.after.output ?? true };
  const broken = /* @__PURE__ */ new Set();
  for (const problem of subsetProblems(input.before, input.after, { undeclared: "input" })) {
    const path = schemaPath("io_schema.input", problem.path);
    broken.add(path);
    changes.add("breaking", path, describeProblem(problem, "before"), {
      before: problem.narrow,
      after: problem.wide
    });
  }
  if (io.before.output !== null || io.after.output !== null) {
    for (const problem of subsetProblems(output.after, output.before, { undeclared: "output" })) {
      const path = schemaPath("io_schema.output", problem.path);
      broken.add(path);
      changes.add("breaking", path, describeProblem(problem, "after"), {
        before: problem.wide,
        after: problem.narrow
      });
    }
  }
  for (const side of ["input", "output"]) {
    const [was, now] = [io.before[side], io.after[side]].map(
      (schema) => schema === null ? null : inlineLocalRefs(schema)
    );
    const asWritten = was?.unresolved === true || now?.unresolved === true;
    compatibleSchemaChanges(
      `io_schema.${side}`,
      asWritten ? io.before[side] : was?.schema ?? null,
      asWritten ? io.after[side] : now?.schema ?? null,
      broken,
      changes,
      side
    );
  }
  for (const key of ["input_class", "output_class"]) {
    const [was, now] = [io.before[key], io.after[key]];
    if (was === now) continue;
    const path = `io_schema.${key}`;
    if (was === null) {
      changes.add(
        "breaking",
        path,
        `set to ${now}; a Python class cannot be compared with the schema before`,
        {
          after: now
        }
      );
    } else if (now === null) {
      changes.add("breaking", path, `removed (was ${was}); a Python class cannot be compared`, {
        before: was
      });
    } else {
      changes.add("breaking", path, `changed from ${was} to ${now}; Python classes cannot be compared`, {
        before: was,
        after: now
      });
    }
  }
  if (io.before.strict !== io.after.strict) {
    if (io.before.strict && io.after.output !== null) {
      changes.add(
        "breaking",
        "io_schema.strict",
        "turned off: the output is no longer checked against its schema",
        {
          before: true,
          after: false
        }
      );
    } else {
      changes.add("compatible", "io_schema.strict", `${io.after.strict ? "turned on" : "turned off"}`, {
        before: io.before.strict,
        after: io.after.strict
      });
    }
  }
}
function schemaPath(root, segments) {
  return [root, ...segments].join(".");
}
function compatibleSchemaChanges(root, before, after, broken, changes, side) {
  const isBroken = (path) => [...broken].some((b) => b === path || path.startsWith(`${b}.`));
  const holdsBroken = (path) => isBroken(path) || [...broken].some((b) => b.startsWith(`${path}.`));
  const walk = (was, now, path) => {
    if (jsonEqual(was, now) || isBroken(path)) return;
    if (isMap2(was) && isMap2(now)) {
      const propertyMap = path.endsWith(".properties");
      for (const key of [.../* @__PURE__ */ new Set([...Object.keys(was), ...Object.keys(now)])].sort(byCodeUnit2)) {
        const at = `${path}.${key}`;
        if (propertyMap && !Object.hasOwn(was, key)) {
          if (!isBroken(at)) {
            changes.add(
              "compatible",
              at,
              side === "input" ? "input field added (optional)" : "output field added",
              {
                after: now[key]
              }
            );
          }
        } else if (propertyMap && !Object.hasOwn(now, key)) {
          if (!isBroken(at)) changes.add("compatible", at, `${side} field removed`, { before: was[key] });
        } else if (!propertyMap && key === "required") {
          requiredChanges(was[key], now[key], path);
        } else {
          walk(was[key], now[key], at);
        }
      }
      return;
    }
    if (holdsBroken(path)) return;
    const text = was === void 0 ? `added: ${showValue(now)}` : now === void 0 ? `removed (was ${showValue(was)})` : `changed from ${showValue(was)} to ${showValue(now)}`;
    changes.add("compatible", path, text, { before: was, after: now });
  };
  const requiredChanges = (was, now, schemaPath2) => {
    const old = Array.isArray(was) ? was.filter((v) => typeof v === "string") : [];
    const next = Array.isArray(now) ? now.filter((v) => typeof v === "string") : [];
    for (const [names, text] of [
      [difference(next, old), "field now required"],
      [difference(old, next), "field no longer required"]
    ]) {
      for (const name of names) {
        const at = `${schemaPath2}.properties.${name}`;
        if (!isBroken(at)) changes.add("compatible", at, text);
      }
    }
  };
  walk(before ?? void 0, after ?? void 0, root);
}
function isMap2(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function diffExposure(before, after, changes) {
  for (const endpoint of difference(before.endpoints, after.endpoints)) {
    changes.add("breaking", "endpoints", `${endpoint} removed`, { before: endpoint });
  }
  for (const endpoint of difference(after.endpoints, before.endpoints)) {
    changes.add("compatible", "endpoints", `${endpoint} added`, { after: endpoint });
  }
  const [was, now] = [before.expose, after.expose];
  if (was.streaming !== now.streaming) {
    const lost = difference(before.endpoints, after.endpoints).length > 0;
    changes.add(
      lost ? "breaking" : "compatible",
      "expose.streaming",
      `changed from ${was.streaming} to ${now.streaming}`,
      {
        before: was.streaming,
        after: now.streaming
      }
    );
  }
  if (was.rest !== now.rest) {
    changes.toggled("expose.rest", was.rest, now.rest, ["compatible", ""], ["breaking", ""]);
  }
  if (was.port !== now.port) {
    changes.add(
      "breaking",
      "expose.port",
      `changed from ${was.port} to ${now.port}: callers and probes must follow`,
      {
        before: was.port,
        after: now.port
      }
    );
  }
  if (was.host !== now.host) {
    changes.add("operational", "expose.host", `changed from ${was.host} to ${now.host}`, {
      before: was.host,
      after: now.host
    });
  }
  if (was.max_body_bytes !== now.max_body_bytes) {
    const [old, next] = [was.max_body_bytes, now.max_body_bytes];
    const lower = old === null || next === null || next < old;
    const text = next === null ? `removed (was ${old}): the runtime default applies, which may be lower` : old === null ? `set to ${next} (was the runtime default): larger requests are rejected` : `changed from ${old} to ${next}${lower ? ": larger requests are rejected" : ""}`;
    changes.add(lower ? "breaking" : "compatible", "expose.max_body_bytes", text, {
      before: old,
      after: next
    });
  }
  const CORS_NOUN = { origins: "origin", methods: "method", headers: "header" };
  for (const key of ["origins", "methods", "headers"]) {
    const path = `expose.cors.${key}`;
    const old = was.cors?.[key] ?? [];
    const next = now.cors?.[key] ?? [];
    for (const item of difference(next, old)) {
      const text = item === "*" ? `${CORS_NOUN[key]} * allowed: browser calls from any ${key === "origins" ? "web page" : CORS_NOUN[key]} are allowed` : `${CORS_NOUN[key]} ${item} now allowed for browser callers`;
      changes.add("widening", path, text, { after: item });
    }
    for (const item of difference(old, next)) {
      changes.add(
        "breaking",
        path,
        `${CORS_NOUN[key]} ${item} no longer allowed: browser callers using it are rejected`,
        { before: item }
      );
    }
  }
  diffLeaves("streaming", before.streaming, after.streaming, "compatible", changes);
}
var MODE_STRENGTH = {
  none: "no credentials",
  api_key: "an API key",
  jwt: "a JWT",
  oauth2: "an OAuth2 token"
};
function diffAuth(was, now, changes) {
  if (was.mode !== now.mode) {
    if (now.mode === "none") {
      changes.add(
        "widening",
        "auth.mode",
        `loosened from ${was.mode} to none: anyone who can reach the agent may call it`,
        {
          before: was.mode,
          after: now.mode
        }
      );
    } else {
      changes.add(
        "breaking",
        "auth.mode",
        `changed from ${was.mode} to ${now.mode}: callers must now present ${MODE_STRENGTH[now.mode]}`,
        { before: was.mode, after: now.mode }
      );
    }
  } else {
    diffApiKey(was, now, changes);
    diffTokenAuth(was, now, changes);
  }
  if (was.mode === now.mode || now.mode !== "none") {
    if (was.mode !== "api_key" && now.mode !== "api_key" && now.mode !== "none") {
      if (!was.api_key?.enabled && now.api_key?.enabled) {
        changes.add(
          "widening",
          "auth.api_keys.enabled",
          `turned on: API keys are accepted next to ${now.mode}`,
          {
            before: false,
            after: true
          }
        );
      } else if (was.api_key?.enabled && !now.api_key?.enabled && was.mode === now.mode) {
        changes.add(
          "breaking",
          "auth.api_keys.enabled",
          "turned off: callers using an API key are rejected",
          {
            before: true,
            after: false
          }
        );
      }
    }
  }
  if (was.mode !== "none" && now.mode !== "none") {
    diffRoles(was, now, changes);
    diffRateLimits(was, now, changes);
  }
}
function diffApiKey(was, now, changes) {
  const [a, b] = [was.api_key, now.api_key];
  if (a === null || b === null) return;
  if (was.mode === "api_key" && a.enabled !== b.enabled) {
    changes.toggled(
      "auth.api_keys.enabled",
      a.enabled,
      b.enabled,
      ["breaking", ": callers must present an API key"],
      ["widening", ": requests need no API key"]
    );
  }
  if (a.header !== b.header) {
    changes.add(
      "breaking",
      "auth.api_keys.header",
      `changed from ${a.header} to ${b.header}: callers sending the old header are rejected`,
      {
        before: a.header,
        after: b.header
      }
    );
  }
  if (a.allow_bearer !== b.allow_bearer) {
    changes.toggled(
      "auth.api_keys.allow_bearer",
      a.allow_bearer,
      b.allow_bearer,
      ["compatible", ": the key is also accepted as a bearer token"],
      ["breaking", ": callers sending the key as a bearer token are rejected"]
    );
  }
  if (a.env_var !== b.env_var) {
    changes.add(
      "operational",
      "auth.api_keys.env_var",
      `the owner key is now read from ${b.env_var} (was ${a.env_var})`,
      {
        before: a.env_var,
        after: b.env_var
      }
    );
  }
  if (a.prefix !== b.prefix) {
    changes.add(
      "operational",
      "auth.api_keys.prefix",
      `role keys are now read from ${b.prefix === null ? "nowhere" : `${b.prefix}_<ROLE>`} (was ${a.prefix === null ? "none" : `${a.prefix}_<ROLE>`})`,
      { before: a.prefix, after: b.prefix }
    );
  }
}
function diffTokenAuth(was, now, changes) {
  const block = was.mode === "jwt" ? "jwt" : was.mode === "oauth2" ? "oauth2" : null;
  if (block === null) return;
  const a = block === "jwt" ? was.jwt : was.oauth2;
  const b = block === "jwt" ? now.jwt : now.oauth2;
  if (a === null || b === null) return;
  const path = (key) => `auth.${block}.${key}`;
  for (const key of ["issuer", "jwks_url", "public_key_env"]) {
    if (a[key] === void 0 || jsonEqual(a[key], b[key])) continue;
    changes.add(
      "breaking",
      path(key),
      `changed from ${showValue(a[key])} to ${showValue(b[key])}: tokens valid today may be rejected`,
      { before: a[key], after: b[key] }
    );
  }
  if (a.has_secret_key !== void 0 && a.has_secret_key !== b.has_secret_key) {
    changes.add("breaking", path("secret_key"), b.has_secret_key ? "set" : "removed", {
      before: a.has_secret_key,
      after: b.has_secret_key
    });
  }
  for (const key of ["audience", "algorithms"]) {
    if (a[key] === void 0) continue;
    const old = a[key] ?? [];
    const next = b[key] ?? [];
    if (old.length > 0 && next.length === 0) {
      changes.add("widening", path(key), `no longer listed (was ${old.join(", ")})`, {
        before: old,
        after: next
      });
    } else if (old.length === 0 && next.length > 0) {
      changes.add("breaking", path(key), `now limited to ${next.join(", ")}`, { before: old, after: next });
    } else {
      for (const item of difference(next, old)) {
        changes.add("widening", path(key), `${item} now accepted`, { after: item });
      }
      for (const item of difference(old, next)) {
        changes.add("breaking", path(key), `${item} no longer accepted`, { before: item });
      }
    }
  }
  if (block === "oauth2") {
    const old = a.scopes ?? [];
    const next = b.scopes ?? [];
    for (const scope of difference(next, old)) {
      changes.add("breaking", path("scopes"), `${scope} now required`, { after: scope });
    }
    for (const scope of difference(old, next)) {
      changes.add("widening", path("scopes"), `${scope} no longer required`, { before: scope });
    }
  }
  if (block === "jwt" && a.leeway_seconds !== b.leeway_seconds) {
    const longer = (b.leeway_seconds ?? 0) > (a.leeway_seconds ?? 0);
    changes.add(
      longer ? "widening" : "compatible",
      path("leeway_seconds"),
      `changed from ${a.leeway_seconds ?? 0} to ${b.leeway_seconds ?? 0}${longer ? ": expired tokens are accepted for longer" : ""}`,
      { before: a.leeway_seconds, after: b.leeway_seconds }
    );
  }
}
function diffRoles(was, now, changes) {
  const names = [.../* @__PURE__ */ new Set([...Object.keys(was.roles), ...Object.keys(now.roles)])].sort(byCodeUnit2);
  for (const role of names) {
    const path = `auth.roles.${role}`;
    const old = Object.hasOwn(was.roles, role) ? was.roles[role] ?? [] : null;
    const next = Object.hasOwn(now.roles, role) ? now.roles[role] ?? [] : null;
    if (old === null && next !== null) {
      changes.add("widening", path, `role added with ${next.length ? next.join(", ") : "no permissions"}`, {
        after: next
      });
      continue;
    }
    if (old !== null && next === null) {
      changes.add("breaking", path, "role removed: its callers are rejected", { before: old });
      continue;
    }
    if (old === null || next === null) continue;
    for (const permission of difference(next, old)) {
      changes.add("widening", path, `gains permission ${permission}`, { after: permission });
    }
    for (const permission of difference(old, next)) {
      changes.add("breaking", path, `loses permission ${permission}: its callers are rejected there`, {
        before: permission
      });
    }
  }
}
var UNIT_SECONDS = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  d: 86400,
  day: 86400
};
function parseRate(text) {
  const match = /^([1-9][0-9]*)\s*\/\s*([a-z]+)$/.exec(text.trim());
  const seconds = match ? UNIT_SECONDS[match[2] ?? ""] : void 0;
  return match && seconds ? { count: Number(match[1]), seconds } : null;
}
function compareRates(a, b) {
  const [x, y] = [parseRate(a), parseRate(b)];
  if (!x || !y) return { order: 0, burstOnly: false };
  const rate = y.count / y.seconds - x.count / x.seconds;
  if (Math.abs(rate) > 1e-12) return { order: Math.sign(rate), burstOnly: false };
  return { order: Math.sign(y.count - x.count), burstOnly: true };
}
function diffRateLimits(was, now, changes) {
  const roles = [.../* @__PURE__ */ new Set([...Object.keys(was.rate_limits), ...Object.keys(now.rate_limits)])].sort(
    byCodeUnit2
  );
  for (const role of roles) {
    const path = `auth.rate_limits.${role}`;
    const old = Object.hasOwn(was.rate_limits, role) ? was.rate_limits[role] : void 0;
    const next = Object.hasOwn(now.rate_limits, role) ? now.rate_limits[role] : void 0;
    if (old === next) continue;
    if (old === void 0) {
      const newRole = !Object.hasOwn(was.roles, role) && Object.hasOwn(now.roles, role);
      changes.add(
        newRole ? "compatible" : "breaking",
        path,
        newRole ? `limit ${next} for the new role` : `limit ${next} added: callers above it are rejected`,
        { after: next }
      );
    } else if (next === void 0) {
      changes.add("widening", path, `limit ${old} removed: no limit`, { before: old });
    } else {
      const { order, burstOnly } = compareRates(old, next);
      const how = burstOnly ? "same rate, burst" : "";
      changes.add(
        order > 0 ? "widening" : order < 0 ? "breaking" : "compatible",
        path,
        order > 0 ? `${how ? `${how} ` : ""}raised from ${old} to ${next}` : order < 0 ? `${how ? `${how} ` : ""}lowered from ${old} to ${next}: callers above it are rejected` : `rewritten from ${old} to ${next} (same limit)`,
        { before: old, after: next }
      );
    }
  }
}
function diffPolicies(before, after, changes) {
  const [tools, nextTools] = [before.policies.tools, after.policies.tools];
  for (const tool of difference(nextTools.allowed, tools.allowed)) {
    changes.add("widening", "policies.tools.allowed", `${tool} added: the agent may call it`, {
      after: tool
    });
  }
  for (const tool of difference(tools.allowed, nextTools.allowed)) {
    changes.add("compatible", "policies.tools.allowed", `${tool} removed: the agent may no longer call it`, {
      before: tool
    });
  }
  if (tools.deny_by_default !== nextTools.deny_by_default) {
    changes.toggled(
      "policies.tools.deny_by_default",
      tools.deny_by_default,
      nextTools.deny_by_default,
      ["compatible", ": unlisted tools are denied"],
      ["widening", ": tools not listed are allowed"]
    );
  }
  const [safety, nextSafety] = [before.policies.safety, after.policies.safety];
  for (const pattern of difference(safety.redact_patterns, nextSafety.redact_patterns)) {
    changes.add(
      "widening",
      "policies.safety.redact_patterns",
      `${pattern} removed: matching text is no longer redacted`,
      {
        before: pattern
      }
    );
  }
  for (const pattern of difference(nextSafety.redact_patterns, safety.redact_patterns)) {
    changes.add("compatible", "policies.safety.redact_patterns", `${pattern} added`, { after: pattern });
  }
  if (safety.max_output_chars !== nextSafety.max_output_chars) {
    const [old, next] = [safety.max_output_chars, nextSafety.max_output_chars];
    const raised = next === null || old !== null && next > old;
    changes.add(
      raised ? "widening" : "compatible",
      "policies.safety.max_output_chars",
      next === null ? `limit ${old} removed: answers of any length are let through` : old === null ? `limit ${next} added` : raised ? `raised from ${old} to ${next}: longer answers are let through` : `lowered from ${old} to ${next}`,
      { before: old, after: next }
    );
  }
  for (const key of ["block_prompt_injection", "halt_on_violation"]) {
    if (safety[key] === nextSafety[key]) continue;
    changes.toggled(
      `policies.safety.${key}`,
      safety[key],
      nextSafety[key],
      ["compatible", ""],
      ["widening", ": a safety policy relaxed"]
    );
  }
}
function environmentNames(contract, options) {
  return Object.keys(contract.environments).filter(
    (name) => options.environment === void 0 || name === options.environment || name === ANY_ENVIRONMENT
  ).sort(byCodeUnit2);
}
function diffSecrets(before, after, changes, options) {
  const required = new Set(before.secrets.required);
  const declared = /* @__PURE__ */ new Set([...before.secrets.required, ...before.secrets.optional]);
  for (const name of after.secrets.required) {
    if (required.has(name)) continue;
    const path = `secrets.required.${name}`;
    const what = declared.has(name) ? "optional secret is now required" : "new required secret";
    const environments = environmentNames(after, options);
    if (environments.length === 0) {
      changes.add("operational", path, `${what}; no environment is declared to provide it`);
    }
    for (const environment of environments) {
      const profile = after.environments[environment]?.secrets;
      const source = profile?.sources[name];
      const where = profile && source ? `${source.mapped ? "mapped to" : "read as"} ${source.remote_key} from ${profile.location}` : "not provided by its profile";
      const label = environment === ANY_ENVIRONMENT ? "every environment" : `environment ${environment}`;
      changes.add("operational", path, `${what}; ${label}: ${where}`, { environment, after: name });
    }
  }
  for (const name of difference(after.secrets.optional, [...declared])) {
    changes.add("compatible", `secrets.optional.${name}`, "new optional secret", { after: name });
  }
  for (const name of difference([...declared], [...after.secrets.required, ...after.secrets.optional])) {
    changes.add(
      "compatible",
      `secrets.${required.has(name) ? "required" : "optional"}.${name}`,
      "no longer declared",
      {
        before: name
      }
    );
  }
  for (const name of after.secrets.optional) {
    if (required.has(name))
      changes.add("compatible", `secrets.optional.${name}`, "required secret is now optional");
  }
}
function diffEnvironments(before, after, changes, options) {
  const oldNames = environmentNames(before, options);
  const newNames = environmentNames(after, options);
  for (const name of difference(newNames, oldNames)) {
    changes.add("operational", `deploy.environments.${name}`, "environment added", { environment: name });
  }
  for (const name of difference(oldNames, newNames)) {
    changes.add(
      "operational",
      `deploy.environments.${name}`,
      "environment removed: nothing deploys there any more",
      {
        environment: name
      }
    );
  }
  for (const name of newNames) {
    const was = before.environments[name];
    const now = after.environments[name];
    if (was === void 0 || now === void 0) continue;
    diffEnvironment(name, was, now, changes);
  }
}
function diffEnvironment(name, was, now, changes) {
  const base = name === ANY_ENVIRONMENT ? "deploy" : `deploy.environments.${name}`;
  const keys = [
    "target",
    "namespace",
    "replicas",
    "resources",
    "autoscaling",
    "ingress",
    "network_policy"
  ];
  for (const key of keys) {
    if (key === "ingress") continue;
    diffLeaves(`${base}.${key}`, was[key], now[key], "operational", changes, name);
  }
  diffIngress(`${base}.ingress`, was.ingress, now.ingress, changes, name);
  const [a, b] = [was.secrets, now.secrets];
  if (a.provider !== b.provider || a.location !== b.location) {
    changes.add("operational", `${base}.secrets`, `secrets now come from ${b.location} (was ${a.location})`, {
      environment: name,
      before: a.location,
      after: b.location
    });
  }
  for (const secret of Object.keys(b.sources).sort(byCodeUnit2)) {
    const [old, next] = [a.sources[secret], b.sources[secret]];
    if (old === void 0 || next === void 0 || old.remote_key === next.remote_key) continue;
    changes.add(
      "operational",
      `${base}.secrets.map.${secret}`,
      `now read from ${next.remote_key} (was ${old.remote_key})`,
      {
        environment: name,
        before: old.remote_key,
        after: next.remote_key
      }
    );
  }
}
function diffIngress(path, was, now, changes, environment) {
  const withoutAnnotations2 = (ingress) => {
    if (ingress === null) return null;
    const { annotations: _annotations, ...rest } = ingress;
    return rest;
  };
  diffLeaves(path, withoutAnnotations2(was), withoutAnnotations2(now), "operational", changes, environment);
  const [old, next] = [was?.annotations ?? {}, now?.annotations ?? {}];
  for (const key of [.../* @__PURE__ */ new Set([...Object.keys(old), ...Object.keys(next)])].sort(byCodeUnit2)) {
    const [a, b] = [
      Object.hasOwn(old, key) ? old[key] : void 0,
      Object.hasOwn(next, key) ? next[key] : void 0
    ];
    if (a === b) continue;
    const text = a === void 0 ? "added (its value is not shown)" : b === void 0 ? "removed" : "value changed (values are not shown)";
    changes.add("operational", `${path}.annotations.${key}`, text, { environment });
  }
}
function diffLeaves(path, was, now, kind, changes, environment) {
  if (jsonEqual(was ?? null, now ?? null)) return;
  const extra = environment === void 0 ? {} : { environment };
  if (isMap2(was) && isMap2(now)) {
    for (const key of [.../* @__PURE__ */ new Set([...Object.keys(was), ...Object.keys(now)])].sort(byCodeUnit2)) {
      diffLeaves(`${path}.${key}`, was[key], now[key], kind, changes, environment);
    }
    return;
  }
  const text = was === void 0 || was === null ? `set to ${showValue(now)}` : now === void 0 || now === null ? `removed (was ${showValue(was)})` : `changed from ${showValue(was)} to ${showValue(now)}`;
  changes.add(kind, path, text, { before: was ?? void 0, after: now ?? void 0, ...extra });
}
function difference(a, b) {
  const other = new Set(b);
  return a.filter((item) => !other.has(item));
}

// action/contract/git-source.ts
var import_yaml = __toESM(require_dist(), 1);
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
var MAX_FILES = 64;
function parseRevisionPath(arg) {
  const colon = arg.indexOf(":");
  if (colon <= 0 || colon === arg.length - 1) return null;
  const rev = arg.slice(0, colon);
  const path = arg.slice(colon + 1);
  if (/\s/.test(rev) || rev.startsWith("-")) return null;
  return { rev, path };
}
var MissingAtRevisionError = class extends UsageError {
  constructor(rev, path, what) {
    super(
      `${rev}:${path}: ${what === "missing" ? "no such file in that revision" : `is a ${what}, not a file`}`,
      what === "missing" ? `list the files with: git ls-tree -r --name-only ${rev}` : null
    );
    this.rev = rev;
    this.path = path;
  }
  rev;
  path;
};
async function loadDockfileAtRevision(git, target, options = {}) {
  const loaded = await loadDockfilesAtRevision(git, target.rev, [target.path], {
    ...options,
    missing: "throw"
  });
  return loaded.get(target.path);
}
async function loadDockfilesAtRevision(git, rev, paths, options = {}) {
  const commit = await git.resolve(`${rev}^{commit}`);
  if (commit === null) {
    throw new UsageError(`${rev}: no such revision`, "fetch it first, e.g. git fetch origin main");
  }
  const label = (path) => `${rev}:${path}`;
  const mains = paths.map((given) => {
    const path = repositoryPath(given, options.prefix ?? "");
    if (path === null) throw new UsageError(`${label(given)} points outside the repository`);
    return { given, path };
  });
  const reader = new RevisionReader(git, commit);
  const found = await reader.read(mains.map((m) => m.path));
  const present = mains.filter(({ given, path }) => {
    const blob = found.get(path) ?? { kind: "missing" };
    if (blob.kind === "file") return true;
    if (options.missing === "skip") return false;
    throw new MissingAtRevisionError(rev, given, blob.kind);
  });
  const texts = /* @__PURE__ */ new Map();
  for (const [path, blob] of found) if (blob.kind === "file") texts.set(path, blob.text);
  const included = /* @__PURE__ */ new Set();
  let level = [...texts.keys()];
  while (level.length > 0 && texts.size < MAX_FILES * mains.length) {
    const wanted = /* @__PURE__ */ new Set();
    for (const from of level) {
      for (const include of includeTargets(texts.get(from) ?? "")) {
        const path = repositoryPath(posix.join(posix.dirname(from), include), "");
        if (path !== null) included.add(path);
        if (path !== null && !texts.has(path)) wanted.add(path);
      }
    }
    const blobs = await reader.read([...wanted]);
    level = [];
    for (const [path, blob] of blobs) {
      if (blob.kind !== "file") continue;
      texts.set(path, blob.text);
      level.push(path);
    }
  }
  const root = mkdtempSync(join(tmpdir(), "dockrion-rev-"));
  try {
    for (const [path, text] of texts) {
      if (!included.has(path)) continue;
      const file = join(root, ...path.split("/"));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const { prefix: _prefix, missing: _missing, ...load } = options;
    const sources = new Map([...texts].map(([path, text]) => [label(path), text]));
    const out = /* @__PURE__ */ new Map();
    for (const { given, path } of present) {
      const result = await validateDockfileText(texts.get(path), path, {
        ...load,
        cwd: root,
        root,
        // Never the base's Python: only the working tree's code may run (and it is not here).
        checkImports: false,
        // The diff compares the schemas (an unresolved `$ref` as written); compiling them is
        // most of a load and decides nothing here.
        compileIoSchemas: false
      });
      const relabel = (d) => ({ ...d, file: label(d.file) });
      const relabelled = {
        ...result,
        file: label(result.file),
        errors: result.errors.map(relabel),
        warnings: result.warnings.map(relabel)
      };
      if (result.quotable) relabelled.quotable = result.quotable.map(label);
      out.set(given, { result: relabelled, sources });
    }
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
function repositoryPath(path, prefix) {
  const relativeToPrefix = path === "." || path === ".." || path.startsWith("./") || path.startsWith("../");
  const joined = posix.normalize(relativeToPrefix ? posix.join(prefix, path) : path).replace(/^\/+/, "");
  if (joined === ".." || joined.startsWith("../") || joined === "." || joined === "") return null;
  return joined;
}
var RevisionReader = class {
  constructor(git, commit) {
    this.git = git;
    this.commit = commit;
  }
  git;
  commit;
  async read(paths) {
    const out = new Map(paths.map((path) => [path, { kind: "missing" }]));
    if (paths.length === 0) return out;
    const listed = await this.git.run(["ls-tree", "-z", "--full-tree", this.commit, "--", ...paths], {
      allowFailure: true
    });
    const blobs = /* @__PURE__ */ new Map();
    for (const entry of listed.code === 0 ? listed.stdout.split("\0") : []) {
      const tab = entry.indexOf("	");
      if (tab < 0) continue;
      const path = entry.slice(tab + 1);
      if (!out.has(path)) continue;
      const [mode, type, oid] = entry.slice(0, tab).split(" ");
      if (type === "tree") out.set(path, { kind: "directory" });
      else if (type === "commit") out.set(path, { kind: "submodule" });
      else if (mode === "120000") out.set(path, { kind: "symlink" });
      else if (oid) blobs.set(path, oid);
    }
    if (blobs.size === 0) return out;
    const texts = await this.catFiles([...new Set(blobs.values())]);
    for (const [path, oid] of blobs) out.set(path, { kind: "file", text: texts.get(oid) ?? "" });
    return out;
  }
  /**
   * The text of each blob, from one `git cat-file --batch`. Its sizes count bytes and the exec
   * seam hands back UTF-8 text, so each blob is cut by the byte length of its characters. A blob
   * that is not valid UTF-8 throws that count off (its bad bytes arrive as U+FFFD), which the
   * next header shows; then each blob is read on its own.
   */
  async catFiles(oids) {
    const { stdout } = await this.git.run(["cat-file", "--batch"], { input: `${oids.join("\n")}
` });
    const texts = /* @__PURE__ */ new Map();
    let at = 0;
    for (const oid of oids) {
      const newline = stdout.indexOf("\n", at);
      const header = /^([0-9a-f]+) blob (\d+)$/.exec(stdout.slice(at, newline));
      if (newline < 0 || !header || header[1] !== oid) return this.oneByOne(oids);
      let bytes = Number(header[2]);
      let end = newline + 1;
      while (bytes > 0 && end < stdout.length) {
        const code = stdout.codePointAt(end);
        bytes -= code < 128 ? 1 : code < 2048 ? 2 : code < 65536 ? 3 : 4;
        end += code >= 65536 ? 2 : 1;
      }
      if (bytes !== 0 || stdout[end] !== "\n") return this.oneByOne(oids);
      texts.set(oid, stdout.slice(newline + 1, end));
      at = end + 1;
    }
    return texts;
  }
  async oneByOne(oids) {
    const texts = /* @__PURE__ */ new Map();
    for (const oid of oids) texts.set(oid, (await this.git.run(["cat-file", "blob", oid])).stdout);
    return texts;
  }
};
function includeTargets(text) {
  const targets = [];
  if (!text.includes("!include")) return targets;
  try {
    const document = (0, import_yaml.parseDocument)(text, { prettyErrors: false, uniqueKeys: false, version: "1.2" });
    (0, import_yaml.visit)(document, (_key, node) => {
      if ((0, import_yaml.isScalar)(node) && node.tag === "!include" && typeof node.value === "string") {
        targets.push(node.value);
      }
    });
  } catch {
    return [];
  }
  return targets.filter((t) => t.trim() !== "" && !posix.isAbsolute(t));
}

// action/contract/render.ts
var TITLES = {
  breaking: "Breaking",
  widening: "Widening (security)",
  operational: "Operational",
  compatible: "Compatible"
};
var MEANINGS = {
  breaking: "today's callers may be rejected or get a different answer",
  widening: "who may call the agent, or what it may do, grows",
  operational: "needs something from whoever runs the agent",
  compatible: "no caller or operator needs to act"
};
function contractDiffSummary(diff) {
  const parts = CHANGE_CLASSES.filter((kind) => diff[kind].length > 0).map(
    (kind) => `${diff[kind].length} ${kind}`
  );
  return parts.length === 0 ? "no contract changes" : parts.join(", ");
}
function contractDiffText(diff) {
  if (isEmptyDiff(diff)) return "No contract changes.\n";
  const out = [`Contract changes: ${contractDiffSummary(diff)}`];
  for (const kind of CHANGE_CLASSES) {
    if (diff[kind].length === 0) continue;
    out.push("", `${TITLES[kind]} (${diff[kind].length}):`);
    for (const change of diff[kind]) out.push(`  ${terminalSafe(oneLine(change.message))}`);
  }
  return `${out.join("\n")}
`;
}
function contractDiffJson(diff) {
  const groups = Object.fromEntries(CHANGE_CLASSES.map((kind) => [kind, diff[kind].map(changeJson)]));
  return `${JSON.stringify({ summary: contractDiffSummary(diff), ...groups }, null, 2)}
`;
}
function changeJson(change) {
  const out = { path: change.path, message: change.message };
  if (change.environment !== void 0) out.environment = change.environment;
  if (change.before !== void 0) out.before = change.before;
  if (change.after !== void 0) out.after = change.after;
  return out;
}
function contractDiffMarkdown(diff, options = {}) {
  const budget = options.budget ?? bodyBudget;
  const hashes = "#".repeat(Math.min(6, Math.max(1, options.headingLevel ?? 3)));
  const against = options.against ? ` against ${codeSpan(options.against)}` : "";
  const title = `${hashes} Contract changes${against}

`;
  if (isEmptyDiff(diff)) return `${title}No contract changes.
`;
  const head = `${title}${contractDiffSummary(diff)}.

`;
  const rows = [];
  for (const kind of CHANGE_CLASSES) {
    diff[kind].forEach((change, i) => {
      const heading = i === 0 ? `${rows.length > 0 ? "\n" : ""}**${TITLES[kind]}** (${diff[kind].length}): ${MEANINGS[kind]}

` : "";
      rows.push(`${heading}- ${markdownChange(change)}`);
    });
  }
  return fitRowsWithNote(
    head,
    rows,
    (omitted) => `

\u2026and ${omitted} more change${omitted === 1 ? "" : "s"} left out to fit; \`dockrion diff\` prints them all.
`,
    budget
  );
}
function markdownChange(change) {
  const message = oneLine(change.message);
  const rest = message.startsWith(`${change.path}: `) ? message.slice(change.path.length + 2) : message;
  return `${codeSpan(change.path)}: ${codeSpan(rest)}`;
}
function oneLine(text) {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, " ");
}
function terminalSafe(text) {
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 32 || code >= 127 && code <= 159;
    out += control ? `\\u${code.toString(16).padStart(4, "0")}` : c;
  }
  return out;
}

export {
  codePoints,
  utf8Bytes,
  bodyBudget,
  summaryBudget,
  fitLines,
  fitRowsWithNote,
  largest,
  truncateText,
  codeSpan,
  codeLines,
  codeBlock,
  linkDestination,
  ANY_ENVIRONMENT,
  contractOf,
  serializeContract,
  parseContract,
  diffContracts,
  isEmptyDiff,
  parseRevisionPath,
  loadDockfileAtRevision,
  contractDiffSummary,
  contractDiffText,
  contractDiffJson,
  contractDiffMarkdown
};
