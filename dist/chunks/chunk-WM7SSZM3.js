import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// generators/names.ts
import { createHash } from "node:crypto";
var MANAGED_BY = "dockrion";
var ANNOTATION_PREFIX = "dockrion.dev";
var COMPOSE_LABEL_PREFIX = "dev.dockrion";
var RUNTIME_UID = 10001;
function objectNames(agent) {
  return {
    workload: agent,
    configMap: `${agent}-config`,
    secret: `${agent}-secrets`,
    tlsSecret: `${agent}-tls`
  };
}
var LABEL_VALUE_MAX = 63;
function optionalSecretName(agent, secretName) {
  const slug = secretName.toLowerCase().replaceAll("_", "-");
  const name = `${agent}-secrets-optional-${slug}`;
  if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(slug) && name.length <= LABEL_VALUE_MAX) return name;
  const suffix = createHash("sha256").update(secretName).digest("hex").slice(0, 8);
  const head = name.slice(0, LABEL_VALUE_MAX - suffix.length - 1).replace(/-+$/, "");
  return `${head}-${suffix}`;
}
function toLabelValue(value) {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  if (cleaned.length > 0 && cleaned.length <= LABEL_VALUE_MAX) return cleaned;
  const suffix = createHash("sha256").update(value).digest("hex").slice(0, 8);
  const head = cleaned.slice(0, LABEL_VALUE_MAX - suffix.length - 1).replace(/[^A-Za-z0-9]+$/, "");
  return head ? `${head}-${suffix}` : suffix;
}
function instanceName(agent, environment) {
  return toLabelValue(`${agent}-${environment}`);
}
function composeProjectName(agent, environment) {
  return instanceName(agent, environment);
}
function selectorLabels(agent, environment) {
  return {
    "app.kubernetes.io/name": agent,
    "app.kubernetes.io/instance": instanceName(agent, environment)
  };
}
function commonLabels(agent, environment, version) {
  return {
    ...selectorLabels(agent, environment),
    "app.kubernetes.io/version": toLabelValue(version),
    "app.kubernetes.io/managed-by": MANAGED_BY,
    [`${ANNOTATION_PREFIX}/environment`]: toLabelValue(environment)
  };
}

export {
  MANAGED_BY,
  ANNOTATION_PREFIX,
  COMPOSE_LABEL_PREFIX,
  RUNTIME_UID,
  objectNames,
  optionalSecretName,
  toLabelValue,
  composeProjectName,
  selectorLabels,
  commonLabels
};
